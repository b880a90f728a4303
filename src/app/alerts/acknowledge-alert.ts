import type { Actor } from '../actor.ts';
import type { Db } from '../../db/connect.ts';
import { acknowledge } from '../../domain/alerts/state-machine.ts';
import { assertCanAct, loadVisibleAlert } from './access.ts';
import { changeAlert, statusOfRow } from './alert-change.ts';
import { readAlertItem, type AlertItem } from './queries.ts';

/** Someone who sees the alert takes it on: open or snoozed → acknowledged (stops escalation). */
export async function acknowledgeAlert(
  db: Db,
  actor: Actor,
  input: { id: number; note?: string | undefined },
  now: Date,
): Promise<AlertItem> {
  await db.transaction().execute(async (trx) => {
    const row = await loadVisibleAlert(trx, actor, input.id);
    assertCanAct(actor);
    acknowledge(statusOfRow(row));
    await changeAlert(
      trx,
      actor,
      row,
      {
        transition: 'acknowledged',
        action: 'acknowledge',
        set: {
          state: 'acknowledged',
          acknowledged_at: now.toISOString(),
          snoozed_until: null,
          snooze_reason: null,
        },
        note: input.note || null,
      },
      now,
    );
  });
  return readAlertItem(db, actor, input.id);
}
