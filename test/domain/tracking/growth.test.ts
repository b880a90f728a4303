import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays } from '../../../src/domain/dates.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { periodRange } from '../../../src/domain/periods.ts';
import {
  comparableWindow,
  growthRate,
  periodOverPeriod,
  previousPeriod,
  samePeriodLastYear,
  yoy,
} from '../../../src/domain/tracking/index.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('yoy and periodOverPeriod', () => {
  it('measures growth on the base in basis points', () => {
    // Given 120万 this March against 100万 last March and 150万 last month
    // Then YoY is +20% and period-over-period −20%
    expect(yoy(120, 100)).toBe(2000);
    expect(periodOverPeriod(120, 150)).toBe(-2000);
  });

  it('has no growth rate from a zero base', () => {
    expect(yoy(500, 0)).toBeNull();
    expect(periodOverPeriod(0, 0)).toBeNull();
    expect(yoy(0, 500)).toBe(-10_000);
  });

  it('keeps the sign meaningful for negative bases', () => {
    // a loss of 100 that shrinks to 50 is an improvement of 50%
    expect(growthRate(-50, -100)).toBe(5000);
    expect(growthRate(-150, -100)).toBe(-5000);
    expect(growthRate(50, -100)).toBe(15_000);
  });

  it('rounds half away from zero', () => {
    expect(growthRate(2, 3)).toBe(-3333); // −33.333…%
    expect(growthRate(1, 20_000)).toBe(-10_000); // −9,999.5 bp → −10,000
    expect(growthRate(20_001, 20_000)).toBe(1); // +0.5 bp → 1
  });
});

describe('samePeriodLastYear', () => {
  it('moves months, quarters, fiscal years and days back one year', () => {
    expect(samePeriodLastYear('2026-03')).toBe('2025-03');
    expect(samePeriodLastYear('FY2026-Q3')).toBe('FY2025-Q3');
    expect(samePeriodLastYear('FY2026')).toBe('FY2025');
    expect(samePeriodLastYear('2026-10-09')).toBe('2025-10-09');
  });

  it('keeps the ISO week number, week 53 becoming the last week of a 52-week year', () => {
    expect(samePeriodLastYear('2026-W10')).toBe('2025-W10');
    expect(samePeriodLastYear('2026-W53')).toBe('2025-W52');
    expect(samePeriodLastYear('2021-W52')).toBe('2020-W52');
    expect(samePeriodLastYear('2021-W01')).toBe('2020-W01');
  });

  it('maps 29 February to 28 February', () => {
    expect(samePeriodLastYear('2024-02-29')).toBe('2023-02-28');
    expect(samePeriodLastYear({ start: '2024-02-29', end: '2024-03-01' })).toEqual({
      start: '2023-02-28',
      end: '2023-03-01',
    });
  });

  it('maps a custom range to the same dates a year earlier, even if one day shorter', () => {
    // 1 Jan–15 Mar 2024 has 75 days (leap year), 1 Jan–15 Mar 2023 has 74
    expect(samePeriodLastYear({ start: '2024-01-01', end: '2024-03-15' })).toEqual({
      start: '2023-01-01',
      end: '2023-03-15',
    });
  });

  it('refuses what cannot be shifted', () => {
    expect(codeOf(() => samePeriodLastYear('FY0001'))).toBe('PERIOD_INVALID');
    expect(codeOf(() => samePeriodLastYear('2026-13'))).toBe('PERIOD_INVALID');
    expect(codeOf(() => samePeriodLastYear({ start: '2026-03-02', end: '2026-03-01' }))).toBe(
      'DATE_ORDER',
    );
  });
});

describe('previousPeriod', () => {
  it('steps back one period of the same kind', () => {
    expect(previousPeriod('2026-03')).toBe('2026-02');
    expect(previousPeriod('2026-01')).toBe('2025-12');
    expect(previousPeriod('FY2026-Q3')).toBe('FY2026-Q2');
    expect(previousPeriod('FY2026-Q1')).toBe('FY2025-Q4');
    expect(previousPeriod('FY2026')).toBe('FY2025');
    expect(previousPeriod('2026-03-01')).toBe('2026-02-28');
    expect(previousPeriod('2024-03-01')).toBe('2024-02-29');
  });

  it('crosses ISO week-years correctly', () => {
    expect(previousPeriod('2026-W10')).toBe('2026-W09');
    expect(previousPeriod('2026-W01')).toBe('2025-W52');
    expect(previousPeriod('2027-W01')).toBe('2026-W53');
  });

  it('gives a custom range the range of the same length just before it', () => {
    expect(previousPeriod({ start: '2026-03-10', end: '2026-03-16' })).toEqual({
      start: '2026-03-03',
      end: '2026-03-09',
    });
    // 31 days back from 1 March 2024 crosses the leap day
    expect(previousPeriod({ start: '2024-03-01', end: '2024-03-31' })).toEqual({
      start: '2024-01-30',
      end: '2024-02-29',
    });
  });
});

describe('comparableWindow', () => {
  const r = (start: string, end: string) => ({ start, end });
  const window = (period: string, comparison: string, asOf: string) => {
    const current = periodRange(period, 1);
    const elapsed = r(current.start, asOf < current.end ? asOf : current.end);
    return comparableWindow(current, periodRange(comparison, 1), elapsed);
  };

  it('compares a finished period with the whole calendar period, leap day included', () => {
    // Given FY2017 over: its YoY base is all of FY2016 (366 days), not its first 365
    expect(window('FY2017', 'FY2016', '2017-12-31')).toEqual(r('2016-01-01', '2016-12-31'));
    // Q1 2017 against Q1 2016 keeps 31 March
    expect(window('FY2017-Q1', 'FY2016-Q1', '2017-03-31')).toEqual(r('2016-01-01', '2016-03-31'));
    // February 2017 (28 days) against all 29 days of February 2016
    expect(window('2017-02', '2016-02', '2017-02-28')).toEqual(r('2016-02-01', '2016-02-29'));
    // 环比 of a finished month is the whole previous month, longer or shorter
    expect(window('2017-03', '2017-02', '2017-03-31')).toEqual(r('2017-02-01', '2017-02-28'));
    expect(window('2017-02', '2017-01', '2017-02-28')).toEqual(r('2017-01-01', '2017-01-31'));
  });

  it('compares a period to date with the same calendar position', () => {
    // Year to 31 March 2017 against year to 31 March 2016 (not 30 March, 89 days on)
    expect(window('FY2017', 'FY2016', '2017-03-31')).toEqual(r('2016-01-01', '2016-03-31'));
    // Year to 28 February 2017 (the month's end) against year to 29 February 2016
    expect(window('FY2017', 'FY2016', '2017-02-28')).toEqual(r('2016-01-01', '2016-02-29'));
    // Year to 29 February 2016 against year to 28 February 2015
    expect(window('FY2016', 'FY2015', '2016-02-29')).toEqual(r('2015-01-01', '2015-02-28'));
    // Q2 to 15 May against Q1 to 15 February
    expect(window('FY2017-Q2', 'FY2017-Q1', '2017-05-15')).toEqual(r('2017-01-01', '2017-02-15'));
    // March to the 30th against February: February is shorter, so all of it
    expect(window('2017-03', '2017-02', '2017-03-30')).toEqual(r('2017-02-01', '2017-02-28'));
    // March to the 15th against February to the 15th
    expect(window('2017-03', '2017-02', '2017-03-15')).toEqual(r('2017-02-01', '2017-02-15'));
  });

  it('counts days for weeks and custom ranges of equal length', () => {
    // ISO week 10 of 2017 (Mon 6 March) to Wednesday against week 10 of 2016 to Wednesday
    expect(window('2017-W10', '2016-W10', '2017-03-08')).toEqual(r('2016-03-07', '2016-03-09'));
    const current = r('2017-03-10', '2017-03-19');
    expect(
      comparableWindow(current, previousPeriod(current), r('2017-03-10', '2017-03-12')),
    ).toEqual(r('2017-02-28', '2017-03-02'));
  });

  it('never runs past the comparison period', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('FY2017', 'FY2016-Q1', '2016-02', '2017-03', '2017-W09', '2015-W53'),
        fc.integer({ min: 0, max: 400 }),
        (period, offset) => {
          const current = periodRange(period, 1);
          const asOf = addDays(current.start, offset);
          const elapsed = r(current.start, asOf < current.end ? asOf : current.end);
          for (const comparison of [samePeriodLastYear(period), previousPeriod(period)]) {
            const other = periodRange(comparison, 1);
            const w = comparableWindow(current, other, elapsed);
            expect(w.start).toBe(other.start);
            expect(w.end <= other.end && w.end >= w.start).toBe(true);
            if (elapsed.end === current.end) expect(w.end).toBe(other.end);
          }
        },
      ),
    );
  });
});
