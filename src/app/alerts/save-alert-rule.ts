import { auditUserId, type Actor } from '../actor.ts';
import { ruleFromRow } from '../../db/alerts.ts';
import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { AlertRuleKind, AlertSeverity } from '../../domain/alerts/alert-event.ts';
import {
  assertRuleValid,
  type AlertPeriodKind,
  type AlertRecipient,
  type AlertSubjects,
} from '../../domain/alerts/rules.ts';
import { AppError } from '../../domain/errors.ts';
import { ruleView, type AlertRuleView } from './queries.ts';

export interface AlertRuleInput {
  kind: AlertRuleKind;
  nameZh: string;
  nameEn: string;
  metric: string;
  periodKind: AlertPeriodKind;
  threshold: number;
  consecutivePeriods: number;
  scopeUnitId: number | null;
  subjects: AlertSubjects;
  severity: AlertSeverity;
  recipients: AlertRecipient[];
  channels: string[];
  escalateAfterDays: number | null;
  enabled: boolean;
}

/**
 * Creates a rule (no `id`) or saves a new version of one (`id` and the `version` read): the
 * rule is checked for its kind, the previous settings stay in alert_rule_versions, and the
 * change is audited. Admin only. Alerts already open keep the rule version that opened them.
 */
export async function saveAlertRule(
  db: Db,
  actor: Actor,
  input: AlertRuleInput & { id?: number; version?: number },
  now: Date,
): Promise<AlertRuleView> {
  if (actor.role !== 'admin') throw new AppError('FORBIDDEN');
  assertRuleValid({ ...input, recipients: [...new Set(input.recipients)] });
  const at = now.toISOString();
  const values = {
    kind: input.kind,
    name_zh: input.nameZh,
    name_en: input.nameEn,
    metric: input.metric,
    period_kind: input.periodKind,
    threshold: input.threshold,
    consecutive_periods: input.consecutivePeriods,
    scope_unit_id: input.scopeUnitId,
    subjects: input.subjects,
    severity: input.severity,
    recipients: JSON.stringify([...new Set(input.recipients)]),
    channels: JSON.stringify([...new Set(input.channels)]),
    escalate_after_days: input.escalateAfterDays,
    enabled: input.enabled ? 1 : 0,
  };
  const id = await db.transaction().execute(async (trx) => {
    if (input.scopeUnitId !== null) {
      const unit = await trx
        .selectFrom('org_units')
        .select('id')
        .where('id', '=', input.scopeUnitId)
        .executeTakeFirst();
      if (!unit)
        throw new AppError('ALERT_RULE_INVALID', {
          field: 'scopeUnitId',
          value: String(input.scopeUnitId),
        });
    }
    let ruleId: number;
    let version: number;
    let before: unknown = undefined;
    if (input.id === undefined) {
      const row = await trx
        .insertInto('alert_rules')
        .values({ ...values, version: 1, updated_by: auditUserId(actor), updated_at: at })
        .returning('id')
        .executeTakeFirstOrThrow();
      ruleId = row.id;
      version = 1;
    } else {
      const current = await trx
        .selectFrom('alert_rules')
        .selectAll()
        .where('id', '=', input.id)
        .executeTakeFirst();
      if (!current) throw new AppError('NOT_FOUND', { entity: 'alert rule' });
      if (Number(current.version) !== input.version)
        throw new AppError('VERSION_CONFLICT', {
          current: Number(current.version),
          given: input.version ?? 0,
        });
      if (current.kind !== input.kind)
        throw new AppError('ALERT_RULE_INVALID', { field: 'kind', value: input.kind });
      version = Number(current.version) + 1;
      const res = await trx
        .updateTable('alert_rules')
        .set({ ...values, version, updated_by: auditUserId(actor), updated_at: at })
        .where('id', '=', input.id)
        .where('version', '=', Number(current.version))
        .executeTakeFirst();
      if (Number(res.numUpdatedRows) !== 1)
        throw new AppError('VERSION_CONFLICT', { current: version, given: input.version ?? 0 });
      ruleId = input.id;
      before = ruleView(ruleFromRow(current));
    }
    await trx
      .insertInto('alert_rule_versions')
      .values({
        rule_id: ruleId,
        version,
        snapshot: JSON.stringify(values),
        changed_by: auditUserId(actor),
        changed_at: at,
      })
      .execute();
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: input.id === undefined ? 'create' : 'update',
      entity: 'alert_rule',
      entityId: ruleId,
      before,
      after: { ...input, version },
    });
    return ruleId;
  });
  const row = await db
    .selectFrom('alert_rules')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
  return ruleView(ruleFromRow(row));
}
