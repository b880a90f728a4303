import type { Db } from '../../db/connect.ts';
import { collectionTotals, funnelCounts } from '../../db/rollups.ts';
import { openOpportunities, wonDeals } from '../../db/tracking.ts';
import {
  comparableWindow,
  previousPeriod,
  samePeriodLastYear,
} from '../../domain/tracking/growth.ts';
import {
  aheadBehind,
  attainment,
  averageOrderValue,
  averageSalesCycle,
  collectionRate,
  funnelConversions,
  gap as gapOf,
  linearRunRate,
  periodOverPeriod,
  pipelineWeighted,
  ratioBp,
  requiredRunRate,
  pastProjectionErrors,
  projectionOdds,
  projectionSpread,
  seasonalProjection,
  tierReached,
  timeProgress,
  yoy,
  type PastPoint,
  type TimeProgress,
} from '../../domain/tracking/index.ts';
import { periodRange, type DateRange } from '../../domain/periods.ts';
import { actualsIn, actualsOrNull, sliceSales } from './actuals.ts';
import {
  elapsedWindow,
  filterOut,
  readWindow,
  sourceOf,
  type TrackingContext,
  type TrackingNode,
} from './context.ts';
import type { Overview } from './types.ts';
import {
  dayTargets,
  loadTargetPlan,
  heldMonths,
  ownersTargetMonths,
  planVersionIds,
  ratioTarget,
  tiersFor,
  type OwnerRef,
} from './targets.ts';
import { METRIC_UNIT } from '../../domain/tracking/tracked-metrics.ts';

/** Past years read for the spread of the tier probabilities (each error needs two: up to 3 errors). */
const HISTORY_YEARS = 4;

export const ownerRefOf = (node: TrackingNode): OwnerRef => ({
  type: node.type,
  id: node.id,
  path: node.path,
});

/**
 * The node's target (of the slice when filtered: the plan's cells for that dimension member,
 * hasTarget false when it has none) and its day weights over the period, and time progress on
 * those weights.
 */
export async function nodeTarget(db: Db, ctx: TrackingContext) {
  const plan = await loadTargetPlan(db, ctx.metric, ctx.period, ctx.fiscalStartMonth, ctx.calendar);
  const f = ctx.filter;
  const months = await heldMonths(
    db,
    plan,
    ctx.node.owner,
    (
      await ownersTargetMonths(
        db,
        plan,
        [ownerRefOf(ctx.node)],
        f ? { dim: f.dim, key: f.key } : null,
        ctx.period,
      )
    ).get(ctx.node.id),
  );
  // Unfiltered, a node without cells has a target of 0 ("no target set"); a slice without
  // cells has no target at all (it is not the unfiltered target).
  const hasTarget = f === null || months !== undefined;
  const days = dayTargets(plan, months);
  const target = days.reduce((a, d) => a + d.amount, 0);
  const progress = timeProgress({
    start: ctx.period.start,
    end: ctx.period.end,
    asOf: ctx.asOf,
    calendar: plan.calendar,
    // Without a target there are no weights; time progress is then plain working days.
    ...(target > 0 ? { dayWeights: days.map((d) => ({ date: d.period, weight: d.amount })) } : {}),
  });
  return { plan, days, target, progress, hasTarget };
}

export async function buildOverview(db: Db, ctx: TrackingContext): Promise<Overview> {
  const { node, period, asOf, metric } = ctx;
  const src = sourceOf(ctx);
  const window = elapsedWindow(period, asOf);
  const read = readWindow(ctx, window);
  // Collections, leads and opportunities carry no product line, channel, …: filtered, they are
  // not shown rather than shown unfiltered beside filtered sales.
  const whole = ctx.filter === null;
  const [
    { plan, target, progress, hasTarget },
    actuals,
    sales,
    collected,
    funnel,
    won,
    anyCollections,
  ] = await Promise.all([
    nodeTarget(db, ctx),
    actualsIn(db, src, read),
    sliceSales(db, node.owner, read, src.filter),
    whole && window ? collectionTotals(db, { ...node.owner, ...window }) : { amount: 0, count: 0 },
    whole && window ? funnelCounts(db, { ...node.owner, ...window }) : null,
    whole && window ? wonDeals(db, node.owner, window.start, window.end) : [],
    whole ? collectionsImported(db) : false,
  ]);
  const actual = actuals.total;
  const [growth, rateTargetBp] = await Promise.all([
    growthOf(db, ctx, window),
    whole
      ? ratioTarget(
          db,
          plan,
          'collection_rate',
          ownerRefOf(node),
          ctx.fiscalStartMonth,
          'within' in node.owner ? node.owner.within : undefined,
        )
      : null,
  ]);
  const attainmentBp = attainment(actual, target);
  const gap = gapOf(target, actual);
  const tiers = tiersFor(plan, target, ctx.fiscalStartMonth);
  const reached = tierReached(actual, tiers);
  const revenue = sales.amount;
  // The funnel follows the pipeline: its deals are opportunities won in the period, so each step
  // compares like with like. Orders (which may not come through an opportunity, e.g. web shop
  // orders) are the separate `orders` figure.
  const counts = {
    leads: funnel?.leads ?? 0,
    opportunities: funnel?.opportunities ?? 0,
    deals: funnel?.wonOpportunities ?? 0,
  };
  const cycle = averageSalesCycle(won.filter((d) => d.closedDate >= d.createdDate));
  // No collection was ever imported: the rate is unknown, not 0%.
  const rateBp = revenue > 0 && anyCollections ? collectionRate(collected.amount, revenue) : null;
  return {
    node: { type: node.type, id: node.id, nameZh: node.nameZh, nameEn: node.nameEn },
    period: { id: period.id, start: period.start, end: period.end },
    asOf,
    metric,
    unit: METRIC_UNIT[metric],
    filter: filterOut(ctx),
    planVersionIds: planVersionIds(plan),
    hasTarget,
    target,
    actual,
    attainmentBp,
    timeProgressBp: progress.bp,
    aheadBehind: aheadBehind(attainmentBp, progress.bp),
    gap,
    requiredRunRate: requiredRunRate({ gap, remainingWorkingDays: progress.remainingWorkingDays }),
    elapsedWorkingDays: progress.elapsedWorkingDays,
    remainingWorkingDays: progress.remainingWorkingDays,
    tiers,
    tierReached: reached.reached,
    nextTier: reached.next,
    growth: {
      yoyBp: growth.lastYear === null ? null : yoy(actual, growth.lastYear),
      lastYear: growth.lastYear,
      popBp: growth.previous === null ? null : periodOverPeriod(actual, growth.previous),
      previous: growth.previous,
    },
    orders: sales.orders,
    aov: averageOrderValue(revenue, sales.orders),
    grossProfit: sales.grossProfit,
    grossMarginBp: revenue > 0 ? ratioBp(sales.grossProfit, revenue) : null,
    collections: whole
      ? {
          imported: anyCollections,
          collected: collected.amount,
          due: revenue,
          rateBp,
          targetBp: rateTargetBp,
          differenceBp: rateBp !== null && rateTargetBp !== null ? rateBp - rateTargetBp : null,
        }
      : null,
    funnel: whole
      ? {
          ...counts,
          steps: funnelConversions(counts).steps.map((s) => ({
            from: s.from,
            to: s.to,
            fromCount: s.fromCount,
            toCount: s.toCount,
            rateBp: s.rateBp,
          })),
        }
      : null,
    avgSalesCycleDays: whole ? (cycle?.days ?? null) : null,
    forecast: await forecastOf(db, ctx, { target, tiers, actual, progress }),
  };
}

/**
 * The same metric over the same elapsed days of last year and of the previous period; null when
 * the rollups cannot answer those days exactly (a region or segment slice over part of a month).
 */
async function growthOf(
  db: Db,
  ctx: TrackingContext,
  window: DateRange | null,
): Promise<{ lastYear: number | null; previous: number | null }> {
  const { period } = ctx;
  if (!window) return { lastYear: 0, previous: 0 };
  // The current actual was read over `readWindow`; a comparison of different lengths is no comparison.
  if (readWindow(ctx, window)?.end !== window.end) return { lastYear: null, previous: null };
  const custom = period.id.includes('..');
  const range = (r: string | DateRange): DateRange =>
    typeof r === 'string' ? periodRange(r, ctx.fiscalStartMonth) : r;
  const lastYear = range(
    custom
      ? samePeriodLastYear({ start: period.start, end: period.end })
      : samePeriodLastYear(period.id),
  );
  const previous = range(
    custom ? previousPeriod({ start: period.start, end: period.end }) : previousPeriod(period.id),
  );
  const src = sourceOf(ctx);
  const [ly, prev] = await Promise.all([
    actualsOrNull(db, src, comparableWindow(period, lastYear, window)),
    actualsOrNull(db, src, comparableWindow(period, previous, window)),
  ]);
  return { lastYear: ly, previous: prev };
}

async function forecastOf(
  db: Db,
  ctx: TrackingContext,
  input: {
    target: number;
    tiers: ReturnType<typeof tiersFor>;
    actual: number;
    progress: TimeProgress;
  },
): Promise<Overview['forecast']> {
  const { actual, progress, target, tiers } = input;
  const { period, asOf, node } = ctx;
  const linear = linearRunRate({
    actualToDate: actual,
    elapsedWorkingDays: progress.elapsedWorkingDays,
    totalWorkingDays: progress.totalWorkingDays,
  });
  const seasonal =
    target > 0
      ? seasonalProjection({ actualToDate: actual, seasonalShareElapsed: progress.share })
      : null;
  // The pipeline is revenue of the whole node (opportunities carry no product line); other
  // metrics and slices have linear and seasonal only, and (as before) no tier probabilities.
  if (ctx.metric !== 'revenue' || ctx.filter !== null)
    return { linear, seasonal, pipeline: null, tierProbabilities: [] };
  if (asOf >= period.end) {
    // The period is over: the forecast is what happened.
    const done =
      target > 0
        ? projectionOdds({ actualToDate: actual, projection: actual, sigma: 0, tiers, open: false })
        : [];
    return { linear, seasonal, pipeline: actual, tierProbabilities: done };
  }
  const opportunities = await openOpportunities(db, node.owner, period.end);
  const pipeline = pipelineWeighted({
    actualToDate: actual,
    openOpportunities: opportunities,
    periodEnd: period.end,
  }).forecast;
  // No target (no seasonal weights) or nothing of the period elapsed yet: nothing to centre on.
  if (target <= 0 || seasonal === null)
    return { linear, seasonal, pipeline, tierProbabilities: [] };
  // Centred on the seasonal projection, as wide as the node's past projections were wrong at the
  // same point of the period (the pipeline is not blended in: see docs/forecast-probabilities.md).
  const share = progress.share.num / progress.share.den;
  const spread = projectionSpread({
    errors: pastProjectionErrors(await pastPoints(db, ctx)),
    shareElapsed: share,
  });
  const tierProbabilities = projectionOdds({
    actualToDate: actual,
    projection: seasonal,
    sigma: spread.sigma,
    dof: spread.dof,
    tiers,
    open: true,
  });
  return { linear, seasonal, pipeline, tierProbabilities };
}

/**
 * The same period of each of the last HISTORY_YEARS years (calendar periods, as for YoY), read to
 * the same point (`comparableWindow`) and whole; a year the rollups cannot answer exactly, or
 * before any data, is a gap (`pastProjectionErrors` skips it).
 */
async function pastPoints(db: Db, ctx: TrackingContext): Promise<PastPoint[]> {
  const { period, asOf } = ctx;
  const window = elapsedWindow(period, asOf);
  if (!window) return [];
  const custom = period.id.includes('..');
  const ranges: DateRange[] = [];
  let id: string | DateRange = custom ? { start: period.start, end: period.end } : period.id;
  for (let k = 0; k < HISTORY_YEARS; k++) {
    id = typeof id === 'string' ? samePeriodLastYear(id) : samePeriodLastYear(id);
    ranges.push(typeof id === 'string' ? periodRange(id, ctx.fiscalStartMonth) : id);
  }
  const src = sourceOf(ctx);
  return Promise.all(
    ranges.map(async (range) => {
      const [toDate, final] = await Promise.all([
        actualsOrNull(db, src, comparableWindow(period, range, window)),
        actualsOrNull(db, src, range),
      ]);
      return { toDate: toDate ?? 0, final: final ?? 0 };
    }),
  );
}

/** Whether any collection has been imported at all (one indexed row, answered from the cache). */
async function collectionsImported(db: Db): Promise<boolean> {
  return (
    (await db.selectFrom('collections').select('id').limit(1).executeTakeFirst()) !== undefined
  );
}
