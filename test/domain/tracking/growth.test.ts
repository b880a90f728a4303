import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.ts';
import {
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
