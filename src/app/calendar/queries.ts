import { sql } from 'kysely';
import { officialHolidayData } from '../../data/chinese-holidays.ts';
import type { Db } from '../../db/connect.ts';
import { buildCalendar, type HolidayData } from '../../domain/calendar.ts';
import { eachDay } from '../../domain/dates.ts';
import type { Locale } from '../actor.ts';

/** An admin's override of one day, as the API shows it. */
export interface HolidayOverride {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  updatedAt: string;
}

// The package data is static; map it once per language, on first use.
const official = new Map<Locale, HolidayData>();
function officialData(locale: Locale): HolidayData {
  let data = official.get(locale);
  if (!data) official.set(locale, (data = officialHolidayData(locale)));
  return data;
}

export function toHolidayOverride(r: {
  date: string;
  kind: 'holiday' | 'workday';
  name: string;
  updated_at: string;
}): HolidayOverride {
  return { date: r.date, kind: r.kind, name: r.name, updatedAt: r.updated_at };
}

async function overrideRows(db: Db, year?: number) {
  let q = db.selectFrom('holiday_overrides').selectAll().orderBy('date');
  if (year !== undefined)
    q = q.where('date', '>=', `${year}-01-01`).where('date', '<=', `${year}-12-31`);
  return q.execute();
}

/** Overrides of one year, or of every year, by date. */
export async function listHolidayOverrides(db: Db, year?: number): Promise<HolidayOverride[]> {
  return (await overrideRows(db, year)).map(toHolidayOverride);
}

/** Years with the published holiday schedule and years with overrides, with their counts. */
export async function calendarYears(db: Db) {
  const rows = await db
    .selectFrom('holiday_overrides')
    .select([sql<string>`substr(date, 1, 4)`.as('year'), sql<number>`count(*)`.as('n')])
    .groupBy(sql`substr(date, 1, 4)`)
    .execute();
  const overrides = new Map(rows.map((r) => [Number(r.year), Number(r.n)]));
  const officialYears = officialData('zh-CN').years;
  const years = [...new Set([...officialYears, ...overrides.keys()])].sort((a, b) => a - b);
  return years.map((year) => ({
    year,
    official: officialYears.includes(year),
    overrides: overrides.get(year) ?? 0,
  }));
}

/** Every day of a year: working or not, and why, with holiday names in `locale`. */
export async function calendarYear(db: Db, year: number, locale: Locale) {
  const start = `${year}-01-01`;
  const end = `${year}-12-31`;
  const overrides = await overrideRows(db, year);
  const overridden = new Set(overrides.map((o) => o.date));
  const calendar = buildCalendar(officialData(locale), overrides);
  const days = eachDay(start, end).map((date) => {
    const info = calendar.dayInfo(date);
    return {
      date,
      working: info.working,
      kind: info.kind,
      name: info.name ?? null,
      overridden: overridden.has(date),
    };
  });
  return {
    year,
    hasOfficialData: calendar.hasOfficialData(year),
    workingDays: calendar.workingDaysIn(start, end),
    days,
  };
}
