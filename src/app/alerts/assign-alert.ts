import type { Actor } from '../actor.ts';
import { memberInScope } from '../authorize.ts';
import type { Db } from '../../db/connect.ts';
import { assign } from '../../domain/alerts/state-machine.ts';
import { AppError } from '../../domain/errors.ts';
import { assertCanManage, loadVisibleAlert } from './access.ts';
import { changeAlert, statusOfRow } from './alert-change.ts';
import { readAlertItem, type AlertItem } from './queries.ts';

/** The member exists and is someone the actor manages (any member for an admin). */
export async function assertAssignable(db: Db, actor: Actor, memberId: number): Promise<string> {
  const m = await db
    .selectFrom('members')
    .select(['id', 'name_zh', 'name_en'])
    .where('id', '=', memberId)
    .where((eb) => memberInScope(eb, actor.scope))
    .executeTakeFirst();
  if (!m) throw new AppError('ALERT_ASSIGNEE_OUTSIDE_SCOPE', { memberId });
  return actor.locale === 'en' ? m.name_en : m.name_zh;
}

/** A manager (or admin) hands an active alert to someone they manage to follow up. */
export async function assignAlert(
  db: Db,
  actor: Actor,
  input: { id: number; memberId: number },
  now: Date,
): Promise<AlertItem> {
  await db.transaction().execute(async (trx) => {
    const row = await loadVisibleAlert(trx, actor, input.id);
    assertCanManage(actor);
    assign(statusOfRow(row));
    const name = await assertAssignable(trx, actor, input.memberId);
    await changeAlert(
      trx,
      actor,
      row,
      {
        transition: 'assigned',
        action: 'assign',
        set: { assignee_member_id: input.memberId },
        note: name,
      },
      now,
    );
  });
  return readAlertItem(db, actor, input.id);
}
