/**
 * The monthly target table of METHOD §3 (责任主体 / 目标类型 / 月度目标值 / 周均目标 / 关键策略):
 * additive targets get their weekly split (n even weeks, exact), ratio targets such as a 90%
 * collection rate are passed through unchanged — inherited, never summed or divided by weeks.
 * Derived metrics are computed from their parts, so they cannot be a row of their own.
 */
import { AppError } from '../errors.ts';
import { divRoundHalfUp, toSafeNumber } from '../exact.ts';
import { getMetric, type MetricKind, type MetricUnit } from './metrics.ts';
import { evenWeeks } from './time-split.ts';

export interface TargetTableRow {
  /** 责任主体: a team, a rep, or '*' for everyone. */
  owner: string;
  /** Metric code (revenue, new_customers, collection_rate …). */
  metric: string;
  /** 月度目标值: fen, a count, or bp for a ratio. */
  monthlyValue: number;
  /** 关键策略, free text. */
  strategy?: string;
  /** Weeks the month is read as; default 4. */
  weeks?: number;
}

export interface TargetTableLine extends TargetTableRow {
  kind: MetricKind;
  unit: MetricUnit;
  /** The month split over even weeks (Σ = monthlyValue); null for ratios. */
  weekly: number[] | null;
  /** 周均目标: monthlyValue ÷ weeks rounded half-up (display); a ratio's own value. */
  weeklyAverage: number;
}

export function monthlyTargetTable(rows: readonly TargetTableRow[]): TargetTableLine[] {
  return rows.map((row) => {
    const metric = getMetric(row.metric);
    if (!Number.isSafeInteger(row.monthlyValue)) {
      throw new AppError('NUMBER_INVALID', { value: String(row.monthlyValue) });
    }
    const base = { ...row, kind: metric.kind, unit: metric.unit };
    if (metric.kind === 'derived') {
      throw new AppError('METRIC_NOT_SPLITTABLE', { code: metric.code, kind: metric.kind });
    }
    if (metric.kind === 'ratio') return { ...base, weekly: null, weeklyAverage: row.monthlyValue };
    const weeks = row.weeks ?? 4;
    if (!Number.isSafeInteger(weeks) || weeks < 1) {
      throw new AppError('PLANNING_INVALID', { reason: `weeks ${weeks}` });
    }
    return {
      ...base,
      weekly: evenWeeks(row.monthlyValue, weeks),
      weeklyAverage: toSafeNumber(divRoundHalfUp(BigInt(row.monthlyValue), BigInt(weeks))),
    };
  });
}
