/**
 * Alert rules (METHOD §5 预警): what each kind reads, in which unit its threshold is, whether the
 * engine can evaluate it yet, and the period arithmetic the rules need (the previous period, the
 * last closed one). Periods are the planning period strings of ../periods.ts: months 'YYYY-MM',
 * fiscal quarters 'FY2026-Q1', ISO weeks 'YYYY-Www'.
 */
import { AppError } from '../errors.ts';
import {
  addDays,
  fiscalQuarterOf,
  isoWeekOf,
  monthOf,
  parsePeriod,
  periodRange,
} from '../periods.ts';
import type { AlertRuleKind, AlertSeverity } from './alert-event.ts';

export type AlertPeriodKind = 'week' | 'month' | 'quarter';
export type AlertSubjects = 'members' | 'units' | 'both';
export type AlertRecipient = 'subject' | 'manager' | 'manager_manager';

export interface AlertRule {
  id: number;
  kind: AlertRuleKind;
  metric: string;
  periodKind: AlertPeriodKind;
  /** bp (attainment, points, relative drop) or working days (see `thresholdUnit`). */
  threshold: number;
  consecutivePeriods: number;
  subjects: AlertSubjects;
  severity: AlertSeverity;
  recipients: AlertRecipient[];
  escalateAfterDays: number | null;
  scopeUnitId: number | null;
  enabled: boolean;
  version: number;
}

interface KindInfo {
  thresholdUnit: 'bp' | 'days';
  /** Metrics the kind can read. */
  metrics: readonly string[];
  periodKinds: readonly AlertPeriodKind[];
  /** The engine evaluates this kind today. */
  available: boolean;
}

export const RULE_KIND_INFO: Record<AlertRuleKind, KindInfo> = {
  attainment_review: {
    thresholdUnit: 'bp',
    metrics: ['revenue'],
    periodKinds: ['month', 'quarter'],
    available: true,
  },
  stop_loss: {
    thresholdUnit: 'bp',
    metrics: ['revenue'],
    periodKinds: ['month', 'quarter'],
    available: true,
  },
  behind_time: {
    thresholdUnit: 'bp',
    metrics: ['revenue'],
    periodKinds: ['month', 'quarter'],
    available: true,
  },
  conversion_drop: {
    thresholdUnit: 'bp',
    metrics: ['lead_to_opp_rate', 'opp_to_deal_rate'],
    periodKinds: ['month', 'quarter'],
    available: true,
  },
  no_activity: {
    thresholdUnit: 'days',
    metrics: ['activities'],
    periodKinds: ['week', 'month'],
    available: true,
  },
  // Improvement plans do not exist yet: the kind is kept so rules can be configured, not evaluated.
  plan_task_late: {
    thresholdUnit: 'days',
    metrics: ['plan_tasks'],
    periodKinds: ['week'],
    available: false,
  },
  // Not evaluated yet (see the README's alert notes): no year-end forecast per subject in bulk, and
  // no amount-due figure for the collection rate's denominator.
  forecast_below_base: {
    thresholdUnit: 'bp',
    metrics: ['revenue'],
    periodKinds: ['quarter'],
    available: false,
  },
  collection_rate: {
    thresholdUnit: 'bp',
    metrics: ['collection_rate'],
    periodKinds: ['month'],
    available: false,
  },
};

/** The rule's settings are coherent for its kind, or ALERT_RULE_INVALID naming the field. */
export function assertRuleValid(rule: Omit<AlertRule, 'id' | 'version'>): void {
  const info = RULE_KIND_INFO[rule.kind];
  const bad = (field: string, value: unknown) =>
    new AppError('ALERT_RULE_INVALID', { field, value: String(value) });
  if (!info.metrics.includes(rule.metric)) throw bad('metric', rule.metric);
  if (!info.periodKinds.includes(rule.periodKind)) throw bad('periodKind', rule.periodKind);
  if (!Number.isSafeInteger(rule.threshold) || rule.threshold < 0)
    throw bad('threshold', rule.threshold);
  if (info.thresholdUnit === 'bp' && rule.threshold > 10_000)
    throw bad('threshold', rule.threshold);
  if (info.thresholdUnit === 'days' && (rule.threshold < 1 || rule.threshold > 366))
    throw bad('threshold', rule.threshold);
  if (
    !Number.isInteger(rule.consecutivePeriods) ||
    rule.consecutivePeriods < 1 ||
    rule.consecutivePeriods > 12
  )
    throw bad('consecutivePeriods', rule.consecutivePeriods);
  if (rule.recipients.length === 0) throw bad('recipients', '');
}

/** The period of `kind` containing `date`. */
export function periodOf(kind: AlertPeriodKind, date: string, fiscalStartMonth: number): string {
  if (kind === 'month') return monthOf(date);
  if (kind === 'quarter') return fiscalQuarterOf(date, fiscalStartMonth);
  return isoWeekOf(date);
}

/** The period just before `period` (its kind kept): 2026-01 → 2025-12, FY2026-Q1 → FY2025-Q4. */
export function previousPeriod(period: string, fiscalStartMonth: number): string {
  const p = parsePeriod(period);
  if (p.kind !== 'month' && p.kind !== 'quarter' && p.kind !== 'week')
    throw new AppError('PERIOD_INVALID', { value: period });
  const start = periodRange(p, fiscalStartMonth).start;
  return periodOf(p.kind, addDays(start, -1), fiscalStartMonth);
}

/** The `n` periods ending with `period`, oldest first. */
export function periodsEndingWith(period: string, n: number, fiscalStartMonth: number): string[] {
  const out = [period];
  while (out.length < n) out.unshift(previousPeriod(out[0] ?? period, fiscalStartMonth));
  return out;
}

/** The last period of `kind` that ended before `today`. */
export function lastClosedPeriod(
  kind: AlertPeriodKind,
  today: string,
  fiscalStartMonth: number,
): string {
  return previousPeriod(periodOf(kind, today, fiscalStartMonth), fiscalStartMonth);
}
