import { systemActor } from '../../app/actor.ts';
import { chinaToday } from '../../app/clock.ts';
import { previousMonthEnd, snapshotForecasts } from '../../app/tracking/snapshot-forecasts.ts';
import type { JobContext } from '../worker.ts';

export const FORECAST_SNAPSHOT_JOB = 'forecasts.snapshot';

/**
 * Once a day across all instances: the forecasts of every node as of the last month-end, the
 * first time it runs in a month (after that the snapshot exists and nothing more is written —
 * `snapshotForecasts` is idempotent, and the check below spares the reads).
 */
export async function forecastSnapshotJob(ctx: JobContext) {
  const now = ctx.now();
  const asOf = previousMonthEnd(chinaToday(now));
  const taken = await ctx.db
    .selectFrom('forecast_snapshots')
    .select('id')
    .where('as_of', '=', asOf)
    .limit(1)
    .executeTakeFirst();
  if (taken) return { asOf, skipped: 'taken' };
  return snapshotForecasts(ctx.db, systemActor(), { asOf }, now);
}
