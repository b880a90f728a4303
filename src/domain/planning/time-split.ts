/**
 * Time decomposition (METHOD §3 Time, §11 "days are the atoms of time"):
 *
 *   year → quarters → months      `splitYear` (seasonal weights, locked months)
 *   month → days                  `splitMonthToDays` (working days, holidays, 调休, week shape)
 *   days → weeks / any range      `sumRange`, `sumByWeek`, `splitMonthToWeeks`
 *
 * A week (or a custom range) is never split separately: it is the sum of its days, so a week
 * straddling two months is the sum of two months' days and nothing can disagree. Every split is
 * a largest-remainder `allocate`, so parts add up exactly to the whole.
 */
import { type Weight, allocate, allocateEven, spread } from '../allocation.ts';
import type { WorkCalendar } from '../calendar.ts';
import { type DateString, addDays, eachDay, toDayNumber } from '../dates.ts';
import { AppError } from '../errors.ts';
import { divRoundHalfUp, toSafeNumber } from '../exact.ts';
import {
  isoWeekOf,
  monthsOfFiscalYear,
  parsePeriod,
  periodRange,
  quartersOfFiscalYear,
  weeksOverlappingMonth,
} from '../periods.ts';
import { monthIndex } from './month-index.ts';
import type { MonthWeight } from './seasonality.ts';

/** An amount (fen or a count) for a period id: a day 'YYYY-MM-DD', a month 'YYYY-MM', a week. */
export interface PeriodAmount {
  period: string;
  amount: number;
}

/** Weights aligned with the fiscal months (12 values), or labelled by month. */
export type MonthWeights = readonly Weight[] | readonly MonthWeight[];

export interface SplitYearOptions {
  fiscalYear: string | number;
  /** Company setting, 1–12; default 1. */
  fiscalStartMonth?: number;
  /** Month weights (default even). Not together with `quarterWeights`. */
  monthWeights?: MonthWeights;
  /** Four quarter weights; the year is split into quarters first. */
  quarterWeights?: readonly Weight[];
  /** With `quarterWeights`: how each quarter is split into its months (default even). */
  monthWeightsWithinQuarter?: MonthWeights;
  /**
   * Locked month amounts. Without quarter weights the other months of the year absorb the
   * difference; with quarter weights the quarters keep their seasonal amounts and only the
   * other months of the same quarter absorb it.
   */
  locks?: Readonly<Record<string, number>>;
  /** Rounding unit (see `allocate`), default 1. */
  unit?: number;
}

export interface SplitYearResult {
  months: PeriodAmount[];
  quarters: PeriodAmount[];
}

export function splitYear(total: number, opts: SplitYearOptions): SplitYearResult {
  const start = opts.fiscalStartMonth ?? 1;
  const months = monthsOfFiscalYear(opts.fiscalYear, start);
  const quarterIds = quartersOfFiscalYear(opts.fiscalYear);
  const locks = opts.locks ?? {};
  for (const m of Object.keys(locks)) {
    if (!months.includes(m))
      throw new AppError('PLANNING_INVALID', { reason: `lock on ${m} outside the year` });
  }
  const lockList = months.map((m) => locks[m]);
  const unit = opts.unit ?? 1;
  let amounts: number[];
  if (opts.quarterWeights) {
    if (opts.monthWeights) {
      throw new AppError('PLANNING_INVALID', {
        reason: 'monthWeights and quarterWeights together',
      });
    }
    if (opts.quarterWeights.length !== 4) {
      throw new AppError('PLANNING_INVALID', {
        reason: `${opts.quarterWeights.length} quarter weights`,
      });
    }
    const q = allocate(total, opts.quarterWeights, { unit });
    const within = alignWeights(months, opts.monthWeightsWithinQuarter);
    amounts = [];
    for (let k = 0; k < 4; k++) {
      amounts.push(
        ...allocate(q[k] ?? 0, within.slice(3 * k, 3 * k + 3), {
          locks: lockList.slice(3 * k, 3 * k + 3),
          unit,
        }),
      );
    }
  } else {
    amounts = allocate(total, alignWeights(months, opts.monthWeights), { locks: lockList, unit });
  }
  return {
    months: months.map((period, i) => ({ period, amount: amounts[i] ?? 0 })),
    quarters: quarterIds.map((period, k) => ({
      period,
      amount: (amounts[3 * k] ?? 0) + (amounts[3 * k + 1] ?? 0) + (amounts[3 * k + 2] ?? 0),
    })),
  };
}

function alignWeights(months: readonly string[], weights: MonthWeights | undefined): Weight[] {
  if (!weights) return months.map(() => 1);
  if (weights.length !== months.length) {
    throw new AppError('PLANNING_INVALID', {
      reason: `${weights.length} weights for ${months.length} months`,
    });
  }
  const first = weights[0];
  if (typeof first !== 'object') return [...(weights as readonly Weight[])];
  const byMonth = new Map((weights as readonly MonthWeight[]).map((w) => [w.month, w.weight]));
  return months.map((m) => {
    const w = byMonth.get(m);
    if (w === undefined) throw new AppError('PLANNING_INVALID', { reason: `no weight for ${m}` });
    return w;
  });
}

/**
 * How a month is shaped inside itself:
 *   'even'                    every working day weighs the same (default);
 *   { lastWeekBoostBp }       "steady, then push in the last week": working days among the
 *                             month's last 7 calendar days weigh (10,000 + boost) ÷ 10,000;
 *   { weekWeights }           one weight per week of `weeksOverlappingMonth(month)` (partial
 *                             ISO weeks included): the month is split over weeks by weight
 *                             first, then each week evenly over its working days. A week with
 *                             no working day gets nothing whatever its weight.
 */
export type WeekShape = 'even' | { lastWeekBoostBp: number } | { weekWeights: readonly Weight[] };

export interface SplitMonthToDaysOptions {
  month: string;
  calendar: WorkCalendar;
  weekShape?: WeekShape;
}

/**
 * Spreads a month's amount over every calendar day of the month: non-working days (weekends,
 * public holidays) get 0, make-up working days (调休) count as working days. Σ = monthTotal.
 * Every running total is its exact share rounded (`spread`), so the odd fen — or, for a count,
 * the units themselves — fall evenly through the month and the target to date never runs ahead
 * of the calendar. A month without working days can only carry 0 (PLANNING_NO_WORKING_DAYS).
 */
export function splitMonthToDays(
  monthTotal: number,
  opts: SplitMonthToDaysOptions,
): PeriodAmount[] {
  monthIndex(opts.month);
  const { start, end } = periodRange(opts.month);
  const days = eachDay(start, end);
  const working = days.map((d) => opts.calendar.isWorkingDay(d));
  const shape = opts.weekShape ?? 'even';
  const noWorkingDays = () => new AppError('PLANNING_NO_WORKING_DAYS', { month: opts.month });
  if (!working.includes(true)) {
    if (monthTotal !== 0) throw noWorkingDays();
    return days.map((period) => ({ period, amount: 0 }));
  }

  let amounts: number[];
  if (shape === 'even' || 'lastWeekBoostBp' in shape) {
    const boost = shape === 'even' ? 0 : shape.lastWeekBoostBp;
    if (!Number.isSafeInteger(boost) || boost < 0) {
      throw new AppError('PLANNING_INVALID', { reason: `last-week boost ${boost} bp` });
    }
    const lastWeekFrom = days.length - 7;
    amounts = spread(
      monthTotal,
      days.map((_, i) => (working[i] ? 10_000 + (i >= lastWeekFrom ? boost : 0) : 0)),
    );
  } else {
    const weeks = weeksOverlappingMonth(opts.month);
    if (shape.weekWeights.length !== weeks.length) {
      throw new AppError('PLANNING_INVALID', {
        reason: `${shape.weekWeights.length} week weights for ${weeks.length} weeks in ${opts.month}`,
      });
    }
    const first = toDayNumber(start);
    const slices = weeks.map((w) => {
      const from = toDayNumber(w.start) - first;
      return { from, to: toDayNumber(w.end) - first };
    });
    const hasWork = slices.map((s) => working.slice(s.from, s.to + 1).includes(true));
    const weekWeights = shape.weekWeights.map((w, k) => (hasWork[k] ? w : 0));
    let weekAmounts: number[];
    try {
      weekAmounts = spread(monthTotal, weekWeights);
    } catch (e) {
      if (e instanceof AppError && e.code === 'ALLOCATION_NO_WEIGHT') throw noWorkingDays();
      throw e;
    }
    amounts = days.map(() => 0);
    slices.forEach((s, k) => {
      const part = spread(
        weekAmounts[k] ?? 0,
        working.slice(s.from, s.to + 1).map((w) => (w ? 1 : 0)),
      );
      part.forEach((a, j) => (amounts[s.from + j] = a));
    });
  }
  return days.map((period, i) => ({ period, amount: amounts[i] ?? 0 }));
}

/** Σ of the amounts whose period (a date) lies in [start, end], both inclusive. */
export function sumRange(
  amounts: readonly PeriodAmount[],
  start: DateString,
  end: DateString,
): number {
  let sum = 0;
  for (const a of amounts) if (a.period >= start && a.period <= end) sum += a.amount;
  return sum;
}

/**
 * Day amounts (of one or several months) summed per ISO week, in order. A week straddling two
 * months adds the days of both when both are given.
 */
export function sumByWeek(days: readonly PeriodAmount[]): PeriodAmount[] {
  const out: PeriodAmount[] = [];
  const index = new Map<string, PeriodAmount>();
  for (const d of [...days].sort((a, b) => (a.period < b.period ? -1 : 1))) {
    const week = isoWeekOf(d.period);
    let entry = index.get(week);
    if (!entry) {
      entry = { period: week, amount: 0 };
      index.set(week, entry);
      out.push(entry);
    }
    entry.amount += d.amount;
  }
  return out;
}

export interface WeekAmount {
  /** ISO week id. */
  week: string;
  /** The part of the week inside the month. */
  start: DateString;
  end: DateString;
  amount: number;
}

/** The month's share of each week touching it, as the sum of the week's days in the month. */
export function splitMonthToWeeks(monthTotal: number, opts: SplitMonthToDaysOptions): WeekAmount[] {
  const days = splitMonthToDays(monthTotal, opts);
  return weeksOverlappingMonth(opts.month).map((w) => ({
    week: w.week,
    start: w.start,
    end: w.end,
    amount: sumRange(days, w.start, w.end),
  }));
}

/**
 * A month as n equal weeks, for tables that speak of "the weekly average" (METHOD §3: 300万 over
 * four weeks → 75万 a week); earlier weeks take the odd fen. Use `splitMonthToWeeks` for the
 * real calendar.
 */
export function evenWeeks(total: number, n = 4): number[] {
  return allocateEven(total, n);
}

export interface Progress {
  elapsed: number;
  total: number;
  /** elapsed ÷ total in bp, half-up; 10,000 at or after the end. */
  bp: number;
}

/**
 * Time progress (时间进度, METHOD §4) = elapsed working days ÷ working days in the period.
 * `today` counts as elapsed (progress at the end of today) unless includeToday is false.
 * A period without working days is 0% before its end and 100% from it.
 */
export function timeProgress(
  start: DateString,
  end: DateString,
  today: DateString,
  calendar: WorkCalendar,
  opts: { includeToday?: boolean } = {},
): Progress {
  if (end < start) throw new AppError('PLANNING_INVALID', { reason: `period ${start}..${end}` });
  const total = calendar.workingDaysIn(start, end);
  const lastElapsed = opts.includeToday === false ? addDays(today, -1) : today;
  const until = lastElapsed < end ? lastElapsed : end;
  const elapsed = until < start ? 0 : calendar.workingDaysIn(start, until);
  if (total === 0) return { elapsed: 0, total: 0, bp: today >= end ? 10_000 : 0 };
  return { elapsed, total, bp: ratioBp(elapsed, total) };
}

/**
 * Time progress weighted by the plan's own day amounts (a pushed last week weighs more), so
 * "behind/ahead" compares attainment with the share of the target that was due by today.
 */
export function plannedProgress(days: readonly PeriodAmount[], today: DateString): Progress {
  let elapsed = 0;
  let total = 0;
  for (const d of days) {
    total += d.amount;
    if (d.period <= today) elapsed += d.amount;
  }
  if (total === 0) return { elapsed, total, bp: 0 };
  return { elapsed, total, bp: ratioBp(elapsed, total) };
}

/**
 * Revises a plan without rewriting history (METHOD §11): periods up to and including
 * `frozenUntil` keep their amounts bit for bit; the rest, newTotal − Σ frozen, is re-spread over
 * the remaining periods in proportion to their current amounts (the original weights) — or to
 * `weights` when given (one per period, e.g. the seasonal profile, needed when the remaining
 * amounts are all zero).
 *
 * Periods are days or months; `frozenUntil` is a date or a month. A month is frozen when it is
 * ≤ a month `frozenUntil`, or when its last day is ≤ a date `frozenUntil` (a month in progress is
 * not frozen — revise at day level to freeze part of it).
 * Errors: PLANNING_REVISION_BELOW_FROZEN when newTotal < Σ frozen; PLANNING_NO_REMAINING_PERIODS
 * when nothing is left to absorb a change.
 */
export function respreadRemaining(
  current: readonly PeriodAmount[],
  newTotal: number,
  frozenUntil: string,
  opts: { weights?: readonly Weight[] } = {},
): PeriodAmount[] {
  if (!Number.isSafeInteger(newTotal))
    throw new AppError('MONEY_INVALID', { value: String(newTotal) });
  if (opts.weights && opts.weights.length !== current.length) {
    throw new AppError('PLANNING_INVALID', {
      reason: `${opts.weights.length} weights for ${current.length} periods`,
    });
  }
  const until = parsePeriod(frozenUntil);
  if (until.kind !== 'day' && until.kind !== 'month') {
    throw new AppError('PLANNING_INVALID', { reason: `freeze until ${frozenUntil}` });
  }
  const frozen = current.map((c) => isFrozen(c.period, until.id));
  let frozenSum = 0;
  current.forEach((c, i) => {
    if (frozen[i]) frozenSum += c.amount;
  });
  const rest = newTotal - frozenSum;
  if (rest < 0) {
    throw new AppError('PLANNING_REVISION_BELOW_FROZEN', { frozen: frozenSum, total: newTotal });
  }
  const open = current.filter((_, i) => !frozen[i]).length;
  if (open === 0) {
    if (rest !== 0)
      throw new AppError('PLANNING_NO_REMAINING_PERIODS', { frozen: frozenSum, total: newTotal });
    return current.map((c) => ({ ...c }));
  }
  const weights = current.map((c, i) => (frozen[i] ? 0 : (opts.weights?.[i] ?? c.amount)));
  let parts: number[];
  try {
    parts = allocate(newTotal, weights, {
      locks: current.map((c, i) => (frozen[i] ? c.amount : null)),
    });
  } catch (e) {
    if (e instanceof AppError && e.code === 'ALLOCATION_NO_WEIGHT') {
      throw new AppError('PLANNING_NO_REMAINING_PERIODS', { frozen: frozenSum, total: newTotal });
    }
    throw e;
  }
  return current.map((c, i) => ({ period: c.period, amount: parts[i] ?? 0 }));
}

function isFrozen(period: string, frozenUntil: string): boolean {
  if (period.length === frozenUntil.length) return period <= frozenUntil;
  if (period.length === 7 && frozenUntil.length === 10)
    return periodRange(period).end <= frozenUntil;
  throw new AppError('PLANNING_INVALID', {
    reason: `cannot freeze ${period} until ${frozenUntil}`,
  });
}

function ratioBp(a: number, b: number): number {
  return toSafeNumber(divRoundHalfUp(BigInt(a) * 10_000n, BigInt(b)), 'NUMBER_INVALID');
}
