import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { officialHolidayData } from '../../../src/data/chinese-holidays.ts';
import { buildCalendar } from '../../../src/domain/calendar.ts';
import { monthsOfFiscalYear, periodRange } from '../../../src/domain/periods.ts';
import { fromHistory } from '../../../src/domain/planning/seasonality.ts';
import {
  evenWeeks,
  plannedProgress,
  respreadRemaining,
  splitMonthToDays,
  splitMonthToWeeks,
  splitYear,
  sumByWeek,
  sumRange,
  timeProgress,
} from '../../../src/domain/planning/time-split.ts';
import { errorOf, sum, WAN } from './helpers.ts';

const china = buildCalendar(officialHolidayData());
const amounts = (xs: readonly { amount: number }[]) => xs.map((x) => x.amount);

describe('splitYear', () => {
  it('splits the e-commerce year 1,200万 by Q1 40 / Q2 25 / Q3 30 / Q4 5 (METHOD §3)', () => {
    // Given the seasonal quarter weights
    const plan = splitYear(1200 * WAN, {
      fiscalYear: 2026,
      quarterWeights: [4000, 2500, 3000, 500],
    });
    // Then the quarters are 480万 / 300万 / 360万 / 60万
    expect(plan.quarters).toEqual([
      { period: 'FY2026-Q1', amount: 480 * WAN },
      { period: 'FY2026-Q2', amount: 300 * WAN },
      { period: 'FY2026-Q3', amount: 360 * WAN },
      { period: 'FY2026-Q4', amount: 60 * WAN },
    ]);
    // And each quarter is split evenly over its months
    expect(amounts(plan.months)).toEqual(
      [160, 160, 160, 100, 100, 100, 120, 120, 120, 20, 20, 20].map((x) => x * WAN),
    );
  });

  it('keeps a locked month; the rest of its quarter absorbs the difference', () => {
    const plan = splitYear(1200 * WAN, {
      fiscalYear: 2026,
      quarterWeights: [4000, 2500, 3000, 500],
      locks: { '2026-01': 200 * WAN },
    });
    expect(amounts(plan.months).slice(0, 4)).toEqual([200, 140, 140, 100].map((x) => x * WAN));
  });

  it('follows the fiscal start month and month weights from history', () => {
    // Given a fiscal year starting in April and last year's shape (March doubles)
    const fy = monthsOfFiscalYear(2026, 4);
    const history = monthsOfFiscalYear(2025, 4).map((month) => ({
      month,
      amount: month === '2026-03' ? 2 : 1,
    }));
    const profile = fromHistory(history, fy, 1);
    // When 1,300万 is split
    const plan = splitYear(1300 * WAN, {
      fiscalYear: 'FY2026',
      fiscalStartMonth: 4,
      monthWeights: profile.weights,
    });
    // Then April 2026 is first and March 2027 takes double
    expect(plan.months[0]).toEqual({ period: '2026-04', amount: 100 * WAN });
    expect(plan.months[11]).toEqual({ period: '2027-03', amount: 200 * WAN });
    expect(sum(amounts(plan.months))).toBe(1300 * WAN);
  });

  it('refuses month and quarter weights together, and locks outside the year', () => {
    expect(
      errorOf(() =>
        splitYear(1, {
          fiscalYear: 2026,
          monthWeights: Array(12).fill(1),
          quarterWeights: [1, 1, 1, 1],
        }),
      ).code,
    ).toBe('PLANNING_INVALID');
    expect(errorOf(() => splitYear(1, { fiscalYear: 2026, locks: { '2027-01': 1 } })).code).toBe(
      'PLANNING_INVALID',
    );
  });
});

describe('month → weeks (even table)', () => {
  it('300万 over four even weeks → 75万 a week', () => {
    expect(evenWeeks(300 * WAN, 4)).toEqual([75, 75, 75, 75].map((x) => x * WAN));
    expect(evenWeeks(22, 4)).toEqual([6, 6, 5, 5]);
  });
});

describe('month → days on the real calendar', () => {
  it('spreads October 2026 over its 18 working days: Golden Week gets nothing, the make-up Saturday works', () => {
    // Given 180万 for October 2026 (1–7 Oct off, Saturday 10 Oct a make-up day)
    const days = splitMonthToDays(180 * WAN, { month: '2026-10', calendar: china });
    // Then every working day gets 10万 and every other day 0
    expect(days).toHaveLength(31);
    const byDate = new Map(days.map((d) => [d.period, d.amount]));
    expect(byDate.get('2026-10-01')).toBe(0);
    expect(byDate.get('2026-10-07')).toBe(0);
    expect(byDate.get('2026-10-08')).toBe(10 * WAN);
    expect(byDate.get('2026-10-10')).toBe(10 * WAN);
    expect(byDate.get('2026-10-11')).toBe(0);
    expect(days.filter((d) => d.amount > 0)).toHaveLength(18);
  });

  it('spreads the odd fen evenly: every running total is its exact share, rounded', () => {
    // 300万 ÷ 18 = 16,666,666.67 fen: the k-th working day ends at round(k × 300万 ÷ 18)
    const days = splitMonthToDays(300 * WAN, { month: '2026-10', calendar: china }).filter(
      (d) => d.amount > 0,
    );
    expect(days.slice(0, 6).map((d) => d.amount)).toEqual([
      16_666_667, 16_666_666, 16_666_667, 16_666_667, 16_666_666, 16_666_667,
    ]);
    let running = 0;
    days.forEach((d, k) => {
      running += d.amount;
      expect(running).toBe(Math.round(((k + 1) * 300 * WAN) / 18));
    });
    expect(sum(amounts(days))).toBe(300 * WAN);
  });

  it('spreads a small count through the month instead of front-loading it', () => {
    // 7 new customers over October 2026's 18 working days: one every 2–3 working days
    const working = splitMonthToDays(7, { month: '2026-10', calendar: china }).filter((d) =>
      china.isWorkingDay(d.period),
    );
    expect(working.map((d) => d.amount)).toEqual([
      0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0,
    ]);
    // so by mid-month the target to date is about half, not all of it
    expect(sumRange(working, '2026-10-01', '2026-10-16')).toBe(3);
  });

  it('steady, then push in the last week: working days of the last 7 days weigh double', () => {
    // 13 ordinary working days + 5 in 25–31 Oct at ×2 = 23 shares of 10万
    const days = splitMonthToDays(230 * WAN, {
      month: '2026-10',
      calendar: china,
      weekShape: { lastWeekBoostBp: 10_000 },
    });
    const byDate = new Map(days.map((d) => [d.period, d.amount]));
    expect(byDate.get('2026-10-23')).toBe(10 * WAN);
    expect(byDate.get('2026-10-26')).toBe(20 * WAN);
    expect(byDate.get('2026-10-31')).toBe(0);
    expect(sumRange(days, '2026-10-25', '2026-10-31')).toBe(100 * WAN);
  });

  it('honours custom week weights; a week without working days gets nothing', () => {
    // Weeks of October 2026: 1–4 (holiday), 5–11, 12–18, 19–25, 26–31 with weights 1,1,1,1,2
    const weeks = splitMonthToWeeks(600 * WAN, {
      month: '2026-10',
      calendar: china,
      weekShape: { weekWeights: [1, 1, 1, 1, 2] },
    });
    expect(weeks.map((w) => [w.week, w.start, w.end, w.amount / WAN])).toEqual([
      ['2026-W40', '2026-10-01', '2026-10-04', 0],
      ['2026-W41', '2026-10-05', '2026-10-11', 120],
      ['2026-W42', '2026-10-12', '2026-10-18', 120],
      ['2026-W43', '2026-10-19', '2026-10-25', 120],
      ['2026-W44', '2026-10-26', '2026-10-31', 240],
    ]);
    // Week 41 has three working days (8, 9 and the make-up Saturday 10): 40万 each
    const days = splitMonthToDays(600 * WAN, {
      month: '2026-10',
      calendar: china,
      weekShape: { weekWeights: [1, 1, 1, 1, 2] },
    });
    expect(days.find((d) => d.period === '2026-10-10')?.amount).toBe(40 * WAN);
  });

  it('keeps a week straddling two months consistent: it is the sum of both months’ days', () => {
    const sep = splitMonthToDays(220 * WAN, { month: '2026-09', calendar: china });
    const oct = splitMonthToDays(180 * WAN, { month: '2026-10', calendar: china });
    const weeks = sumByWeek([...sep, ...oct]);
    // 2026-W40 = Mon 28 Sep … Sun 4 Oct: three September working days at 10万, October days off
    expect(weeks.find((w) => w.period === '2026-W40')?.amount).toBe(30 * WAN);
    expect(sumRange([...sep, ...oct], '2026-09-28', '2026-10-04')).toBe(30 * WAN);
    expect(sum(amounts(weeks))).toBe(400 * WAN);
  });

  it('refuses a target on a month without working days', () => {
    const allOff = buildCalendar({ holidays: {}, workdays: {}, years: [] }, [
      ...Array.from({ length: 28 }, (_, i) => ({
        date: `2026-02-${String(i + 1).padStart(2, '0')}`,
        kind: 'holiday' as const,
        name: 'off',
      })),
    ]);
    expect(errorOf(() => splitMonthToDays(1, { month: '2026-02', calendar: allOff })).code).toBe(
      'PLANNING_NO_WORKING_DAYS',
    );
    expect(sum(amounts(splitMonthToDays(0, { month: '2026-02', calendar: allOff })))).toBe(0);
  });

  it('property: days sum to the month, non-working days are 0, weeks by sumRange sum to the month', () => {
    const months = monthsOfFiscalYear(2025).concat(monthsOfFiscalYear(2026));
    const shape = fc.oneof(
      fc.constant('even' as const),
      fc.record({ lastWeekBoostBp: fc.integer({ min: 0, max: 30_000 }) }),
      fc.array(fc.integer({ min: 1, max: 100 }), { minLength: 6, maxLength: 6 }),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...months),
        fc.integer({ min: 0, max: 1e13 }),
        shape,
        (month, total, s) => {
          const weekCount = splitMonthToWeeks(0, { month, calendar: china }).length;
          const weekShape = Array.isArray(s) ? { weekWeights: s.slice(0, weekCount) } : s;
          const days = splitMonthToDays(total, { month, calendar: china, weekShape });
          expect(sum(amounts(days))).toBe(total);
          for (const d of days) {
            if (!china.isWorkingDay(d.period)) expect(d.amount).toBe(0);
            expect(d.amount).toBeGreaterThanOrEqual(0);
          }
          const weeks = splitMonthToWeeks(total, { month, calendar: china, weekShape });
          expect(sum(amounts(weeks))).toBe(total);
          const { start, end } = periodRange(month);
          expect(sumRange(days, start, end)).toBe(total);
        },
      ),
    );
  });
});

describe('weeks straddling months', () => {
  it('property: every ISO week is the sum of its days from both months; nothing is lost or doubled', () => {
    const months = monthsOfFiscalYear(2025).concat(monthsOfFiscalYear(2026));
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: months.length - 2 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 0, max: 20_000 }),
        (k, a, b, boost) => {
          const first = months[k] ?? '2026-01';
          const second = months[k + 1] ?? '2026-02';
          const days = [
            ...splitMonthToDays(a, { month: first, calendar: china }),
            ...splitMonthToDays(b, {
              month: second,
              calendar: china,
              weekShape: { lastWeekBoostBp: boost },
            }),
          ];
          const weeks = sumByWeek(days);
          expect(sum(amounts(weeks))).toBe(a + b);
          for (const w of weeks) {
            const { start, end } = periodRange(w.period);
            expect(sumRange(days, start, end)).toBe(w.amount);
          }
          // The straddling week's parts as each month shows them add up to the whole week
          const last = splitMonthToWeeks(a, { month: first, calendar: china }).at(-1);
          const next = splitMonthToWeeks(b, {
            month: second,
            calendar: china,
            weekShape: { lastWeekBoostBp: boost },
          })[0];
          if (last && next && last.week === next.week) {
            expect(last.amount + next.amount).toBe(
              weeks.find((w) => w.period === last.week)?.amount,
            );
          }
        },
      ),
    );
  });
});

describe('time progress', () => {
  it('counts elapsed working days over the working days of the period', () => {
    // October 2026 has 18 working days; by the end of 9 Oct two have passed (8, 9)
    expect(timeProgress('2026-10-01', '2026-10-31', '2026-10-09', china)).toEqual({
      elapsed: 2,
      total: 18,
      bp: 1111,
    });
    expect(
      timeProgress('2026-10-01', '2026-10-31', '2026-10-09', china, { includeToday: false }).bp,
    ).toBe(556);
    expect(timeProgress('2026-10-01', '2026-10-31', '2026-09-30', china).bp).toBe(0);
    expect(timeProgress('2026-10-01', '2026-10-31', '2026-12-01', china).bp).toBe(10_000);
  });

  it('can weigh time by the plan’s own day amounts', () => {
    const days = splitMonthToDays(230 * WAN, {
      month: '2026-10',
      calendar: china,
      weekShape: { lastWeekBoostBp: 10_000 },
    });
    // By 25 Oct, 13 of 23 shares are due
    expect(plannedProgress(days, '2026-10-25')).toEqual({
      elapsed: 130 * WAN,
      total: 230 * WAN,
      bp: 5652,
    });
  });
});

describe('revisions freeze the past', () => {
  it('keeps January–June and re-spreads the new total over July–December by the old weights', () => {
    // Given 1,200万 by quarters 40/25/30/5
    const plan = splitYear(1200 * WAN, {
      fiscalYear: 2026,
      quarterWeights: [4000, 2500, 3000, 500],
    });
    // When the year is revised to 1,340万 at the end of June
    const revised = respreadRemaining(plan.months, 1340 * WAN, '2026-06');
    // Then the first half is untouched and H2 (360 + 60 = 420万) becomes 560万 in the same 6:1 shape
    // (Q4: 80万 ÷ 3 = 26,666,666.67 fen; the two odd fen go to October and November)
    expect(amounts(revised)).toEqual([
      ...[160, 160, 160, 100, 100, 100, 160, 160, 160].map((x) => x * WAN),
      26_666_667,
      26_666_667,
      26_666_666,
    ]);
    expect(sum(amounts(revised))).toBe(1340 * WAN);
  });

  it('freezes months by a date only once the whole month has passed', () => {
    const months = [
      { period: '2026-01', amount: 100 },
      { period: '2026-02', amount: 100 },
    ];
    expect(amounts(respreadRemaining(months, 300, '2026-01-31'))).toEqual([100, 200]);
    expect(amounts(respreadRemaining(months, 300, '2026-01-30'))).toEqual([150, 150]);
  });

  it('refuses to go below what is frozen, or to change a fully frozen plan', () => {
    const months = [
      { period: '2026-01', amount: 100 },
      { period: '2026-02', amount: 100 },
    ];
    expect(errorOf(() => respreadRemaining(months, 50, '2026-01')).params).toEqual({
      frozen: 100,
      total: 50,
    });
    expect(errorOf(() => respreadRemaining(months, 300, '2026-02')).code).toBe(
      'PLANNING_NO_REMAINING_PERIODS',
    );
    // remaining periods all zero: give the weights explicitly
    const zero = [
      { period: '2026-01', amount: 100 },
      { period: '2026-02', amount: 0 },
      { period: '2026-03', amount: 0 },
    ];
    expect(errorOf(() => respreadRemaining(zero, 300, '2026-01')).code).toBe(
      'PLANNING_NO_REMAINING_PERIODS',
    );
    expect(amounts(respreadRemaining(zero, 300, '2026-01', { weights: [1, 1, 3] }))).toEqual([
      100, 50, 150,
    ]);
  });

  it('property: frozen days stay bit for bit, the total is the new one, the rest keeps its shape', () => {
    const months = monthsOfFiscalYear(2026);
    fc.assert(
      fc.property(
        fc.constantFrom(...months),
        fc.integer({ min: 0, max: 1e12 }),
        fc.integer({ min: 1, max: 30 }),
        fc.integer({ min: 0, max: 1e12 }),
        (month, total, cut, extra) => {
          const days = splitMonthToDays(total, { month, calendar: china });
          const frozenUntil = `${month}-${String(Math.min(cut, days.length)).padStart(2, '0')}`;
          const frozen = days.filter((d) => d.period <= frozenUntil);
          const open = days.filter((d) => d.period > frozenUntil);
          const openWork = open.some((d) => d.amount > 0);
          const newTotal = sum(amounts(frozen)) + (openWork ? extra : 0);
          const revised = respreadRemaining(days, newTotal, frozenUntil);
          expect(revised.slice(0, frozen.length)).toEqual(frozen);
          expect(sum(amounts(revised))).toBe(newTotal);
          revised.forEach((d, i) => {
            if ((days[i]?.amount ?? 0) === 0) expect(d.amount).toBe(0);
          });
        },
      ),
    );
  });
});
