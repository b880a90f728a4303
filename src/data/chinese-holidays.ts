/**
 * Official Chinese public holidays and make-up working days (调休), from the `chinese-days`
 * package, in the shape the pure calendar (`src/domain/calendar.ts`) takes. Kept outside the
 * domain so the domain has no data dependency, and so a package update is a one-file change.
 *
 * The package publishes each State Council schedule (国务院办公厅关于节假日安排的通知) once it is
 * announced, usually in November for the next year. Years it does not cover are reported by
 * `WorkCalendar.hasOfficialData` and can be added by an admin as calendar overrides.
 */
// The package's JSON is its data without the lunar-calendar code around it.
import raw from 'chinese-days/dist/chinese-days.json' with { type: 'json' };
import type { HolidayData } from '../domain/calendar.ts';

/** Entries look like "Spring Festival,春节,4": English name, Chinese name, holiday length. */
function holidayName(entry: string, locale: 'zh-CN' | 'en'): string {
  const [en = entry, zh = en] = entry.split(',');
  return locale === 'zh-CN' ? zh : en;
}

function mapNames(source: Record<string, string>, locale: 'zh-CN' | 'en'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [date, entry] of Object.entries(source)) out[date] = holidayName(entry, locale);
  return out;
}

/** The years the package has a schedule for: every year with at least one holiday listed. */
function coveredYears(holidays: Record<string, string>): number[] {
  const years = new Set(Object.keys(holidays).map((d) => Number(d.slice(0, 4))));
  return [...years].sort((a, b) => a - b);
}

/** Official holiday data with names in the given language (default Chinese: 春节, 国庆节…). */
export function officialHolidayData(locale: 'zh-CN' | 'en' = 'zh-CN'): HolidayData {
  const data = raw as { holidays: Record<string, string>; workdays: Record<string, string> };
  return {
    holidays: mapNames(data.holidays, locale),
    workdays: mapNames(data.workdays, locale),
    years: coveredYears(data.holidays),
  };
}
