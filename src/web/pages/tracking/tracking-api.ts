/**
 * The tracking API as the dashboard uses it. Wire types are inferred from the server's zod
 * schemas (type-only imports); the query hooks share one key prefix so an import can refresh
 * every tracking view at once.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  breakdownBy,
  breakdownSchema,
  forecastAccuracySchema,
  meSchema,
  overviewSchema,
  rankingSchema,
  seriesSchema,
  dimension,
  trackedMetric,
} from '../../../api/tracking/schemas.ts';
import { api, withQuery, type Query } from '../../api/client.ts';

export type Overview = z.infer<typeof overviewSchema>;
export type Series = z.infer<typeof seriesSchema>;
export type SeriesPoint = Series['points'][number];
export type Breakdown = z.infer<typeof breakdownSchema>;
export type BreakdownRow = Breakdown['rows'][number];
export type BreakdownBy = z.infer<typeof breakdownBy>;
export type Ranking = z.infer<typeof rankingSchema>;
export type RankingRow = Ranking['rows'][number];
export type MyTargets = z.infer<typeof meSchema>;
export type ForecastAccuracy = z.infer<typeof forecastAccuracySchema>;
export type TrackedMetric = z.infer<typeof trackedMetric>;
export type Dimension = z.infer<typeof dimension>;
export type TierName = Overview['tierReached'];
export type Granularity = Series['granularity'];
export type RankingBy = Ranking['by'];
export type RankBy = Ranking['rankBy'];

/** Whose numbers and over which days: the query every tracking endpoint shares. */
export interface NodeScope {
  unitId?: number;
  memberId?: number;
  period?: string;
  start?: string;
  end?: string;
  metric: TrackedMetric;
  /** Drill-down to one dimension member (sales metrics only). */
  dim?: Dimension;
  key?: string;
}

/** Every tracking query starts with this key, so `invalidateQueries({ queryKey: [TRACKING_KEY] })` refreshes them all. */
export const TRACKING_KEY = 'tracking';

const scopeQuery = (s: NodeScope): Query => ({
  unitId: s.unitId,
  memberId: s.memberId,
  period: s.start ? undefined : s.period,
  start: s.start,
  end: s.start ? s.end : undefined,
  metric: s.metric,
  dim: s.dim,
  key: s.dim ? (s.key ?? '') : undefined,
});

// Keep showing the previous node's numbers while a drill-down loads, instead of flashing a spinner.
const smooth = { placeholderData: keepPreviousData };

export function useOverview(s: NodeScope) {
  return useQuery({
    queryKey: [TRACKING_KEY, 'overview', s],
    queryFn: () => api.get<Overview>('/tracking/overview', scopeQuery(s)),
    ...smooth,
  });
}

export function useSeries(s: NodeScope, granularity: Granularity) {
  return useQuery({
    queryKey: [TRACKING_KEY, 'series', s, granularity],
    queryFn: () => api.get<Series>('/tracking/series', { ...scopeQuery(s), granularity }),
    ...smooth,
  });
}

export function useBreakdown(s: NodeScope, by: BreakdownBy, enabled = true) {
  return useQuery({
    queryKey: [TRACKING_KEY, 'breakdown', s, by],
    queryFn: () => api.get<Breakdown>('/tracking/breakdown', { ...scopeQuery(s), by }),
    enabled,
    ...smooth,
  });
}

export function useRanking(s: NodeScope, by: RankingBy, rankBy: RankBy, enabled = true) {
  return useQuery({
    queryKey: [TRACKING_KEY, 'ranking', s, by, rankBy],
    queryFn: () => api.get<Ranking>('/tracking/ranking', { ...scopeQuery(s), by, rankBy }),
    enabled,
    ...smooth,
  });
}

/** `node`: 'me', a managed unit's id, or undefined for the server's default (the managed unit). */
export function useMyTargets(enabled: boolean, node: 'me' | number | undefined) {
  return useQuery({
    queryKey: [TRACKING_KEY, 'me', node ?? null],
    queryFn: () =>
      api.get<MyTargets>('/tracking/me', node === undefined ? {} : { node: String(node) }),
    enabled,
    ...smooth,
  });
}

export type ExportTable = 'overview' | 'breakdown' | 'ranking' | 'series';

/** The server builds the xlsx; the link downloads it with the session cookie. */
export function exportHref(
  table: ExportTable,
  s: NodeScope,
  extra: { by?: BreakdownBy; granularity?: Granularity; rankBy?: RankBy; lang: string },
): string {
  return withQuery('/tracking/export', { ...scopeQuery(s), table, ...extra });
}

/** How accurate each forecast method has been for a node (month-end snapshots of closed periods). */
export function useForecastAccuracy(node: { type: 'unit' | 'member'; id: number }) {
  return useQuery({
    queryKey: [TRACKING_KEY, 'forecast-accuracy', node.type, node.id],
    queryFn: () =>
      api.get<ForecastAccuracy>(
        '/tracking/forecast-accuracy',
        node.type === 'unit' ? { unitId: node.id } : { memberId: node.id },
      ),
    ...smooth,
  });
}
