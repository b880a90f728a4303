import type { Actor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import type { Db } from '../../db/connect.ts';
import { snooze } from '../../domain/alerts/state-machine.ts';
import { AppError } from '../../domain/errors.ts';
import { isValidDate } from '../../domain/periods.ts';
import { assertCanAct, loadVisibleAlert } from './access.ts';
import { changeAlert, statusOfRow } from './alert-change.ts';
import { readAlertItem, type AlertItem } from './queries.ts';

/** Quiet an active alert until a later day, with a reason; it comes back then if still firing. */
export async function snoozeAlert(
  db: Db,
  actor: Actor,
  input: { id: number; until: string; reason: string },
  now: Date,
): Promise<AlertItem> {
  if (!isValidDate(input.until)) throw new AppError('DATE_INVALID', { value: input.until });
  await db.transaction().execute(async (trx) => {
    const row = await loadVisibleAlert(trx, actor, input.id);
    assertCanAct(actor);
    snooze(statusOfRow(row), input.until, chinaToday(now));
    await changeAlert(
      trx,
      actor,
      row,
      {
        transition: 'snoozed',
        action: 'snooze',
        set: { state: 'snoozed', snoozed_until: input.until, snooze_reason: input.reason },
        note: input.reason,
      },
      now,
    );
  });
  return readAlertItem(db, actor, input.id);
}
