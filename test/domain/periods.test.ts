import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { civilFromDays, daysFromCivil, toDayNumber } from '../../src/domain/dates.ts';
import { AppError } from '../../src/domain/errors.ts';
import {
  addDays,
  contains,
  dateToExcelSerial,
  dayOfWeek,
  daysBetween,
  daysInPeriod,
  eachDay,
  excelSerialToDate,
  fiscalQuarterOf,
  fiscalYearOf,
  isValidDate,
  isoWeekOf,
  isoWeeksInYear,
  monthsOfFiscalYear,
  monthsOfQuarter,
  overlaps,
  parseDate,
  parsePeriod,
  periodRange,
  quartersOfFiscalYear,
  weeksOverlappingMonth,
} from '../../src/domain/periods.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

const dateArb = fc
  .integer({ min: toDayNumber('1900-01-01'), max: toDayNumber('2200-12-31') })
  .map((d) => {
    const { year, month, day } = civilFromDays(d);
    return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  });

describe('day arithmetic', () => {
  it('agrees with known day numbers', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(daysFromCivil(2000, 3, 1)).toBe(11_017);
    expect(civilFromDays(-1)).toEqual({ year: 1969, month: 12, day: 31 });
    expect(toDayNumber('2026-03-01')).toBe(20_513);
  });

  it('round-trips day numbers over the whole supported range (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: toDayNumber('0001-01-01'), max: toDayNumber('9999-12-31') }),
        (d) => {
          const { year, month, day } = civilFromDays(d);
          expect(daysFromCivil(year, month, day)).toBe(d);
        },
      ),
    );
  });

  it('adds days across month, year and leap-day boundaries', () => {
    expect(addDays('2026-02-28', 1)).toBe('2026-03-01');
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
    expect(addDays('2000-02-28', 1)).toBe('2000-02-29');
    expect(addDays('1900-02-28', 1)).toBe('1900-03-01');
  });

  it('measures signed differences and lists days inclusively', () => {
    expect(daysBetween('2026-03-01', '2026-03-02')).toBe(1);
    expect(daysBetween('2026-03-02', '2026-03-01')).toBe(-1);
    expect(daysBetween('2026-01-01', '2027-01-01')).toBe(365);
    expect(eachDay('2026-02-27', '2026-03-02')).toEqual([
      '2026-02-27',
      '2026-02-28',
      '2026-03-01',
      '2026-03-02',
    ]);
    expect(eachDay('2026-03-02', '2026-03-01')).toEqual([]);
  });

  it('gives ISO weekdays, Monday = 1', () => {
    expect(dayOfWeek('2026-03-02')).toBe(1); // Monday
    expect(dayOfWeek('2026-03-01')).toBe(7); // Sunday
    expect(dayOfWeek('1970-01-01')).toBe(4); // Thursday
    expect(dayOfWeek('1969-12-28')).toBe(7);
  });

  it('validates canonical dates strictly', () => {
    expect(isValidDate('2024-02-29')).toBe(true);
    expect(isValidDate('2026-02-29')).toBe(false);
    expect(isValidDate('1900-02-29')).toBe(false);
    expect(isValidDate('2026-3-1')).toBe(false);
    expect(isValidDate('2026-04-31')).toBe(false);
    expect(isValidDate(20260301)).toBe(false);
    expect(codeOf(() => addDays('2026-13-01', 1))).toBe('DATE_INVALID');
  });
});

describe('parseDate', () => {
  it.each([
    ['2026-03-01', '2026-03-01'],
    ['2026/3/1', '2026-03-01'],
    ['2026-3-1', '2026-03-01'],
    ['2026.03.01', '2026-03-01'],
    ['2026年3月1日', '2026-03-01'],
    ['2026年03月01号', '2026-03-01'],
    ['２０２６年３月１日', '2026-03-01'],
    [' 2026/12/31 ', '2026-12-31'],
    ['2026-03-01T08:00:00+08:00', '2026-03-01'],
    ['2026/3/1 14:30', '2026-03-01'],
  ])('reads %j as %s', (text, date) => {
    expect(parseDate(text)).toBe(date);
  });

  it.each([
    '',
    'tomorrow',
    '2026-02-30',
    '2026/13/1',
    '26/3/1',
    '2026-03',
    '3/1/2026',
    '2026年3月',
  ])('refuses %j with DATE_INVALID', (text) => {
    expect(codeOf(() => parseDate(text))).toBe('DATE_INVALID');
  });

  it('reads Excel serial numbers, including the 1900 leap-year bug', () => {
    expect(parseDate(46082)).toBe('2026-03-01');
    expect(excelSerialToDate(46082.75)).toBe('2026-03-01'); // time of day dropped
    expect(excelSerialToDate(1)).toBe('1900-01-01');
    expect(excelSerialToDate(59)).toBe('1900-02-28');
    expect(excelSerialToDate(61)).toBe('1900-03-01');
    expect(excelSerialToDate(25569)).toBe('1970-01-01');
    expect(codeOf(() => excelSerialToDate(60))).toBe('DATE_INVALID'); // Excel's fictional 1900-02-29
    expect(codeOf(() => excelSerialToDate(0))).toBe('DATE_INVALID');
    expect(codeOf(() => excelSerialToDate(Number.NaN))).toBe('DATE_INVALID');
  });

  it('round-trips Excel serials (property)', () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        expect(excelSerialToDate(dateToExcelSerial(date))).toBe(date);
      }),
    );
  });
});

describe('parsePeriod', () => {
  it('recognises every kind and canonicalises the id', () => {
    expect(parsePeriod('FY2026')).toEqual({ kind: 'year', id: 'FY2026', year: 2026 });
    expect(parsePeriod(' fy2026-q1 ')).toEqual({
      kind: 'quarter',
      id: 'FY2026-Q1',
      year: 2026,
      quarter: 1,
    });
    expect(parsePeriod('2026-03')).toEqual({ kind: 'month', id: '2026-03', year: 2026, month: 3 });
    expect(parsePeriod('2026-w09')).toEqual({ kind: 'week', id: '2026-W09', year: 2026, week: 9 });
    expect(parsePeriod('2026-03-01')).toEqual({
      kind: 'day',
      id: '2026-03-01',
      date: '2026-03-01',
    });
  });

  it.each([
    '',
    'FY26',
    'FY2026-Q5',
    '2026-13',
    '2026-00',
    '2026-W00',
    '2025-W53',
    '2026-W54',
    '2026-02-30',
    '2026-3',
    'Q1',
  ])('refuses %j with PERIOD_INVALID', (text) => {
    expect(codeOf(() => parsePeriod(text))).toBe('PERIOD_INVALID');
  });

  it('accepts week 53 only in years that have one', () => {
    expect(parsePeriod('2026-W53').kind).toBe('week');
    expect(parsePeriod('2020-W53').kind).toBe('week');
    expect(isoWeeksInYear(2026)).toBe(53);
    expect(isoWeeksInYear(2025)).toBe(52);
    expect(isoWeeksInYear(2032)).toBe(53); // leap year starting on a Thursday
  });
});

describe('periodRange', () => {
  it('places fiscal years by their start month', () => {
    expect(periodRange('FY2026', 4)).toEqual({ start: '2026-04-01', end: '2027-03-31' });
    expect(periodRange('FY2026', 1)).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(periodRange('FY2026')).toEqual({ start: '2026-01-01', end: '2026-12-31' });
    expect(periodRange('FY2023', 3)).toEqual({ start: '2023-03-01', end: '2024-02-29' });
  });

  it('places quarters, months, weeks and days', () => {
    expect(periodRange('FY2026-Q1', 4)).toEqual({ start: '2026-04-01', end: '2026-06-30' });
    expect(periodRange('FY2026-Q4', 4)).toEqual({ start: '2027-01-01', end: '2027-03-31' });
    expect(periodRange('FY2026-Q4', 11)).toEqual({ start: '2027-08-01', end: '2027-10-31' });
    expect(periodRange('2024-02')).toEqual({ start: '2024-02-01', end: '2024-02-29' });
    expect(periodRange('2026-W09')).toEqual({ start: '2026-02-23', end: '2026-03-01' });
    expect(periodRange('2026-W01')).toEqual({ start: '2025-12-29', end: '2026-01-04' });
    expect(periodRange('2026-W53')).toEqual({ start: '2026-12-28', end: '2027-01-03' });
    expect(periodRange('2026-03-01')).toEqual({ start: '2026-03-01', end: '2026-03-01' });
  });

  it('refuses a fiscal start month outside 1..12', () => {
    expect(codeOf(() => periodRange('FY2026', 0))).toBe('PERIOD_INVALID');
    expect(codeOf(() => periodRange('FY2026', 13))).toBe('PERIOD_INVALID');
  });

  it('counts days', () => {
    expect(daysInPeriod('FY2024', 1)).toBe(366);
    expect(daysInPeriod('FY2024', 4)).toBe(365);
    expect(daysInPeriod('2026-W10')).toBe(7);
  });
});

describe('fiscal structure', () => {
  it('lists months and quarters of a fiscal year', () => {
    expect(monthsOfFiscalYear('FY2026', 4)).toEqual([
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
      '2026-12',
      '2027-01',
      '2027-02',
      '2027-03',
    ]);
    expect(monthsOfFiscalYear(2026)[0]).toBe('2026-01');
    expect(quartersOfFiscalYear('FY2026')).toEqual([
      'FY2026-Q1',
      'FY2026-Q2',
      'FY2026-Q3',
      'FY2026-Q4',
    ]);
    expect(monthsOfQuarter('FY2026-Q4', 4)).toEqual(['2027-01', '2027-02', '2027-03']);
    expect(monthsOfQuarter('FY2026-Q2')).toEqual(['2026-04', '2026-05', '2026-06']);
    expect(codeOf(() => monthsOfFiscalYear('2026-03'))).toBe('PERIOD_INVALID');
    expect(codeOf(() => monthsOfQuarter('FY2026'))).toBe('PERIOD_INVALID');
  });

  it('finds the fiscal year and quarter of a date or month', () => {
    expect(fiscalYearOf('2026-03-15', 4)).toBe('FY2025');
    expect(fiscalYearOf('2026-04-01', 4)).toBe('FY2026');
    expect(fiscalYearOf('2026-12-31')).toBe('FY2026');
    expect(fiscalYearOf('2027-02', 4)).toBe('FY2026');
    expect(fiscalQuarterOf('2026-04-01', 4)).toBe('FY2026-Q1');
    expect(fiscalQuarterOf('2027-03-31', 4)).toBe('FY2026-Q4');
    expect(fiscalQuarterOf('2026-08-15')).toBe('FY2026-Q3');
    expect(fiscalQuarterOf('2026-10', 10)).toBe('FY2026-Q1');
    expect(fiscalQuarterOf('2026-09', 10)).toBe('FY2025-Q4');
  });

  it('partitions each fiscal year into its months, for every start month (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 1, max: 12 }),
        (year, start) => {
          // Given the fiscal year's day range and its twelve months
          const fy = `FY${year}`;
          const range = periodRange(fy, start);
          const months = monthsOfFiscalYear(fy, start).map((m) => periodRange(m));
          // Then the months are contiguous, start and end with the year, and sum to its length
          expect(months[0]?.start).toBe(range.start);
          expect(months[11]?.end).toBe(range.end);
          for (let i = 1; i < months.length; i++) {
            expect(addDays(months[i - 1]?.end ?? '', 1)).toBe(months[i]?.start);
          }
          const days = months.reduce((n, m) => n + daysBetween(m.start, m.end) + 1, 0);
          expect(days).toBe(daysBetween(range.start, range.end) + 1);
          // And every month maps back to this fiscal year and one of its quarters
          for (const m of monthsOfFiscalYear(fy, start)) {
            expect(fiscalYearOf(m, start)).toBe(fy);
            expect(monthsOfQuarter(fiscalQuarterOf(m, start), start)).toContain(m);
          }
        },
      ),
    );
  });

  it('places every date in the fiscal year and quarter whose range contains it (property)', () => {
    fc.assert(
      fc.property(dateArb, fc.integer({ min: 1, max: 12 }), (date, start) => {
        expect(contains(fiscalYearOf(date, start), date, start)).toBe(true);
        expect(contains(fiscalQuarterOf(date, start), date, start)).toBe(true);
      }),
    );
  });
});

describe('ISO weeks', () => {
  it.each([
    ['2026-12-31', '2026-W53'], // Thursday, week 53 of 2026
    ['2027-01-01', '2026-W53'], // Friday still in 2026's last week
    ['2027-01-03', '2026-W53'],
    ['2027-01-04', '2027-W01'],
    ['2024-12-30', '2025-W01'], // Monday already in next year's week 1
    ['2021-01-03', '2020-W53'],
    ['2026-01-01', '2026-W01'],
    ['2025-12-29', '2026-W01'],
    ['2026-03-01', '2026-W09'],
    ['2026-03-02', '2026-W10'],
  ])('%s is in %s', (date, week) => {
    expect(isoWeekOf(date)).toBe(week);
  });

  it('agrees with periodRange for every date (property)', () => {
    fc.assert(
      fc.property(dateArb, (date) => {
        const { start, end } = periodRange(isoWeekOf(date));
        expect(start <= date && date <= end).toBe(true);
        expect(dayOfWeek(start)).toBe(1);
        expect(daysBetween(start, end)).toBe(6);
      }),
    );
  });

  it('splits a month into the weeks that touch it, straddling weeks partially', () => {
    // March 2026 starts on a Sunday and ends on a Tuesday
    expect(weeksOverlappingMonth('2026-03')).toEqual([
      { week: '2026-W09', start: '2026-03-01', end: '2026-03-01', days: 1 },
      { week: '2026-W10', start: '2026-03-02', end: '2026-03-08', days: 7 },
      { week: '2026-W11', start: '2026-03-09', end: '2026-03-15', days: 7 },
      { week: '2026-W12', start: '2026-03-16', end: '2026-03-22', days: 7 },
      { week: '2026-W13', start: '2026-03-23', end: '2026-03-29', days: 7 },
      { week: '2026-W14', start: '2026-03-30', end: '2026-03-31', days: 2 },
    ]);
    // February 2027 is exactly four ISO weeks
    expect(weeksOverlappingMonth('2027-02').map((w) => w.days)).toEqual([7, 7, 7, 7]);
    // January 2027 opens inside 2026-W53
    expect(weeksOverlappingMonth('2027-01')[0]).toEqual({
      week: '2026-W53',
      start: '2027-01-01',
      end: '2027-01-03',
      days: 3,
    });
  });

  it('covers each month exactly once, and a straddling week across both months (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1900, max: 2200 }),
        fc.integer({ min: 1, max: 12 }),
        (year, month) => {
          const id = `${year}-${String(month).padStart(2, '0')}`;
          const weeks = weeksOverlappingMonth(id);
          const range = periodRange(id);
          expect(weeks.reduce((n, w) => n + w.days, 0)).toBe(
            daysBetween(range.start, range.end) + 1,
          );
          expect(weeks[0]?.start).toBe(range.start);
          expect(weeks.at(-1)?.end).toBe(range.end);
          for (const w of weeks) {
            expect(isoWeekOf(w.start)).toBe(w.week);
            expect(isoWeekOf(w.end)).toBe(w.week);
            expect(daysBetween(w.start, w.end) + 1).toBe(w.days);
          }
        },
      ),
    );
  });
});

describe('contains and overlaps', () => {
  it('compares periods of any kind by their day ranges', () => {
    expect(contains('FY2026', '2027-03', 4)).toBe(true);
    expect(contains('FY2026', '2026-03', 4)).toBe(false);
    expect(contains('FY2026-Q1', '2026-05-31', 4)).toBe(true);
    expect(contains('2026-03', '2026-W10')).toBe(true);
    expect(contains('2026-03', '2026-W09')).toBe(false); // straddles February
    expect(overlaps('2026-03', '2026-W09')).toBe(true);
    expect(overlaps('2026-03', '2026-W15')).toBe(false);
    expect(contains('2026-03-01', '2026-03-01')).toBe(true);
  });
});
