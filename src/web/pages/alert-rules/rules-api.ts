import { useQuery } from '@tanstack/react-query';
import type { z } from 'zod';
import type {
  alertRuleBody,
  alertRuleDetailSchema,
  alertRuleSchema,
} from '../../../api/alerts/schemas.ts';
import { api } from '../../api/client.ts';

export type AlertRule = z.infer<typeof alertRuleSchema>;
export type AlertRuleDetail = z.infer<typeof alertRuleDetailSchema>;
export type AlertRuleInput = z.infer<typeof alertRuleBody>;
export type AlertRuleVersion = AlertRuleDetail['versions'][number];

export const rulesKey = 'alert-rules';

export function useAlertRules() {
  return useQuery({ queryKey: [rulesKey], queryFn: () => api.get<AlertRule[]>('/alert-rules') });
}

export function useAlertRule(id: number | null) {
  return useQuery({
    queryKey: [rulesKey, id],
    queryFn: () => api.get<AlertRuleDetail>(`/alert-rules/${id}`),
    enabled: id !== null,
  });
}

/** The body of a save: the rule's settings without what the server owns. */
export function toInput(r: AlertRule | AlertRuleVersion['rule']): AlertRuleInput {
  return {
    kind: r.kind,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    metric: r.metric,
    periodKind: r.periodKind,
    threshold: r.threshold,
    consecutivePeriods: r.consecutivePeriods,
    scopeUnitId: r.scopeUnitId,
    subjects: r.subjects,
    severity: r.severity,
    recipients: r.recipients,
    channels: r.channels,
    escalateAfterDays: r.escalateAfterDays,
    enabled: r.enabled,
  };
}
