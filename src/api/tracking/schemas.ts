import { z } from 'zod';
import { isoDate } from '../schemas.ts';
import { DIMENSIONS, TRACKED_METRICS } from '../../domain/tracking/tracked-metrics.ts';

/**
 * The tracking contract. Money is fen, ratios are basis points (10,000 = 100%), counts are
 * integers; a ratio with nothing to divide by (a zero target, no orders) is null, never 0.
 */

/** Every additive metric with facts (see tracked-metrics.ts for where each actual comes from). */
export const trackedMetric = z.enum(TRACKED_METRICS);
export type TrackedMetric = z.infer<typeof trackedMetric>;
export const dimension = z.enum(DIMENSIONS);

/** Whose numbers (default: the caller's natural node) and over which days (default: the month of asOf). */
export const nodeQuery = z.object({
  unitId: z.coerce.number().int().positive().optional(),
  memberId: z.coerce.number().int().positive().optional(),
  /** FY2026 | FY2026-Q1 | 2026-03 | 2026-W09 | 2026-03-05; or start + end for a custom range. */
  period: z.string().trim().max(20).optional(),
  start: isoDate.optional(),
  end: isoDate.optional(),
  /** The last day whose actuals count (default: today in China). */
  asOf: isoDate.optional(),
  metric: trackedMetric.default('revenue'),
  /**
   * Drill-down to one dimension member (sales metrics only): dim=product_line&key=12. The key is
   * the id (0 = none) or, for lifecycle, '' | new | existing | referral.
   */
  dim: dimension.optional(),
  key: z.string().trim().max(40).optional(),
});
export type NodeQuery = z.infer<typeof nodeQuery>;

export const seriesQuery = nodeQuery.extend({
  granularity: z.enum(['day', 'week', 'month']).default('day'),
});
export const breakdownBy = z.enum([
  'product_line',
  'channel',
  'lifecycle',
  'region',
  'segment',
  'child_unit',
  'member',
]);
export const breakdownQuery = nodeQuery.extend({ by: breakdownBy });
export const rankingQuery = nodeQuery.extend({
  by: z.enum(['member', 'child_unit']).default('member'),
  /** Rank by attainment (default) or by the actual amount. */
  rankBy: z.enum(['attainment', 'actual']).default('attainment'),
});
export const exportQuery = nodeQuery.extend({
  table: z.enum(['overview', 'breakdown', 'ranking', 'series']),
  granularity: z.enum(['day', 'week', 'month']).default('day'),
  by: z
    .enum(['product_line', 'channel', 'lifecycle', 'region', 'segment', 'child_unit', 'member'])
    .optional(),
  rankBy: z.enum(['attainment', 'actual']).default('attainment'),
});

export const nodeSchema = z.object({
  type: z.enum(['unit', 'member']),
  id: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
});

export const periodSchema = z.object({
  /** The period id as given (canonical), or 'start..end' for a custom range. */
  id: z.string(),
  start: z.string(),
  end: z.string(),
});

const tierName = z.enum(['base', 'target', 'challenge', 'sprint']);
const tierReachedName = z.enum(['none', 'base', 'target', 'challenge', 'sprint']);

/** The dimension member the numbers are filtered to, by name. */
export const filterSchema = z.object({
  dim: dimension,
  key: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
});

export const overviewSchema = z.object({
  node: nodeSchema,
  period: periodSchema,
  asOf: z.string(),
  metric: trackedMetric,
  /** Money (fen) or a count. */
  unit: z.enum(['fen', 'count']),
  filter: filterSchema.nullable(),
  /** Active plan version(s) the target came from (one per fiscal year the period touches). */
  planVersionIds: z.array(z.number()),
  /**
   * false when filtered to a dimension member the plan has no targets by (for this node or its
   * members): the target is then 0 and means "no target for this slice", not "the unfiltered target".
   */
  hasTarget: z.boolean(),
  target: z.number(),
  /** Actual from the period start to asOf (or the period end if earlier). */
  actual: z.number(),
  attainmentBp: z.number().nullable(),
  /** Share of the period's target day weights elapsed by asOf (working days when there is no target). */
  timeProgressBp: z.number(),
  aheadBehind: z
    .object({ differenceBp: z.number(), status: z.enum(['ahead', 'on-track', 'behind']) })
    .nullable(),
  /** target − actual; negative when exceeded. */
  gap: z.number(),
  /** Per remaining working day, rounded up; null when a gap is left but no working day. */
  requiredRunRate: z.number().nullable(),
  elapsedWorkingDays: z.number(),
  remainingWorkingDays: z.number(),
  tiers: z.object({
    base: z.number(),
    target: z.number(),
    challenge: z.number(),
    sprint: z.number(),
  }),
  tierReached: tierReachedName,
  nextTier: z.object({ tier: tierName, amount: z.number(), needed: z.number() }).nullable(),
  growth: z.object({
    /** Against the same days last year (same elapsed length when the period is still running). */
    yoyBp: z.number().nullable(),
    /** null when the rollups cannot answer the comparison days exactly (a region over part of a month). */
    lastYear: z.number().nullable(),
    /** Against the previous period (same elapsed length). */
    popBp: z.number().nullable(),
    previous: z.number().nullable(),
  }),
  /** Sales figures of the node (of the slice when filtered), whatever the tracked metric. */
  orders: z.number(),
  aov: z.number().nullable(),
  grossProfit: z.number(),
  grossMarginBp: z.number().nullable(),
  /**
   * The collection rate, a ratio (METHOD §11): Σ collected ÷ Σ due over the node, never an
   * average of rates. null when filtered: collections carry no product line, channel, … .
   */
  collections: z
    .object({
      /** false until the company imports its first collection: rateBp is then null ("no data"), not 0. */
      imported: z.boolean(),
      collected: z.number(),
      /** Revenue booked in the same days (回款率 = 回款额 ÷ 销售额). */
      due: z.number(),
      rateBp: z.number().nullable(),
      /** The plan's collection-rate target for the node (its own, else the nearest ancestor's). */
      targetBp: z.number().nullable(),
      /** rateBp − targetBp. */
      differenceBp: z.number().nullable(),
    })
    .nullable(),
  /** null when filtered (leads and opportunities carry no product line). */
  funnel: z
    .object({
      leads: z.number(),
      opportunities: z.number(),
      deals: z.number(),
      steps: z.array(
        z.object({
          from: z.string(),
          to: z.string(),
          fromCount: z.number(),
          toCount: z.number(),
          rateBp: z.number().nullable(),
        }),
      ),
    })
    .nullable(),
  /** Mean days from opportunity created to won, to 0.1 day, over deals won in the period. */
  avgSalesCycleDays: z.number().nullable(),
  forecast: z.object({
    /** Period-end projections; null when nothing can be extrapolated yet. */
    linear: z.number().nullable(),
    seasonal: z.number().nullable(),
    pipeline: z.number().nullable(),
    tierProbabilities: z.array(
      z.object({ tier: tierName, amount: z.number(), probabilityBp: z.number() }),
    ),
  }),
});
export type Overview = z.infer<typeof overviewSchema>;

export const seriesPointSchema = z.object({
  /** A day 'YYYY-MM-DD', an ISO week '2026-W09' or a month '2026-03' (clipped to the period). */
  period: z.string(),
  start: z.string(),
  end: z.string(),
  /** null for buckets that start after asOf. */
  actual: z.number().nullable(),
  target: z.number(),
  cumActual: z.number().nullable(),
  cumTarget: z.number(),
  /** Linear run-rate projection, from the bucket holding asOf to the period end. */
  forecastCum: z.number().nullable(),
});
export const seriesSchema = z.object({
  node: nodeSchema,
  period: periodSchema,
  asOf: z.string(),
  metric: trackedMetric,
  filter: filterSchema.nullable(),
  granularity: z.enum(['day', 'week', 'month']),
  points: z.array(seriesPointSchema),
});
export type Series = z.infer<typeof seriesSchema>;

export const breakdownRowSchema = z.object({
  /** The dimension member key: an id as text, a lifecycle ('' = none / unassigned). */
  key: z.string(),
  /** The id (0 = none) or null for lifecycle. */
  id: z.number().nullable(),
  nameZh: z.string(),
  nameEn: z.string(),
  actual: z.number(),
  target: z.number().nullable(),
  attainmentBp: z.number().nullable(),
  /** Share of the positive actuals; the rows sum to exactly 10,000 when any actual is positive. */
  shareBp: z.number(),
  /** Share of the targets; null when the plan has no targets by this dimension. */
  targetShareBp: z.number().nullable(),
});
export const breakdownSchema = z.object({
  node: nodeSchema,
  period: periodSchema,
  asOf: z.string(),
  metric: trackedMetric,
  filter: filterSchema.nullable(),
  by: breakdownBy,
  total: z.number(),
  rows: z.array(breakdownRowSchema),
});
export type Breakdown = z.infer<typeof breakdownSchema>;

export const rankingRowSchema = z.object({
  rank: z.number(),
  band: z.enum(['top', 'middle', 'bottom']),
  id: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
  actual: z.number(),
  target: z.number(),
  attainmentBp: z.number().nullable(),
  gap: z.number(),
  /** The tier reached on the row's own target with the plan's tier settings; null without a target. */
  tier: tierReachedName.nullable(),
  /** The row's tier amounts (null without a target). */
  tiers: z
    .object({ base: z.number(), target: z.number(), challenge: z.number(), sprint: z.number() })
    .nullable(),
});
export const rankingSchema = z.object({
  node: nodeSchema,
  period: periodSchema,
  asOf: z.string(),
  metric: trackedMetric,
  filter: filterSchema.nullable(),
  by: z.enum(['member', 'child_unit']),
  rankBy: z.enum(['attainment', 'actual']),
  rows: z.array(rankingRowSchema),
});
export type Ranking = z.infer<typeof rankingSchema>;

export const meQuery = z.object({
  asOf: isoDate.optional(),
  metric: trackedMetric.default('revenue'),
  /**
   * Whose targets: 'me' (one's own member targets) or the id of a unit one manages. Default: the
   * first unit one manages (a manager answers for the team's number), else one's own.
   */
  node: z.union([z.literal('me'), z.coerce.number().int().positive()]).optional(),
});
export const meSchema = z.object({
  /** What `node` may be: oneself first, then every unit one manages (by path). */
  choices: z.array(nodeSchema.pick({ type: true, id: true, nameZh: true, nameEn: true })),
  month: overviewSchema,
  year: overviewSchema,
  /** Day by day through the current month. */
  series: seriesSchema,
});

/** Whose forecast accuracy (default: the caller's natural node). */
export const accuracyQuery = nodeQuery.pick({ unitId: true, memberId: true });
export const forecastAccuracySchema = z.object({
  node: z.object({ type: z.enum(['unit', 'member']), id: z.number() }),
  /** Month-end forecasts of closed periods against the period's actual, per method. */
  methods: z.array(
    z.object({
      method: z.enum(['linear', 'seasonal', 'pipeline']),
      forecasts: z.number().int(),
      periods: z.number().int(),
      /** Mean 1 − |F − A| ÷ A, bp; null before any closed period was forecast. */
      accuracyBp: z.number().int().nullable(),
      /** Mean (F − A) ÷ A, bp: positive = the method ran high. */
      biasBp: z.number().int().nullable(),
    }),
  ),
});
