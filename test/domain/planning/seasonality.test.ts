import { describe, expect, it } from 'vitest';
import { officialHolidayData } from '../../../src/data/chinese-holidays.ts';
import { buildCalendar } from '../../../src/domain/calendar.ts';
import { monthsOfFiscalYear } from '../../../src/domain/periods.ts';
import {
  even,
  fromHistory,
  manual,
  profileSharesBp,
  quarterWeights,
  workingDayWeighted,
} from '../../../src/domain/planning/seasonality.ts';
import { errorOf, WAN } from './helpers.ts';

const china = buildCalendar(officialHolidayData());
const MONTHS_2026 = monthsOfFiscalYear(2026);

describe('seasonal profiles', () => {
  it('even: every month weighs the same', () => {
    expect(even(['2026-01', '2026-02'])).toEqual([
      { month: '2026-01', weight: 1 },
      { month: '2026-02', weight: 1 },
    ]);
  });

  it('manual: shares must add up to exactly 100%', () => {
    const shares = [1000, 500, 800, 800, 800, 800, 800, 800, 800, 1100, 900, 900];
    expect(manual(MONTHS_2026, shares).map((w) => w.weight)).toEqual(shares);
    const off = [...shares];
    off[0] = 900;
    expect(errorOf(() => manual(MONTHS_2026, off)).params).toEqual({ sum: 9900 });
    expect(errorOf(() => manual(MONTHS_2026, [10_000])).code).toBe('PLANNING_INVALID');
  });

  it('quarter weights: Q1 40 / Q2 25 / Q3 30 / Q4 5', () => {
    expect(quarterWeights([4000, 2500, 3000, 500])).toEqual([4000, 2500, 3000, 500]);
    expect(errorOf(() => quarterWeights([4000, 2500, 3000, 400])).code).toBe(
      'ALLOCATION_PERCENTS_NOT_100',
    );
  });

  it('working days: Spring Festival and Golden Week make February and October lighter', () => {
    // Given the official 2026 schedule (make-up Saturdays 14 and 28 Feb, 10 Oct count)
    const profile = workingDayWeighted(MONTHS_2026, china);
    // Then
    expect(profile.find((p) => p.month === '2026-01')?.weight).toBe(21);
    expect(profile.find((p) => p.month === '2026-02')?.weight).toBe(16);
    expect(profile.find((p) => p.month === '2026-10')?.weight).toBe(18);
    expect(profileSharesBp(profile).reduce((a, b) => a + b, 0)).toBe(10_000);
  });
});

describe('seasonality from history', () => {
  /** Two years of history: every month 10万 except December 40万 (year-end push). */
  function history(years: number[], skip: string[] = []) {
    return years.flatMap((y) =>
      monthsOfFiscalYear(y)
        .filter((m) => !skip.includes(m))
        .map((month) => ({ month, amount: (month.endsWith('-12') ? 40 : 10) * WAN })),
    );
  }

  it('weights each month by its share of the same months in the last N years', () => {
    // Given 2024 and 2025 history
    const profile = fromHistory(history([2024, 2025]), MONTHS_2026, 2);
    // Then December weighs four times any other month (pooled: 80万 vs 20万)
    expect(profile.weights[0]).toEqual({ month: '2026-01', weight: 20 * WAN });
    expect(profile.weights[11]).toEqual({ month: '2026-12', weight: 80 * WAN });
    // 11 × 20 + 80 = 300 → 666.67 bp each, 2,666.67 bp December; all remainders tie, so the
    // eight missing bp go to the earliest months and the shares sum to exactly 100%
    expect(profile.sharesBp).toEqual([667, 667, 667, 667, 667, 667, 667, 667, 666, 666, 666, 2666]);
    expect(profile.yearsUsed).toEqual([1, 2]);
    expect(profile.yearsSkipped).toEqual([]);
  });

  it('adds several rows of the same month (e.g. per product)', () => {
    const rows = [...history([2025]), { month: '2025-03', amount: 10 * WAN }];
    expect(fromHistory(rows, MONTHS_2026, 1).weights[2]?.weight).toBe(20 * WAN);
  });

  it('handles missing months explicitly: skip the year, count zero, or refuse', () => {
    // Given 2024 lacks March
    const rows = history([2024, 2025], ['2024-03']);
    // skip-year (default): only 2025 is used, and the gap is reported
    const skipped = fromHistory(rows, MONTHS_2026, 2);
    expect(skipped.yearsUsed).toEqual([1]);
    expect(skipped.yearsSkipped).toEqual([{ yearsBack: 2, missing: ['2024-03'] }]);
    expect(skipped.weights[2]?.weight).toBe(10 * WAN);
    // zero: March 2024 counts as nothing sold
    const zeroed = fromHistory(rows, MONTHS_2026, 2, 'zero');
    expect(zeroed.weights[2]?.weight).toBe(10 * WAN);
    expect(zeroed.weights[3]?.weight).toBe(20 * WAN);
    expect(zeroed.zeroed).toEqual(['2024-03']);
    // error
    expect(errorOf(() => fromHistory(rows, MONTHS_2026, 2, 'error')).params).toEqual({
      month: '2024-03',
    });
    // no usable year at all
    expect(errorOf(() => fromHistory([], MONTHS_2026, 3)).code).toBe('SEASONALITY_NO_HISTORY');
  });

  it('follows a fiscal year that starts in April', () => {
    const fy = monthsOfFiscalYear(2026, 4); // 2026-04 … 2027-03
    const profile = fromHistory(history([2025, 2026]), fy, 1);
    // FY2025 = 2025-04 … 2026-03: December 2025 is the ninth month
    expect(profile.weights[8]).toEqual({ month: '2026-12', weight: 40 * WAN });
  });
});
