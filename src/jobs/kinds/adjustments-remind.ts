import { remindPendingAdjustments } from '../../app/adjustments/remind-pending.ts';
import type { JobContext } from '../worker.ts';

export const ADJUSTMENTS_REMIND_JOB = 'adjustments.remind';

/** Once a day across all instances: reminders for adjustment requests waiting too long. */
export async function adjustmentsRemindJob(ctx: JobContext) {
  return remindPendingAdjustments(ctx.db, ctx.now());
}
