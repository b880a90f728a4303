import type { DateString } from './dates.ts';

/**
 * The dates a fact may be credited on. `parseDate` already refuses what is no date at all
 * (2026-02-30, 0000-00-00); this refuses real dates no sales fact can have, such as the
 * 9999-12-31 that ERPs write for "no date": a fact's date decides its rollup day, month and
 * fiscal year, and one stray year would put a row into dashboards, plans and rebuilds decades
 * away. From 2000-01-01, before any history a company imports (the holiday data starts in 2004),
 * to the end of next year: facts happen by today, but booked orders, planned visits and
 * expected closes may lie in the year a plan is being set for — never further.
 */
export const FACT_DATE_MIN: DateString = '2000-01-01';

/** [min, max] for facts imported on `today` ('YYYY-MM-DD'). */
export function factDateRange(today: DateString): { min: DateString; max: DateString } {
  return { min: FACT_DATE_MIN, max: `${Number(today.slice(0, 4)) + 1}-12-31` };
}

/** Whether a canonical date lies in `range` (the strings sort as the days do). */
export function inFactDateRange(
  date: DateString,
  range: { min: DateString; max: DateString },
): boolean {
  return date >= range.min && date <= range.max;
}
