import type { Dimension, TrackedMetricCode } from '../../domain/tracking/tracked-metrics.ts';

/**
 * What the tracking read model answers (the wire contract in src/api/tracking/schemas.ts is checked
 * against these by the type checker). Money is fen, ratios are basis points (10,000 = 100%),
 * counts are integers; a ratio with nothing to divide by (a zero target, no orders) is null.
 */
export type TrackedMetric = TrackedMetricCode;

/** Whose numbers (default: the caller's natural node) and over which days (default: the month of asOf). */
export interface TrackingQuery {
  unitId?: number | undefined;
  memberId?: number | undefined;
  /** FY2026 | FY2026-Q1 | 2026-03 | 2026-W09 | 2026-03-05; or start + end for a custom range. */
  period?: string | undefined;
  start?: string | undefined;
  end?: string | undefined;
  /** The last day whose actuals count (default: today in China). */
  asOf?: string | undefined;
  metric: TrackedMetric;
  /** One dimension member (sales metrics only): the id (0 = none) or, for lifecycle, '' | new | existing | referral. */
  dim?: Dimension | undefined;
  key?: string | undefined;
}

export interface NodeRef {
  type: 'unit' | 'member';
  id: number;
  nameZh: string;
  nameEn: string;
}

export interface PeriodRef {
  /** The canonical period id, or 'start..end' for a custom range. */
  id: string;
  start: string;
  end: string;
}

export interface FilterRef {
  dim: Dimension;
  key: string;
  nameZh: string;
  nameEn: string;
}

export type TierName = 'base' | 'target' | 'challenge' | 'sprint';
export type TierReachedName = 'none' | TierName;
export interface TierAmounts {
  base: number;
  target: number;
  challenge: number;
  sprint: number;
}

export interface Overview {
  node: NodeRef;
  period: PeriodRef;
  asOf: string;
  metric: TrackedMetric;
  unit: 'fen' | 'count';
  filter: FilterRef | null;
  planVersionIds: number[];
  hasTarget: boolean;
  target: number;
  actual: number;
  attainmentBp: number | null;
  timeProgressBp: number;
  aheadBehind: { differenceBp: number; status: 'ahead' | 'on-track' | 'behind' } | null;
  gap: number;
  requiredRunRate: number | null;
  elapsedWorkingDays: number;
  remainingWorkingDays: number;
  tiers: TierAmounts;
  tierReached: TierReachedName;
  nextTier: { tier: TierName; amount: number; needed: number } | null;
  growth: {
    yoyBp: number | null;
    lastYear: number | null;
    popBp: number | null;
    previous: number | null;
  };
  orders: number;
  aov: number | null;
  grossProfit: number;
  grossMarginBp: number | null;
  collections: {
    /** Whether the company has imported any collection (else the rate is unknown: null). */
    imported: boolean;
    collected: number;
    due: number;
    rateBp: number | null;
    targetBp: number | null;
    differenceBp: number | null;
  } | null;
  funnel: {
    leads: number;
    opportunities: number;
    deals: number;
    steps: {
      from: string;
      to: string;
      fromCount: number;
      toCount: number;
      rateBp: number | null;
    }[];
  } | null;
  avgSalesCycleDays: number | null;
  forecast: {
    linear: number | null;
    seasonal: number | null;
    pipeline: number | null;
    tierProbabilities: { tier: TierName; amount: number; probabilityBp: number }[];
  };
}

export type Granularity = 'day' | 'week' | 'month';

export interface SeriesPoint {
  period: string;
  start: string;
  end: string;
  actual: number | null;
  target: number;
  cumActual: number | null;
  cumTarget: number;
  forecastCum: number | null;
}

export interface Series {
  node: NodeRef;
  period: PeriodRef;
  asOf: string;
  metric: TrackedMetric;
  filter: FilterRef | null;
  granularity: Granularity;
  points: SeriesPoint[];
}

export type BreakdownBy = Dimension | 'child_unit' | 'member';

export interface BreakdownRow {
  key: string;
  id: number | null;
  nameZh: string;
  nameEn: string;
  actual: number;
  target: number | null;
  attainmentBp: number | null;
  shareBp: number;
  targetShareBp: number | null;
}

export interface Breakdown {
  node: NodeRef;
  period: PeriodRef;
  asOf: string;
  metric: TrackedMetric;
  filter: FilterRef | null;
  by: BreakdownBy;
  total: number;
  rows: BreakdownRow[];
}

export type RankingBy = 'member' | 'child_unit';
export type RankingOrder = 'attainment' | 'actual';

export interface RankingRow {
  rank: number;
  band: 'top' | 'middle' | 'bottom';
  id: number;
  nameZh: string;
  nameEn: string;
  actual: number;
  target: number;
  attainmentBp: number | null;
  gap: number;
  tier: TierReachedName | null;
  tiers: TierAmounts | null;
}

export interface Ranking {
  node: NodeRef;
  period: PeriodRef;
  asOf: string;
  metric: TrackedMetric;
  filter: FilterRef | null;
  by: RankingBy;
  rankBy: RankingOrder;
  rows: RankingRow[];
}

/** One of the nodes a member's "my targets" can show. */
export type MyTargetChoice = NodeRef;

export interface MyTargets {
  /** Oneself first, then every unit one manages (by path). */
  choices: MyTargetChoice[];
  month: Overview;
  year: Overview;
  /** Day by day through the current month. */
  series: Series;
}
