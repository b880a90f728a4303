/**
 * Planning periods as strings — the same strings are stored, sent over the wire and shown:
 *
 *   year     'FY2026'      fiscal year, named after the calendar year it starts in
 *   quarter  'FY2026-Q1'   fiscal quarter
 *   month    '2026-03'     calendar month (fiscal months are calendar months)
 *   week     '2026-W09'    ISO 8601 week (Monday–Sunday, week 1 holds the first Thursday)
 *   day      '2026-03-01'
 *
 * The fiscal start month (1–12) is a company setting passed in by the caller: FY2026 with start
 * month 4 runs 2026-04-01..2027-03-31; with start month 1 it is calendar 2026. Quarters and years
 * therefore need it to become dates; months, weeks and days do not.
 */
import { AppError } from './errors.ts';
import {
  type DateString,
  assertDate,
  civilFromDays,
  daysFromCivil,
  daysInMonth,
  formatCivil,
  fromDayNumber,
  isValidDate,
  toDayNumber,
  weekdayOfDayNumber,
} from './dates.ts';

// Day arithmetic lives in dates.ts; re-exported so callers can treat periods.ts as the one place
// for "time".
export {
  type DateString,
  addDays,
  daysBetween,
  eachDay,
  dayOfWeek,
  isValidDate,
  parseDate,
  excelSerialToDate,
  dateToExcelSerial,
  compareDates,
  daysInMonth,
  isLeapYear,
} from './dates.ts';

export type PeriodKind = 'year' | 'quarter' | 'month' | 'week' | 'day';

export type Period =
  | { kind: 'year'; id: string; year: number }
  | { kind: 'quarter'; id: string; year: number; quarter: 1 | 2 | 3 | 4 }
  | { kind: 'month'; id: string; year: number; month: number }
  | { kind: 'week'; id: string; year: number; week: number }
  | { kind: 'day'; id: string; date: DateString };

export interface DateRange {
  start: DateString;
  end: DateString; // inclusive
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const pad4 = (n: number) => String(n).padStart(4, '0');

/**
 * Parses a period id (case-insensitive, surrounding spaces ignored) into a discriminated union
 * whose `id` is the canonical spelling. Throws PERIOD_INVALID.
 */
export function parsePeriod(s: string): Period {
  const value = String(s);
  const t = value.trim().toUpperCase();
  const invalid = () => new AppError('PERIOD_INVALID', { value });
  let m: RegExpExecArray | null;
  if ((m = /^FY(\d{4})$/.exec(t))) {
    const year = Number(m[1]);
    if (year < 1) throw invalid();
    return { kind: 'year', id: `FY${pad4(year)}`, year };
  }
  if ((m = /^FY(\d{4})-Q([1-4])$/.exec(t))) {
    const year = Number(m[1]);
    if (year < 1) throw invalid();
    const quarter = Number(m[2]) as 1 | 2 | 3 | 4;
    return { kind: 'quarter', id: `FY${pad4(year)}-Q${quarter}`, year, quarter };
  }
  if ((m = /^(\d{4})-W(\d{2})$/.exec(t))) {
    const year = Number(m[1]);
    const week = Number(m[2]);
    if (year < 1 || week < 1 || week > isoWeeksInYear(year)) throw invalid();
    return { kind: 'week', id: `${pad4(year)}-W${pad2(week)}`, year, week };
  }
  if ((m = /^(\d{4})-(\d{2})$/.exec(t))) {
    const year = Number(m[1]);
    const month = Number(m[2]);
    if (year < 1 || month < 1 || month > 12) throw invalid();
    return { kind: 'month', id: `${pad4(year)}-${pad2(month)}`, year, month };
  }
  if (isValidDate(t)) return { kind: 'day', id: t, date: t };
  throw invalid();
}

/** The kind of a period id, or undefined if it is not one. */
export function periodKind(s: string): PeriodKind | undefined {
  try {
    return parsePeriod(s).kind;
  } catch {
    return undefined;
  }
}

function assertStartMonth(startMonth: number): void {
  if (!Number.isInteger(startMonth) || startMonth < 1 || startMonth > 12) {
    throw new AppError('PERIOD_INVALID', { value: `fiscal start month ${startMonth}` });
  }
}

/** Calendar (year, month) of the k-th month (0-based) of fiscal year `fy`. */
function fiscalMonth(fy: number, startMonth: number, k: number): { year: number; month: number } {
  const index = startMonth - 1 + k;
  return { year: fy + Math.floor(index / 12), month: (index % 12) + 1 };
}

function monthId(year: number, month: number): string {
  return `${pad4(year)}-${pad2(month)}`;
}

function monthRange(year: number, month: number): DateRange {
  if (year > 9999) throw new AppError('PERIOD_INVALID', { value: monthId(year, month) });
  return {
    start: formatCivil(year, month, 1),
    end: formatCivil(year, month, daysInMonth(year, month)),
  };
}

/** Monday of ISO week 1 of ISO year `year`, as a day number. */
function isoWeekOneMonday(year: number): number {
  const jan4 = daysFromCivil(year, 1, 4);
  return jan4 - (weekdayOfDayNumber(jan4) - 1);
}

/** 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or a Wednesday in leap years. */
export function isoWeeksInYear(year: number): number {
  return (isoWeekOneMonday(year + 1) - isoWeekOneMonday(year)) / 7;
}

/** First and last day (inclusive) of a period. */
export function periodRange(period: string | Period, fiscalStartMonth = 1): DateRange {
  const p = typeof period === 'string' ? parsePeriod(period) : period;
  switch (p.kind) {
    case 'day':
      return { start: p.date, end: p.date };
    case 'month':
      return monthRange(p.year, p.month);
    case 'week': {
      const monday = isoWeekOneMonday(p.year) + (p.week - 1) * 7;
      return { start: fromDayNumber(monday), end: fromDayNumber(monday + 6) };
    }
    case 'quarter': {
      assertStartMonth(fiscalStartMonth);
      const first = fiscalMonth(p.year, fiscalStartMonth, (p.quarter - 1) * 3);
      const last = fiscalMonth(p.year, fiscalStartMonth, (p.quarter - 1) * 3 + 2);
      return {
        start: monthRange(first.year, first.month).start,
        end: monthRange(last.year, last.month).end,
      };
    }
    case 'year': {
      assertStartMonth(fiscalStartMonth);
      const first = fiscalMonth(p.year, fiscalStartMonth, 0);
      const last = fiscalMonth(p.year, fiscalStartMonth, 11);
      return {
        start: monthRange(first.year, first.month).start,
        end: monthRange(last.year, last.month).end,
      };
    }
  }
}

function fiscalYearNumber(fy: string | number): number {
  if (typeof fy === 'number') {
    if (!Number.isInteger(fy) || fy < 1 || fy > 9999)
      throw new AppError('PERIOD_INVALID', { value: String(fy) });
    return fy;
  }
  const p = parsePeriod(fy);
  if (p.kind !== 'year') throw new AppError('PERIOD_INVALID', { value: fy });
  return p.year;
}

/** The twelve month ids of a fiscal year ('FY2026' or 2026), in order. */
export function monthsOfFiscalYear(fy: string | number, fiscalStartMonth = 1): string[] {
  assertStartMonth(fiscalStartMonth);
  const year = fiscalYearNumber(fy);
  return Array.from({ length: 12 }, (_, k) => {
    const { year: y, month } = fiscalMonth(year, fiscalStartMonth, k);
    return monthId(y, month);
  });
}

/** The four quarter ids of a fiscal year: 'FY2026-Q1' … 'FY2026-Q4'. */
export function quartersOfFiscalYear(fy: string | number): string[] {
  const year = fiscalYearNumber(fy);
  return [1, 2, 3, 4].map((q) => `FY${pad4(year)}-Q${q}`);
}

/** The three month ids of a fiscal quarter. */
export function monthsOfQuarter(quarter: string, fiscalStartMonth = 1): string[] {
  assertStartMonth(fiscalStartMonth);
  const p = parsePeriod(quarter);
  if (p.kind !== 'quarter') throw new AppError('PERIOD_INVALID', { value: quarter });
  return [0, 1, 2].map((k) => {
    const { year, month } = fiscalMonth(p.year, fiscalStartMonth, (p.quarter - 1) * 3 + k);
    return monthId(year, month);
  });
}

/** Calendar year and month of a 'YYYY-MM-DD' date or a 'YYYY-MM' month. */
function yearMonthOf(dateOrMonth: string): { year: number; month: number } {
  if (/^\d{4}-\d{2}$/.test(dateOrMonth)) {
    const p = parsePeriod(dateOrMonth);
    if (p.kind === 'month') return { year: p.year, month: p.month };
  }
  assertDate(dateOrMonth);
  return { year: Number(dateOrMonth.slice(0, 4)), month: Number(dateOrMonth.slice(5, 7)) };
}

/** Fiscal year id containing a date (or a month): fiscalYearOf('2026-03-15', 4) → 'FY2025'. */
export function fiscalYearOf(dateOrMonth: string, fiscalStartMonth = 1): string {
  assertStartMonth(fiscalStartMonth);
  const { year, month } = yearMonthOf(dateOrMonth);
  return `FY${pad4(month >= fiscalStartMonth ? year : year - 1)}`;
}

/** Fiscal quarter id containing a date (or a month): fiscalQuarterOf('2026-04-01', 4) → 'FY2026-Q1'. */
export function fiscalQuarterOf(dateOrMonth: string, fiscalStartMonth = 1): string {
  assertStartMonth(fiscalStartMonth);
  const { year, month } = yearMonthOf(dateOrMonth);
  const fy = month >= fiscalStartMonth ? year : year - 1;
  const offset = (month - fiscalStartMonth + 12) % 12;
  return `FY${pad4(fy)}-Q${Math.floor(offset / 3) + 1}`;
}

/** Calendar month id of a date: '2026-03-15' → '2026-03'. */
export function monthOf(date: DateString): string {
  assertDate(date);
  return date.slice(0, 7);
}

/**
 * ISO week id of a date. The ISO week-year can differ from the calendar year near New Year:
 * 2026-12-31 (Thursday) is '2026-W53', 2027-01-01 (Friday) too; 2024-12-30 is '2025-W01'.
 */
export function isoWeekOf(date: DateString): string {
  const day = toDayNumber(date);
  // The week belongs to the year of its Thursday.
  const thursday = day + (4 - weekdayOfDayNumber(day));
  const year = civilFromDays(thursday).year;
  const week = Math.floor((thursday - isoWeekOneMonday(year)) / 7) + 1;
  return `${pad4(year)}-W${pad2(week)}`;
}

export interface WeekInMonth {
  /** ISO week id. */
  week: string;
  /** The part of the week inside the month (inclusive). */
  start: DateString;
  end: DateString;
  /** Number of the week's days that fall inside the month (1..7). */
  days: number;
}

/**
 * The ISO weeks touching a month, in order, each with the slice of it inside the month. Weeks that
 * straddle two months appear in both with their partial day counts, so a month's target can be
 * shown by week without double counting: Σ days = days in the month.
 */
export function weeksOverlappingMonth(month: string): WeekInMonth[] {
  const p = parsePeriod(month);
  if (p.kind !== 'month') throw new AppError('PERIOD_INVALID', { value: month });
  const range = monthRange(p.year, p.month);
  const first = toDayNumber(range.start);
  const last = toDayNumber(range.end);
  const out: WeekInMonth[] = [];
  let d = first;
  while (d <= last) {
    const sunday = d + (7 - weekdayOfDayNumber(d));
    const end = Math.min(sunday, last);
    const start = fromDayNumber(d);
    out.push({ week: isoWeekOf(start), start, end: fromDayNumber(end), days: end - d + 1 });
    d = end + 1;
  }
  return out;
}

/** True when every day of `inner` lies within `outer` (both periods or period ids). */
export function contains(
  outer: string | Period,
  inner: string | Period,
  fiscalStartMonth = 1,
): boolean {
  const o = periodRange(outer, fiscalStartMonth);
  const i = periodRange(inner, fiscalStartMonth);
  return o.start <= i.start && i.end <= o.end;
}

/** True when the two periods share at least one day. */
export function overlaps(a: string | Period, b: string | Period, fiscalStartMonth = 1): boolean {
  const x = periodRange(a, fiscalStartMonth);
  const y = periodRange(b, fiscalStartMonth);
  return x.start <= y.end && y.start <= x.end;
}

/** Number of days in a period (inclusive range length). */
export function daysInPeriod(period: string | Period, fiscalStartMonth = 1): number {
  const { start, end } = periodRange(period, fiscalStartMonth);
  return toDayNumber(end) - toDayNumber(start) + 1;
}
