/**
 * What the dashboards can track, and how (pure data, shared by the server and the web app).
 *
 * Every additive metric of the catalogue (src/domain/planning/metrics.ts) that has facts:
 *   revenue, gross_profit, deals   the sales rollups (amount, gross profit, Σ primary lines);
 *   new_customers                  customers, each counted once: when, for whom and under which
 *                                  dimensions their first deal tagged new or referral fell
 *                                  (src/db/customer-firsts.ts; a repeat order is a deal, not
 *                                  another new customer);
 *   collections                    money collected (collections.collected_date);
 *   leads, opportunities           created in the period;
 *   visits, calls                  activities of that kind.
 * Ratio metrics (the collection rate) are shown beside them, never summed.
 */
export const TRACKED_METRICS = [
  'revenue',
  'gross_profit',
  'deals',
  'new_customers',
  'collections',
  'leads',
  'opportunities',
  'visits',
  'calls',
] as const;
export type TrackedMetricCode = (typeof TRACKED_METRICS)[number];

export const DIMENSIONS = ['product_line', 'channel', 'lifecycle', 'region', 'segment'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Money (fen) or a count. */
export const METRIC_UNIT: Record<TrackedMetricCode, 'fen' | 'count'> = {
  revenue: 'fen',
  gross_profit: 'fen',
  deals: 'count',
  new_customers: 'count',
  collections: 'fen',
  leads: 'count',
  opportunities: 'count',
  visits: 'count',
  calls: 'count',
};

/**
 * The dimensions each metric's facts carry (breakdowns by anything else are "not available",
 * never faked). Collections and activities carry none; leads and opportunities a channel.
 */
export const METRIC_DIMENSIONS: Record<TrackedMetricCode, readonly Dimension[]> = {
  revenue: DIMENSIONS,
  gross_profit: DIMENSIONS,
  deals: DIMENSIONS,
  new_customers: DIMENSIONS,
  collections: [],
  leads: ['channel'],
  opportunities: ['channel'],
  visits: [],
  calls: [],
};

/**
 * Metrics the dashboard can be filtered to one dimension member for (the sales rollups answer
 * one filter; new customers already use theirs for the lifecycle).
 */
export const FILTERABLE_METRICS: readonly TrackedMetricCode[] = [
  'revenue',
  'gross_profit',
  'deals',
];

export function isFilterable(metric: TrackedMetricCode): boolean {
  return FILTERABLE_METRICS.includes(metric);
}
