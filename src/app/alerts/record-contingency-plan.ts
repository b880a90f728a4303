import { auditUserId, type Actor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import type { Db } from '../../db/connect.ts';
import { assign } from '../../domain/alerts/state-machine.ts';
import { AppError } from '../../domain/errors.ts';
import { isValidDate } from '../../domain/periods.ts';
import { assertCanManage, loadVisibleAlert } from './access.ts';
import { assertAssignable } from './assign-alert.ts';
import { changeAlert, statusOfRow } from './alert-change.ts';
import { readAlertItem, type AlertItem } from './queries.ts';

/**
 * The stop-loss point asks for a contingency / improvement plan with an owner and a deadline
 * (止损点). Recording it (again: it replaces the previous one) assigns the alert to the plan's
 * owner, announced as `assigned` so the owner hears of it.
 */
export async function recordContingencyPlan(
  db: Db,
  actor: Actor,
  input: { id: number; ownerMemberId: number; dueDate: string; text: string },
  now: Date,
): Promise<AlertItem> {
  if (!isValidDate(input.dueDate)) throw new AppError('DATE_INVALID', { value: input.dueDate });
  await db.transaction().execute(async (trx) => {
    const row = await loadVisibleAlert(trx, actor, input.id);
    assertCanManage(actor);
    const rule = await trx
      .selectFrom('alert_rules')
      .select('kind')
      .where('id', '=', row.rule_id)
      .executeTakeFirstOrThrow();
    if (rule.kind !== 'stop_loss') throw new AppError('ALERT_PLAN_KIND');
    assign(statusOfRow(row));
    const today = chinaToday(now);
    if (input.dueDate < today)
      throw new AppError('ALERT_PLAN_DUE_DATE', { dueDate: input.dueDate, today });
    const name = await assertAssignable(trx, actor, input.ownerMemberId);
    const values = {
      owner_member_id: input.ownerMemberId,
      due_date: input.dueDate,
      text: input.text,
      recorded_by: auditUserId(actor),
      recorded_at: now.toISOString(),
    };
    await trx
      .insertInto('alert_contingency_plans')
      .values({ alert_id: row.id, ...values })
      .onConflict((oc) => oc.column('alert_id').doUpdateSet(values))
      .execute();
    await changeAlert(
      trx,
      actor,
      row,
      {
        transition: 'assigned',
        action: 'contingency_plan',
        set: { assignee_member_id: input.ownerMemberId },
        note: `${name} · ${input.dueDate} · ${input.text.slice(0, 200)}`,
      },
      now,
    );
  });
  return readAlertItem(db, actor, input.id);
}
