/**
 * Growth 同比/环比 (METHOD §4) and the comparison periods they need. Rates are basis points,
 * half away from zero.
 */
import {
  type DateString,
  addDays,
  assertDate,
  daysInMonth,
  formatCivil,
  toDayNumber,
} from '../dates.ts';
import { AppError } from '../errors.ts';
import { type DateRange, isoWeekOf, isoWeeksInYear, parsePeriod, periodRange } from '../periods.ts';
import { assertFen, ratioBp } from './ratio.ts';

/**
 * (current − base) ÷ |base| in bp; null when the base is 0 (growth from nothing is undefined, not
 * infinite). Dividing by |base| keeps the sign meaningful for negative bases: a loss of 100 that
 * becomes a loss of 50 is +50%, not −50%.
 */
export function growthRate(current: number, base: number): number | null {
  assertFen(current, 'current');
  assertFen(base, 'base');
  if (base === 0) return null;
  return ratioBp(BigInt(current) - BigInt(base), Math.abs(base));
}

/** Year-on-year 同比: current against the same period last year. */
export function yoy(current: number, lastYearSamePeriod: number): number | null {
  return growthRate(current, lastYearSamePeriod);
}

/** Period-over-period 环比: current against the immediately preceding period. */
export function periodOverPeriod(current: number, previous: number): number | null {
  return growthRate(current, previous);
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad4 = (n: number) => String(n).padStart(4, '0');

/** The same month-day one year earlier; 29 February becomes 28 February. */
function dateLastYear(date: DateString): DateString {
  assertDate(date);
  const year = Number(date.slice(0, 4)) - 1;
  const month = Number(date.slice(5, 7));
  const day = Math.min(Number(date.slice(8, 10)), daysInMonth(year, month));
  if (year < 1) throw new AppError('PERIOD_INVALID', { value: date });
  return formatCivil(year, month, day);
}

function assertRange(range: DateRange): void {
  assertDate(range.start);
  assertDate(range.end);
  if (range.end < range.start) {
    throw new AppError('DATE_ORDER', { start: range.start, end: range.end });
  }
}

/**
 * The comparison period for YoY 同比:
 * - 'FY2026' → 'FY2025'; 'FY2026-Q3' → 'FY2025-Q3' (fiscal ids, so no fiscal start month needed);
 * - '2026-03' → '2025-03';
 * - '2026-W10' → '2025-W10' — the same ISO week number; week 53 maps to week 52 when last year
 *   had only 52 weeks (its last week);
 * - '2024-02-29' → '2023-02-28';
 * - a custom range {start, end} → each end moved to the same month-day a year earlier, 29 Feb
 *   becoming 28 Feb. The ranges are "the same dates last year", so their lengths can differ by
 *   the leap day (1 Jan–15 Mar 2024 has 75 days, 1 Jan–15 Mar 2023 has 74); that is what users
 *   compare on a report. Use month or quarter ids for whole months.
 */
export function samePeriodLastYear(period: string): string;
export function samePeriodLastYear(period: DateRange): DateRange;
export function samePeriodLastYear(period: string | DateRange): string | DateRange {
  if (typeof period !== 'string') {
    assertRange(period);
    return { start: dateLastYear(period.start), end: dateLastYear(period.end) };
  }
  const p = parsePeriod(period);
  const invalid = () => new AppError('PERIOD_INVALID', { value: period });
  if (p.kind === 'day') return dateLastYear(p.date);
  if (p.year <= 1) throw invalid();
  const y = p.year - 1;
  switch (p.kind) {
    case 'year':
      return `FY${pad4(y)}`;
    case 'quarter':
      return `FY${pad4(y)}-Q${p.quarter}`;
    case 'month':
      return `${pad4(y)}-${pad2(p.month)}`;
    case 'week':
      return `${pad4(y)}-W${pad2(Math.min(p.week, isoWeeksInYear(y)))}`;
  }
}

/**
 * The comparison period for 环比, the one immediately before: 'FY2026' → 'FY2025',
 * 'FY2026-Q1' → 'FY2025-Q4', '2026-01' → '2025-12', '2026-W01' → '2025-W52', '2026-03-01' →
 * '2026-02-28', and a custom range → the range of the same length (in days) ending the day
 * before it starts (no leap-day question arises: lengths are counted in days).
 */
export function previousPeriod(period: string): string;
export function previousPeriod(period: DateRange): DateRange;
export function previousPeriod(period: string | DateRange): string | DateRange {
  if (typeof period !== 'string') {
    assertRange(period);
    const length = toDayNumber(period.end) - toDayNumber(period.start) + 1;
    return { start: addDays(period.start, -length), end: addDays(period.start, -1) };
  }
  const p = parsePeriod(period);
  const invalid = () => new AppError('PERIOD_INVALID', { value: period });
  switch (p.kind) {
    case 'day':
      return addDays(p.date, -1);
    case 'week':
      return isoWeekOf(addDays(periodRange(p).start, -7));
    case 'month':
      if (p.month > 1) return `${pad4(p.year)}-${pad2(p.month - 1)}`;
      if (p.year <= 1) throw invalid();
      return `${pad4(p.year - 1)}-12`;
    case 'quarter':
      if (p.quarter > 1) return `FY${pad4(p.year)}-Q${p.quarter - 1}`;
      if (p.year <= 1) throw invalid();
      return `FY${pad4(p.year - 1)}-Q4`;
    case 'year':
      if (p.year <= 1) throw invalid();
      return `FY${pad4(p.year - 1)}`;
  }
}

/**
 * The part of a comparison period that matches the elapsed part of the current one, for 同比 and
 * 环比 to date:
 * - when the current period has fully elapsed, the whole comparison period — FY2017 against all 366
 *   days of FY2016, February 2017 against all 29 days of February 2016, March against all of
 *   February (never "the first 31 days" of something);
 * - when the two periods start on the same day of a month (months, quarters, fiscal years, and
 *   custom ranges shifted by whole years), the same calendar position: the elapsed end moved back
 *   by the months between the starts, its day clamped to the month (31 March → 28 February), and a
 *   month-end staying a month-end (year to 28 February 2017 against year to 29 February 2016);
 * - otherwise (weeks, days, custom ranges of equal length) the same number of days.
 * The window never runs past the comparison period.
 */
export function comparableWindow(
  current: DateRange,
  comparison: DateRange,
  elapsed: DateRange,
): DateRange {
  assertRange(current);
  assertRange(comparison);
  assertRange(elapsed);
  if (elapsed.end >= current.end) return { start: comparison.start, end: comparison.end };
  let end: DateString;
  if (current.start.slice(8) === comparison.start.slice(8)) {
    const months =
      (Number(current.start.slice(0, 4)) - Number(comparison.start.slice(0, 4))) * 12 +
      (Number(current.start.slice(5, 7)) - Number(comparison.start.slice(5, 7)));
    end = shiftMonths(elapsed.end, -months);
  } else {
    end = addDays(comparison.start, toDayNumber(elapsed.end) - toDayNumber(elapsed.start));
  }
  return { start: comparison.start, end: end < comparison.end ? end : comparison.end };
}

/** `date` moved by `months`, the day clamped to the month; the last day of a month stays one. */
function shiftMonths(date: DateString, months: number): DateString {
  const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  const index = y * 12 + (m - 1) + months;
  const [year, month] = [Math.floor(index / 12), (index % 12) + 1];
  if (year < 1) throw new AppError('PERIOD_INVALID', { value: date });
  const last = daysInMonth(year, month);
  return formatCivil(year, month, d === daysInMonth(y, m) ? last : Math.min(d, last));
}
