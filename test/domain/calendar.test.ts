import chineseDays from 'chinese-days';
import { describe, expect, it } from 'vitest';
import { officialHolidayData } from '../../src/data/chinese-holidays.ts';
import { buildCalendar, type HolidayData } from '../../src/domain/calendar.ts';
import { eachDay } from '../../src/domain/dates.ts';
import { AppError } from '../../src/domain/errors.ts';

const official = officialHolidayData();
const china = buildCalendar(official);

const EMPTY: HolidayData = { holidays: {}, workdays: {}, years: [] };

describe('official Chinese holiday data', () => {
  it('covers the years the package ships, 2004 through at least 2026', () => {
    expect(official.years[0]).toBe(2004);
    expect(official.years).toContain(2025);
    expect(official.years).toContain(2026);
    expect(official.years).toEqual([...official.years].sort((a, b) => a - b));
  });

  it('names holidays in Chinese by default and in English on request', () => {
    expect(official.holidays['2025-10-01']).toBe('国庆节');
    expect(officialHolidayData('en').holidays['2025-10-01']).toBe('National Day');
    expect(official.workdays['2025-09-28']).toBe('国庆节');
  });
});

describe('working-day calendar on real 2025/2026 data', () => {
  it('takes National Day 2025 off, including a Mid-Autumn day inside the block', () => {
    expect(china.dayInfo('2025-10-01')).toEqual({
      working: false,
      kind: 'holiday',
      name: '国庆节',
    });
    expect(china.dayInfo('2025-10-06')).toEqual({ working: false, kind: 'holiday', name: '中秋' });
    expect(china.dayInfo('2025-10-08')).toEqual({
      working: false,
      kind: 'holiday',
      name: '国庆节',
    });
    expect(china.isWorkingDay('2025-10-09')).toBe(true);
  });

  it('works on the 调休 Sundays and Saturdays around Golden Week 2025', () => {
    // 2025-09-28 is a Sunday, 2025-10-11 a Saturday
    expect(china.dayInfo('2025-09-28')).toEqual({ working: true, kind: 'makeup', name: '国庆节' });
    expect(china.dayInfo('2025-10-11')).toEqual({ working: true, kind: 'makeup', name: '国庆节' });
    expect(china.dayInfo('2025-10-12')).toEqual({ working: false, kind: 'weekend' });
  });

  it('takes Spring Festival 2026 off (2026-02-15 to 02-23) with make-up Saturdays 02-14 and 02-28', () => {
    const offDays = eachDay('2026-02-15', '2026-02-23');
    for (const d of offDays)
      expect(china.dayInfo(d)).toMatchObject({ working: false, kind: 'holiday', name: '春节' });
    expect(china.dayInfo('2026-02-14')).toMatchObject({ working: true, kind: 'makeup' });
    expect(china.dayInfo('2026-02-28')).toMatchObject({ working: true, kind: 'makeup' });
    expect(china.isWorkingDay('2026-02-13')).toBe(true);
    expect(china.isWorkingDay('2026-02-24')).toBe(true);
  });

  it('counts working days in months that holidays reshape', () => {
    // October 2025: 23 weekdays − 6 weekday holidays + 1 make-up Saturday
    expect(china.workingDaysIn('2025-10-01', '2025-10-31')).toBe(18);
    // February 2026: 20 weekdays − 6 weekday holidays + 2 make-up Saturdays
    expect(china.workingDaysIn('2026-02-01', '2026-02-28')).toBe(16);
    expect(china.workingDayList('2026-02-12', '2026-02-16')).toEqual([
      '2026-02-12',
      '2026-02-13',
      '2026-02-14',
    ]);
    expect(china.workingDaysIn('2026-02-02', '2026-02-01')).toBe(0);
  });

  it('has 248 working days in 2025 and in 2026', () => {
    // 2025: 261 weekdays − 18 weekday holidays (13 statutory days since 2025) + 5 make-up days
    expect(china.workingDaysIn('2025-01-01', '2025-12-31')).toBe(248);
    // 2026: 261 weekdays − 19 weekday holidays + 6 make-up days
    expect(china.workingDaysIn('2026-01-01', '2026-12-31')).toBe(248);
  });

  it('agrees with chinese-days on every day it covers', () => {
    const first = official.years[0] ?? 2004;
    const last = official.years.at(-1) ?? 2026;
    for (const d of eachDay(`${first}-01-01`, `${last}-12-31`)) {
      expect([d, china.isWorkingDay(d)]).toEqual([d, chineseDays.isWorkday(d)]);
    }
  });

  it('knows which years have official data', () => {
    expect(china.hasOfficialData(2026)).toBe(true);
    expect(china.hasOfficialData(2099)).toBe(false);
    expect(() => china.requireOfficialData('2025-06-01', '2026-05-31')).not.toThrow();
    try {
      china.requireOfficialData('2026-06-01', '2099-05-31');
      expect.unreachable();
    } catch (e) {
      expect((e as AppError).code).toBe('CALENDAR_YEAR_UNKNOWN');
      expect((e as AppError).params).toEqual({ year: 2027 });
    }
  });
});

describe('overrides', () => {
  it('let an admin add a future year that official data does not cover yet', () => {
    // Given no official data for 2099, an admin enters its National Day and one make-up Sunday
    const cal = buildCalendar(official, [
      ...eachDay('2099-10-01', '2099-10-07').map((date) => ({
        date,
        kind: 'holiday' as const,
        name: '国庆节',
      })),
      { date: '2099-09-27', kind: 'workday', name: '国庆节调休' },
    ]);
    // Then the year counts as covered and the days follow the overrides
    expect(cal.hasOfficialData(2099)).toBe(true);
    expect(cal.isWorkingDay('2099-10-01')).toBe(false); // Thursday
    expect(cal.dayInfo('2099-09-27')).toEqual({
      working: true,
      kind: 'makeup',
      name: '国庆节调休',
    });
    expect(cal.workingDaysIn('2099-09-27', '2099-10-10')).toBe(1 + 1 + 1 + 1 + 1 + 1); // 27, 28, 29, 30, 8, 9
  });

  it('beat official data in both directions', () => {
    const cal = buildCalendar(official, [
      { date: '2025-10-08', kind: 'workday', name: '公司安排上班' }, // official holiday (Wednesday)
      { date: '2025-10-11', kind: 'holiday', name: '公司调休取消' }, // official make-up Saturday
      { date: '2025-10-13', kind: 'holiday', name: '公司庆典' }, // ordinary Monday
    ]);
    expect(cal.dayInfo('2025-10-08')).toEqual({
      working: true,
      kind: 'workday',
      name: '公司安排上班',
    });
    expect(cal.dayInfo('2025-10-11')).toEqual({
      working: false,
      kind: 'holiday',
      name: '公司调休取消',
    });
    expect(cal.dayInfo('2025-10-13')).toEqual({
      working: false,
      kind: 'holiday',
      name: '公司庆典',
    });
    expect(china.isWorkingDay('2025-10-13')).toBe(true); // the base calendar is unchanged
  });

  it('fall back to plain weekends without any data', () => {
    const cal = buildCalendar(EMPTY);
    expect(cal.workingDaysIn('2026-03-02', '2026-03-08')).toBe(5);
    expect(cal.dayInfo('2026-03-07')).toEqual({ working: false, kind: 'weekend' });
    expect(cal.dayInfo('2026-10-01')).toEqual({ working: true, kind: 'workday' });
    expect(cal.hasOfficialData(2026)).toBe(false);
  });

  it('refuse malformed dates', () => {
    expect(() =>
      buildCalendar(EMPTY, [{ date: '2026/10/01', kind: 'holiday', name: 'x' }]),
    ).toThrow(AppError);
    expect(() => china.isWorkingDay('2026-02-30')).toThrow(AppError);
  });
});
