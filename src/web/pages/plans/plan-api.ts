/**
 * The planner's wire types and queries. Types are inferred from the server's zod schemas
 * (type-only imports: nothing of the server reaches the bundle), as in `src/web/api/types.ts`.
 */
import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type { metricSchema } from '../../../api/metrics/schemas.ts';
import type {
  commitResponse,
  compareSchema,
  decomposeBody,
  decomposeResponse,
  editCellsBody,
  editCellsResponse,
  gridSchema,
  historySchema,
  ownerHistorySchema,
  lensesBody,
  lensesResponse,
  matrixFitResponse,
  matrixSchema,
  monthlyTableSchema,
  planSchema,
  planVersionSchema,
  proposalSchema,
  proposalsSchema,
  versionDetailSchema,
  whySchema,
} from '../../../api/plans/schemas.ts';
import { api } from '../../api/client.ts';
import type { Me } from '../../api/types.ts';

export type Plan = z.infer<typeof planSchema>;
export type PlanVersion = z.infer<typeof planVersionSchema>;
export type PlanStatus = PlanVersion['status'];
export type VersionDetail = z.infer<typeof versionDetailSchema>;
export type LensesBody = z.input<typeof lensesBody>;
export type LensesResult = z.infer<typeof lensesResponse>;
export type CommitResult = z.infer<typeof commitResponse>;
export type DecomposeBody = z.input<typeof decomposeBody>;
export type DecomposeResult = z.infer<typeof decomposeResponse>;
export type Grid = z.infer<typeof gridSchema>;
export type GridRow = Grid['rows'][number];
export type GridCell = NonNullable<GridRow['cells'][string]>;
export type EditCellsBody = z.input<typeof editCellsBody>;
export type EditCellsResult = z.infer<typeof editCellsResponse>;
export type Why = z.infer<typeof whySchema>;
export type WhyStep = Why['chain'][number];
export type Compare = z.infer<typeof compareSchema>;
export type Proposals = z.infer<typeof proposalsSchema>;
export type ProposalNode = Proposals['nodes'][number];
export type Proposal = z.infer<typeof proposalSchema>;
export type MonthlyTable = z.infer<typeof monthlyTableSchema>;
export type MonthlyRow = MonthlyTable['rows'][number];
export type Metric = z.infer<typeof metricSchema>;
export type History = z.infer<typeof historySchema>;
export type OwnerHistory = z.infer<typeof ownerHistorySchema>;
export type MatrixLayout = z.infer<typeof matrixSchema>;
export type MatrixFitResult = z.infer<typeof matrixFitResponse>;

export const STATUSES: readonly PlanStatus[] = [
  'draft',
  'submitted',
  'approved',
  'active',
  'superseded',
];

/** Query keys: every write invalidates the prefix its screens read. */
export const plansKey = 'plans';
export const versionKey = 'plan-version';
export const gridKey = 'plan-grid';
export const proposalsKey = 'plan-proposals';
export const monthlyKey = 'plan-monthly';
export const PLAN_KEYS = [
  plansKey,
  versionKey,
  gridKey,
  proposalsKey,
  monthlyKey,
  'plan-compare',
  'plan-why',
];

export function usePlans() {
  return useQuery({ queryKey: [plansKey], queryFn: () => api.get<Plan[]>('/plans') });
}

export function useVersion(id: number) {
  return useQuery({
    queryKey: [versionKey, id],
    queryFn: () => api.get<VersionDetail>(`/plan-versions/${id}`),
  });
}

/**
 * The company's monthly revenue of the `years` fiscal years before the plan's (from the rollups):
 * last year's actual for the top-down lens, the months for the 'history' seasonality.
 * Planners only (the server refuses others), so callers pass `enabled`.
 */
export function useHistory(versionId: number, years: number, enabled: boolean) {
  return useQuery({
    queryKey: ['plan-history', versionId, years],
    queryFn: () =>
      api.get<History>(`/plan-versions/${versionId}/history`, { metric: 'revenue', years }),
    enabled,
    staleTime: 300_000,
  });
}

/** Last fiscal year's actual per unit and member (the org split by history pre-fills from it). */
export function useOwnerHistory(versionId: number, enabled: boolean) {
  return useQuery({
    queryKey: ['plan-owner-history', versionId],
    queryFn: () =>
      api.get<OwnerHistory>(`/plan-versions/${versionId}/history/owners`, { metric: 'revenue' }),
    enabled,
    staleTime: 300_000,
  });
}

export function useMetrics() {
  return useQuery({
    queryKey: ['metrics'],
    queryFn: () => api.get<Metric[]>('/metrics'),
    staleTime: 300_000,
  });
}

/**
 * Who the UI offers director actions to (create, approve, activate, copy, compute the lenses).
 * The server decides (admin, or the manager of the company root): a manager whose scope includes
 * a top-level unit path ('/1/') manages the root. The version detail's `canApprove` is exact.
 */
export function looksLikeDirector(me: Me): boolean {
  if (me.role === 'admin') return true;
  return (
    me.role === 'manager' &&
    (me.scope.all || me.scope.unitPaths.some((p) => p.split('/').filter(Boolean).length === 1))
  );
}

/** Managers and directors plan; reps propose for themselves; finance and viewers read. */
export function canPlan(me: Me): boolean {
  return me.role === 'admin' || me.role === 'manager';
}

/** '2026-03' → 'Mar' / '3月' for column headers. */
export function monthLabel(month: string, lang: string): string {
  const m = Number(month.slice(5, 7));
  if (lang === 'en')
    return new Date(Date.UTC(2000, m - 1, 1)).toLocaleString('en', {
      month: 'short',
      timeZone: 'UTC',
    });
  return `${m}月`;
}

/** basis points → '12.5%' (up to 2 decimals, trailing zeros dropped). */
export function bpText(bp: number | null | undefined): string {
  if (bp === null || bp === undefined) return '—';
  return `${Number((bp / 100).toFixed(2))}%`;
}

/** A percentage typed as a number (12.5) → bp (1250), rounded to the basis point. */
export function pctToBp(pct: number | null | undefined): number {
  return Math.round((pct ?? 0) * 100);
}
