import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import { useSave } from '../../api/use-save.ts';
import type { z } from 'zod';
import type {
  alertDetailSchema,
  alertItemSchema,
  alertListSchema,
  alertSummarySchema,
} from '../../../api/alerts/schemas.ts';
import type {
  AlertRuleKind,
  AlertSeverity,
  AlertState,
  AlertTransition,
} from '../../../domain/alerts/alert-event.ts';

export type { AlertRuleKind, AlertSeverity, AlertState, AlertTransition };
export { ALERT_RULE_KINDS } from '../../../domain/alerts/alert-event.ts';

export const ALERT_SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];
/** `active` = open, acknowledged or snoozed (what is not resolved), the inbox's default. */
export type StateFilter = 'active' | AlertState;
export const STATE_FILTERS: readonly StateFilter[] = [
  'active',
  'open',
  'acknowledged',
  'snoozed',
  'resolved',
];
export type AlertView = 'mine' | 'team' | 'all';

// Wire types, inferred from the engine's schemas (docs/alerts-api.md): nothing copied by hand.
export type AlertItem = z.infer<typeof alertItemSchema>;
export type AlertDetail = z.infer<typeof alertDetailSchema>;
export type AlertList = z.infer<typeof alertListSchema>;
export type AlertSummary = z.infer<typeof alertSummarySchema>;
export type EvidenceFigure = AlertDetail['evidence']['figures'][number];
export type EvidencePoint = AlertDetail['evidence']['series'][number];

export interface AlertFilters {
  state: StateFilter;
  severity?: AlertSeverity;
  ruleKind?: AlertRuleKind;
}

export const alertsKey = 'alerts';

export function useAlerts(view: AlertView, filters: AlertFilters, enabled = true) {
  return useQuery({
    queryKey: [alertsKey, 'list', view, filters],
    queryFn: () =>
      api.get<AlertList>('/alerts', {
        view,
        state: filters.state,
        severity: filters.severity,
        ruleKind: filters.ruleKind,
        limit: 100,
      }),
    enabled,
    placeholderData: (previous) => previous,
  });
}

/**
 * Active alert counts for the header badge. Refreshed when the window regains focus and every
 * two minutes, so a new alert shows without a reload.
 */
export function useAlertSummary() {
  return useQuery({
    queryKey: [alertsKey, 'summary'],
    queryFn: () => api.get<AlertSummary>('/alerts/summary'),
    refetchOnWindowFocus: true,
    refetchInterval: 120_000,
    staleTime: 60_000,
  });
}

export function useAlert(id: number | null) {
  return useQuery({
    queryKey: [alertsKey, 'detail', id],
    queryFn: () => api.get<AlertDetail>(`/alerts/${id}`),
    enabled: id !== null,
  });
}

/** One action on an alert; every list, the badge and the detail reload after it. */
export function useAlertAction<TBody>(id: number, action: string, success: string) {
  return useSave<TBody, unknown>({
    mutationFn: (body) => api.post(`/alerts/${id}/${action}`, body),
    invalidate: [alertsKey],
    success,
  });
}
