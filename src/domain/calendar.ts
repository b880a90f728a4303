/**
 * The working-day calendar. Days are the atoms of time (METHOD §11): a month's target is spread
 * over its working days, and time progress counts elapsed working days, so both must agree on
 * which days work. Chinese public holidays move every year (Spring Festival follows the lunar
 * calendar) and come with make-up working days on weekends (调休), so the rules are:
 *
 *   1. an admin override for the date wins;
 *   2. else an official holiday is off, an official make-up day works;
 *   3. else Saturday and Sunday are off, Monday–Friday work.
 *
 * The official data is passed in (see src/data/chinese-holidays.ts) so the domain stays free of
 * data packages, and a year the package does not cover yet can be supplied by overrides.
 */
import { AppError } from './errors.ts';
import {
  type DateString,
  assertDate,
  fromDayNumber,
  toDayNumber,
  weekdayOfDayNumber,
} from './dates.ts';

/** Official holiday data: date → holiday name, plus the years the data is complete for. */
export interface HolidayData {
  /** Days off, including weekend days inside a holiday block. */
  holidays: Record<DateString, string>;
  /** Make-up working days (调休), typically weekend days. */
  workdays: Record<DateString, string>;
  /** Years for which the official schedule has been published and loaded. */
  years: number[];
}

export interface CalendarOverride {
  date: DateString;
  kind: 'holiday' | 'workday';
  name: string;
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'makeup';

export interface DayInfo {
  working: boolean;
  /**
   * 'workday' an ordinary working day (incl. a weekday an override turned back into work),
   * 'weekend' an ordinary Saturday/Sunday, 'holiday' a day off by holiday rule (official or
   * override, even on a weekend), 'makeup' a Saturday/Sunday that works (调休).
   */
  kind: DayKind;
  name?: string;
}

export interface WorkCalendar {
  isWorkingDay(date: DateString): boolean;
  /** Number of working days from start to end, both inclusive (0 if end < start). */
  workingDaysIn(start: DateString, end: DateString): number;
  /** The working days from start to end, both inclusive, in order. */
  workingDayList(start: DateString, end: DateString): DateString[];
  /** Whether holidays are known for the year (official data or at least one override). */
  hasOfficialData(year: number): boolean;
  /** Throws CALENDAR_YEAR_UNKNOWN for the first year in [start, end] without holiday data. */
  requireOfficialData(start: DateString, end: DateString): void;
  dayInfo(date: DateString): DayInfo;
}

interface Entry {
  kind: 'holiday' | 'workday';
  name: string;
}

export function buildCalendar(
  official: HolidayData,
  overrides: readonly CalendarOverride[] = [],
): WorkCalendar {
  // Keyed by day number so range scans do integer arithmetic, not string formatting.
  const officialEntries = new Map<number, Entry>();
  for (const [date, name] of Object.entries(official.workdays)) {
    officialEntries.set(toDayNumber(date), { kind: 'workday', name });
  }
  // A date listed as both is a data error; the day off wins because that is the safer default
  // for spreading targets (nobody is asked to sell on a public holiday).
  for (const [date, name] of Object.entries(official.holidays)) {
    officialEntries.set(toDayNumber(date), { kind: 'holiday', name });
  }
  const overrideEntries = new Map<number, Entry>();
  const years = new Set(official.years);
  for (const o of overrides) {
    assertDate(o.date);
    if (o.kind !== 'holiday' && o.kind !== 'workday') {
      throw new AppError('ENUM_INVALID', { value: String(o.kind), allowed: 'holiday, workday' });
    }
    overrideEntries.set(toDayNumber(o.date), { kind: o.kind, name: o.name });
    years.add(Number(o.date.slice(0, 4)));
  }

  function infoOf(day: number): DayInfo {
    const weekend = weekdayOfDayNumber(day) >= 6;
    const entry = overrideEntries.get(day) ?? officialEntries.get(day);
    if (entry?.kind === 'holiday') return { working: false, kind: 'holiday', name: entry.name };
    if (entry?.kind === 'workday') {
      return { working: true, kind: weekend ? 'makeup' : 'workday', name: entry.name };
    }
    return weekend ? { working: false, kind: 'weekend' } : { working: true, kind: 'workday' };
  }

  function scan(start: DateString, end: DateString, visit: (day: number) => void): void {
    const to = toDayNumber(end);
    for (let d = toDayNumber(start); d <= to; d++) if (infoOf(d).working) visit(d);
  }

  return {
    isWorkingDay: (date) => infoOf(toDayNumber(date)).working,
    dayInfo: (date) => infoOf(toDayNumber(date)),
    workingDaysIn(start, end) {
      let n = 0;
      scan(start, end, () => n++);
      return n;
    },
    workingDayList(start, end) {
      const out: DateString[] = [];
      scan(start, end, (d) => out.push(fromDayNumber(d)));
      return out;
    },
    hasOfficialData: (year) => years.has(year),
    requireOfficialData(start, end) {
      const from = Number(start.slice(0, 4));
      const to = Number(end.slice(0, 4));
      assertDate(start);
      assertDate(end);
      for (let y = from; y <= to; y++) {
        if (!years.has(y)) throw new AppError('CALENDAR_YEAR_UNKNOWN', { year: y });
      }
    },
  };
}
