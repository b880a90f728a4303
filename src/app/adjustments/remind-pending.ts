import type { Db } from '../../db/connect.ts';
import { emitEvent } from '../../db/outbox.ts';
import type { NotifyRequest } from '../../domain/notify/notify-request.ts';
import { chinaToday } from '../clock.ts';
import { reminderDays } from './resolve-chain.ts';
import { chainOf } from './request-store.ts';

const DAY_MS = 24 * 3600_000;

/**
 * Once a day (the `adjustments.remind` recurring job): every request waiting on one step longer
 * than the reminder setting (`adjustment_rules.reminderDays`, default 2) is announced on the
 * outbox as a `notify.message` of kind `reminder`, routed to the unit the approver manages and
 * mentioning him (a role step goes to the company-wide channels). One reminder per request, step
 * and day: the dedupe key carries the date, and `reminded_at` records it.
 */
export async function remindPendingAdjustments(db: Db, now: Date): Promise<{ reminded: number }> {
  const days = await reminderDays(db);
  const cutoff = new Date(now.getTime() - days * DAY_MS).toISOString();
  const today = chinaToday(now);
  return db.transaction().execute(async (trx) => {
    const due = await trx
      .selectFrom('adjustment_requests')
      .selectAll()
      .where('state', '=', 'pending')
      .where('step_entered_at', '<=', cutoff)
      .orderBy('id')
      .execute();
    let reminded = 0;
    for (const r of due) {
      if (r.reminded_at !== null && chinaToday(new Date(r.reminded_at)) === today) continue;
      const step = chainOf(r)[r.current_step];
      if (!step) continue;
      const waited = Math.floor(
        (now.getTime() - Date.parse(r.step_entered_at ?? r.created_at)) / DAY_MS,
      );
      const request: NotifyRequest = {
        kind: 'reminder',
        unitId: step.unitId,
        dedupeKey: `adjustment:${r.id}:${r.current_step}:${today}`,
        mentionMemberIds: step.kind === 'member' ? [step.memberId] : [],
        text: {
          'zh-CN': {
            title: `目标调整申请 #${r.id} 待审批`,
            lines: [`已等待 ${waited} 天，请尽快处理。`],
          },
          en: {
            title: `Adjustment request #${r.id} awaits a decision`,
            lines: [`It has waited ${waited} days.`],
          },
        },
        link: `/adjustments/${r.id}`,
        at: now.toISOString(),
      };
      await emitEvent(trx, 'notify.message', request, now);
      await trx
        .updateTable('adjustment_requests')
        .set({ reminded_at: now.toISOString() })
        .where('id', '=', r.id)
        .execute();
      reminded++;
    }
    return { reminded };
  });
}
