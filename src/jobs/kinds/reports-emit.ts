import { emitScheduledReports } from '../../app/reports/emit-scheduled-reports.ts';
import type { JobContext } from '../worker.ts';

export const REPORTS_EMIT_JOB = 'reports.emit';

/**
 * Every quarter hour across all instances: emits the battle reports and weekly sheets the
 * report schedule says are due (each unit's report once per day or week, by its dedupe key).
 */
export async function reportsEmitJob(ctx: JobContext) {
  return emitScheduledReports(ctx.db, ctx.now());
}
