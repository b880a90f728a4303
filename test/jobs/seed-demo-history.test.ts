import { describe, expect, it } from 'vitest';
import {
  generateHistory,
  historyMonths,
  monthlySeasonality,
  springFestivalMonth,
  splitExactly,
} from '../../src/app/seed-demo/history.ts';

const quarters = (months: readonly number[]) =>
  [0, 1, 2, 3].map((q) => months.slice(q * 3, q * 3 + 3).reduce((a, b) => a + b, 0));

describe('monthlySeasonality', () => {
  it.each([2024, 2025, 2026, 2027, 2028, 2040])(
    '%i: sums to 100%%, Q4 strongest, the Spring Festival month weakest',
    (year) => {
      const w = monthlySeasonality(year);
      expect(w.reduce((a, b) => a + b, 0)).toBe(10_000);
      const q = quarters(w);
      expect(Math.max(...q)).toBe(q[3]);
      expect(q.filter((x) => x === q[3])).toHaveLength(1);
      const dip = springFestivalMonth(year) - 1;
      expect(w.filter((x) => x <= w[dip]!)).toEqual([w[dip]]);
    },
  );

  it('moves the dip with the festival: January in 2025, February in 2026', () => {
    expect(springFestivalMonth(2025)).toBe(1);
    expect(springFestivalMonth(2026)).toBe(2);
  });
});

describe('generateHistory', () => {
  const today = '2027-01-10'; // two complete calendar years before it: 2025 and 2026
  const rows = generateHistory(today);
  const byMonth = new Map<string, number>();
  for (const r of rows) byMonth.set(r.month, (byMonth.get(r.month) ?? 0) + r.revenue);

  it('covers the 24 full months before the current one', () => {
    expect(historyMonths(today)).toEqual([...byMonth.keys()]);
    expect(historyMonths(today)[0]).toBe('2025-01');
    expect(historyMonths(today).at(-1)).toBe('2026-12');
    expect(historyMonths('2026-03-16').at(-1)).toBe('2026-02');
  });

  it.each([2025, 2026])(
    '%i has a strong Q4 and its lowest month at the Spring Festival',
    (year) => {
      const months = Array.from({ length: 12 }, (_, i) =>
        byMonth.get(`${year}-${String(i + 1).padStart(2, '0')}`)!,
      );
      const q = quarters(months);
      expect(Math.max(...q)).toBe(q[3]);
      expect(months.indexOf(Math.min(...months))).toBe(springFestivalMonth(year) - 1);
    },
  );

  it('grows year on year', () => {
    const year = (y: number) =>
      [...byMonth].filter(([m]) => m.startsWith(`${y}`)).reduce((a, [, v]) => a + v, 0);
    expect(year(2026) / year(2025)).toBeGreaterThan(1.1);
  });

  it('keeps money in whole fen with margins and orders that fit', () => {
    for (const r of rows) {
      expect(Number.isSafeInteger(r.revenue) && r.revenue > 0).toBe(true);
      expect(r.grossProfit).toBeLessThan(r.revenue);
      expect(Number.isInteger(r.orders) && r.orders >= 1).toBe(true);
    }
  });

  it('is deterministic for the same day', () => {
    expect(generateHistory(today)).toEqual(rows);
  });
});

describe('splitExactly', () => {
  it('splits so the parts sum exactly to the whole', () => {
    expect(splitExactly(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(splitExactly(2_500_000_000_07, [35, 28, 22, 15]).reduce((a, b) => a + b, 0)).toBe(
      2_500_000_000_07,
    );
  });
});
