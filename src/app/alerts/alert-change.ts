import type { Transaction, Updateable } from 'kysely';
import { auditUserId, type Actor } from '../actor.ts';
import { ruleFromRow } from '../../db/alerts.ts';
import { audit, type AuditAction } from '../../db/audit.ts';
import type { Database, AlertsTable } from '../../db/schema.ts';
import { emitEvent } from '../../db/outbox.ts';
import type { AlertState, AlertTransition } from '../../domain/alerts/alert-event.ts';
import type { AlertEvidence } from '../../domain/alerts/evaluate.ts';
import { AppError } from '../../domain/errors.ts';
import type { AlertRow } from './access.ts';
import { alertChangedEvent } from './announce.ts';
import { loadOrgContextFor } from './org-context.ts';

/**
 * A person's change to one alert, in the caller's transaction: the row (its version checked, so
 * two people acting at once cannot both win), its history entry, its `alert.changed` event and
 * the audit entry.
 */
export async function changeAlert(
  trx: Transaction<Database>,
  actor: Actor,
  row: AlertRow,
  change: {
    transition: AlertTransition;
    action: AuditAction;
    set: Updateable<AlertsTable>;
    note: string | null;
  },
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  const res = await trx
    .updateTable('alerts')
    .set({ ...change.set, version: Number(row.version) + 1, updated_at: at })
    .where('id', '=', row.id)
    .where('version', '=', row.version)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1)
    throw new AppError('VERSION_CONFLICT', {
      current: Number(row.version) + 1,
      given: row.version,
    });
  await trx
    .insertInto('alert_events')
    .values({
      alert_id: row.id,
      at,
      transition: change.transition,
      actor_user_id: auditUserId(actor),
      note: change.note,
    })
    .execute();
  const ruleRow = await trx
    .selectFrom('alert_rules')
    .selectAll()
    .where('id', '=', row.rule_id)
    .executeTakeFirstOrThrow();
  const assignee =
    change.set.assignee_member_id !== undefined
      ? change.set.assignee_member_id
      : row.assignee_member_id;
  const members = [row.subject_type === 'member' ? row.subject_id : null, assignee].filter(
    (x): x is number => typeof x === 'number',
  );
  const ctx = await loadOrgContextFor(trx, row.unit_path, members);
  await emitEvent(
    trx,
    'alert.changed',
    alertChangedEvent(
      {
        id: row.id,
        rule: ruleFromRow(ruleRow),
        state: (change.set.state ?? row.state) as AlertState,
        period: row.period,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        unitId: row.unit_id,
        evidence: JSON.parse(row.evidence) as AlertEvidence,
        escalationLevel: Number(row.escalation_level),
        assigneeMemberId: assignee ?? null,
      },
      change.transition,
      ctx,
      now,
    ),
    now,
  );
  await audit(trx, now, {
    userId: auditUserId(actor),
    action: change.action,
    entity: 'alert',
    entityId: row.id,
    before: { state: row.state, assignee: row.assignee_member_id, snoozedUntil: row.snoozed_until },
    after: { ...change.set, note: change.note },
  });
}

/** The alert row's state machine status. */
export function statusOfRow(row: AlertRow) {
  return {
    state: row.state as AlertState,
    snoozedUntil: row.snoozed_until,
    escalationClockFrom: (row.escalated_at ?? row.opened_at).slice(0, 10),
    escalationLevel: Number(row.escalation_level),
  };
}
