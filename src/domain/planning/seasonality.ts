/**
 * Seasonal profiles (METHOD §3, Time): integer weights per month that `splitYear` feeds to the
 * largest-remainder splitter. Weights are relative — only their ratios matter — and stay
 * integers (basis points, working days, fen of history) so a profile can be stored and sent as
 * JSON and the split is reproducible.
 */
import { allocate } from '../allocation.ts';
import type { WorkCalendar } from '../calendar.ts';
import { AppError } from '../errors.ts';
import { periodRange } from '../periods.ts';
import { monthIndex, monthOfIndex } from './month-index.ts';

export interface MonthWeight {
  month: string;
  weight: number;
}

/** Every month weighs the same. */
export function even(months: readonly string[]): MonthWeight[] {
  return months.map((month) => {
    monthIndex(month);
    return { month, weight: 1 };
  });
}

/**
 * Shares typed by a planner, in basis points, one per month; they must add up to exactly 100%
 * (ALLOCATION_PERCENTS_NOT_100 otherwise — 99% is an input mistake, not something to rescale).
 */
export function manual(months: readonly string[], percentsBp: readonly number[]): MonthWeight[] {
  if (months.length !== percentsBp.length) {
    throw new AppError('PLANNING_INVALID', {
      reason: `${percentsBp.length} shares for ${months.length} months`,
    });
  }
  assertPercents(percentsBp);
  return months.map((month, i) => {
    monthIndex(month);
    return { month, weight: percentsBp[i] ?? 0 };
  });
}

/** Quarter shares in basis points (Q1 40% / Q2 25% / Q3 30% / Q4 5%), checked to add up to 100%. */
export function quarterWeights(percentsBp: readonly number[]): number[] {
  if (percentsBp.length !== 4) {
    throw new AppError('PLANNING_INVALID', { reason: `${percentsBp.length} quarter shares` });
  }
  assertPercents(percentsBp);
  return [...percentsBp];
}

/**
 * Weights by working days (Spring Festival and Golden Week make February and October lighter;
 * make-up days count). Holidays come from the calendar the caller built.
 */
export function workingDayWeighted(
  months: readonly string[],
  calendar: WorkCalendar,
): MonthWeight[] {
  return months.map((month) => {
    monthIndex(month);
    const { start, end } = periodRange(month);
    return { month, weight: calendar.workingDaysIn(start, end) };
  });
}

export type MissingHistoryPolicy = 'skip-year' | 'zero' | 'error';

export interface HistoryProfile {
  weights: MonthWeight[];
  /** The same weights as shares summing to exactly 10,000 bp (largest remainder), for display. */
  sharesBp: number[];
  /** Years back that were used (1 = the year before the plan). */
  yearsUsed: number[];
  /** Years back left out, with the months they were missing. */
  yearsSkipped: { yearsBack: number; missing: string[] }[];
  /** Months counted as zero under the 'zero' policy. */
  zeroed: string[];
}

/**
 * Each plan month's share of the same months in the last `years` years: the weight of a month is
 * the sum of its amounts over the window, so the profile equals the pooled history's shape. (The
 * window is pooled rather than averaged year by year so weights stay plain integers — fen.)
 *
 * Several history rows for the same month are added up. A month missing from history (a month
 * with no row; a row with 0 is a real zero) is handled by `onMissing`:
 *   'skip-year' (default) the whole year back is left out, so a half-recorded year cannot
 *               distort the shape; it is reported in `yearsSkipped`;
 *   'zero'      the month counts as zero (e.g. the business really sold nothing); in `zeroed`;
 *   'error'     SEASONALITY_HISTORY_MISSING { month }.
 * No usable year, or a window that sums to zero → SEASONALITY_NO_HISTORY.
 */
export function fromHistory(
  history: readonly { month: string; amount: number }[],
  fiscalMonths: readonly string[],
  years = 3,
  onMissing: MissingHistoryPolicy = 'skip-year',
): HistoryProfile {
  if (!Number.isSafeInteger(years) || years < 1) {
    throw new AppError('PLANNING_INVALID', { reason: `history years ${years}` });
  }
  const byMonth = new Map<number, number>();
  for (const h of history) {
    if (!Number.isSafeInteger(h.amount) || h.amount < 0) {
      throw new AppError('PLANNING_INVALID', { reason: `history ${h.month} ${h.amount}` });
    }
    const k = monthIndex(h.month);
    byMonth.set(k, (byMonth.get(k) ?? 0) + h.amount);
  }
  const plan = fiscalMonths.map(monthIndex);
  const weights = plan.map(() => 0);
  const yearsUsed: number[] = [];
  const yearsSkipped: { yearsBack: number; missing: string[] }[] = [];
  const zeroed: string[] = [];
  for (let y = 1; y <= years; y++) {
    const back = plan.map((m) => m - 12 * y);
    const missing = back.filter((m) => !byMonth.has(m)).map(monthOfIndex);
    if (missing.length > 0) {
      if (onMissing === 'error') {
        throw new AppError('SEASONALITY_HISTORY_MISSING', { month: missing[0] ?? '' });
      }
      if (onMissing === 'skip-year') {
        yearsSkipped.push({ yearsBack: y, missing });
        continue;
      }
      zeroed.push(...missing);
    }
    back.forEach((m, i) => {
      weights[i] = (weights[i] ?? 0) + (byMonth.get(m) ?? 0);
    });
    yearsUsed.push(y);
  }
  const sum = weights.reduce((a, b) => a + b, 0);
  if (yearsUsed.length === 0 || sum === 0) {
    throw new AppError('SEASONALITY_NO_HISTORY', { years });
  }
  if (!Number.isSafeInteger(sum)) throw new AppError('MONEY_OUT_OF_RANGE', { value: String(sum) });
  return {
    weights: fiscalMonths.map((month, i) => ({ month, weight: weights[i] ?? 0 })),
    sharesBp: allocate(10_000, weights),
    yearsUsed,
    yearsSkipped,
    zeroed,
  };
}

/** Any profile's weights as shares in basis points summing to exactly 10,000. */
export function profileSharesBp(profile: readonly MonthWeight[]): number[] {
  return allocate(
    10_000,
    profile.map((p) => p.weight),
  );
}

function assertPercents(percentsBp: readonly number[]): void {
  let sum = 0;
  for (const p of percentsBp) {
    if (!Number.isSafeInteger(p) || p < 0) {
      throw new AppError('PLANNING_INVALID', { reason: `share ${p} bp` });
    }
    sum += p;
  }
  if (sum !== 10_000) throw new AppError('ALLOCATION_PERCENTS_NOT_100', { sum });
}
