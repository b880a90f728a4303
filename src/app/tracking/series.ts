import type { Db } from '../../db/connect.ts';
import { linearRunRate } from '../../domain/tracking/index.ts';
import { addDays } from '../../domain/dates.ts';
import { isoWeekOf } from '../../domain/periods.ts';
import { AppError } from '../../domain/errors.ts';
import { actualsIn } from './actuals.ts';
import { elapsedWindow, filterOut, readWindow, sourceOf, type TrackingContext } from './context.ts';
import { nodeTarget } from './overview.ts';
import type { Series } from './types.ts';

export type Granularity = Series['granularity'];

/**
 * The cumulative actual-vs-target line: one point per day, ISO week or month of the period
 * (edge buckets clipped to it). Targets are the day split summed per bucket; actuals stop at
 * asOf; from the bucket holding asOf on, `forecastCum` extends the linear run-rate to the period
 * end (its last point equals the overview's linear forecast).
 */
export async function buildSeries(
  db: Db,
  ctx: TrackingContext,
  granularity: Granularity,
): Promise<Series> {
  const { node, period, asOf, metric } = ctx;
  // Region and segment exist only in the month rollup: a slice by them has no days or weeks.
  const dim = ctx.filter?.dim;
  if ((dim === 'region' || dim === 'segment') && granularity !== 'month')
    throw new AppError('TRACKING_SERIES_MONTHS_ONLY', { dim });
  const window = elapsedWindow(period, asOf);
  const [{ plan, days, progress }, sales] = await Promise.all([
    nodeTarget(db, ctx),
    actualsIn(
      db,
      sourceOf(ctx),
      readWindow(ctx, window),
      granularity === 'month' ? 'month' : 'day',
    ),
  ]);
  const actualOf = new Map(sales.rows.map((r) => [String(r.key), r.value]));
  const bucketOf = (day: string) =>
    granularity === 'day' ? day : granularity === 'week' ? isoWeekOf(day) : day.slice(0, 7);

  const buckets: { period: string; start: string; end: string; target: number }[] = [];
  for (const d of days) {
    const id = bucketOf(d.period);
    const last = buckets.at(-1);
    if (last && last.period === id) {
      last.end = d.period;
      last.target += d.amount;
    } else buckets.push({ period: id, start: d.period, end: d.period, target: d.amount });
  }

  const cutoff = window?.end ?? null;
  const actualToDate = sales.total;
  let cumActual = 0;
  let cumTarget = 0;
  const points: Series['points'] = buckets.map((b) => {
    cumTarget += b.target;
    const started = cutoff !== null && b.start <= cutoff;
    let actual: number | null = null;
    if (started) {
      const value =
        granularity === 'month'
          ? (actualOf.get(b.period) ?? 0)
          : sumDays(actualOf, b.start, b.end < cutoff ? b.end : cutoff);
      cumActual += value;
      actual = value;
    }
    // The projection starts in the bucket that holds asOf, while the period is still running.
    const projecting = cutoff !== null && cutoff < period.end && b.end >= cutoff;
    const forecastCum = projecting
      ? linearRunRate({
          actualToDate,
          elapsedWorkingDays: progress.elapsedWorkingDays,
          totalWorkingDays:
            progress.elapsedWorkingDays + plan.calendar.workingDaysIn(addDays(cutoff, 1), b.end),
        })
      : null;
    return {
      period: b.period,
      start: b.start,
      end: b.end,
      actual,
      target: b.target,
      cumActual: started ? cumActual : null,
      cumTarget,
      forecastCum,
    };
  });
  return {
    node: { type: node.type, id: node.id, nameZh: node.nameZh, nameEn: node.nameEn },
    period: { id: period.id, start: period.start, end: period.end },
    asOf,
    metric,
    filter: filterOut(ctx),
    granularity,
    points,
  };
}

function sumDays(byDay: ReadonlyMap<string, number>, start: string, end: string): number {
  let total = 0;
  for (let d = start; d <= end; d = addDays(d, 1)) total += byDay.get(d) ?? 0;
  return total;
}
