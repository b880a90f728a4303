import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { officialHolidayData } from '../../../src/data/chinese-holidays.ts';
import { buildCalendar } from '../../../src/domain/calendar.ts';
import { addDays } from '../../../src/domain/dates.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { formatPercent } from '../../../src/domain/percent.ts';
import { targetTiers } from '../../../src/domain/tiers.ts';
import {
  aheadBehind,
  attainment,
  gap,
  requiredRunRate,
  tierReached,
  timeProgress,
} from '../../../src/domain/tracking/index.ts';

const WAN = 1_000_000; // fen in 1万元
const china = buildCalendar(officialHolidayData());
/** Monday–Friday, no holidays. */
const plain = buildCalendar({ holidays: {}, workdays: {}, years: [] });

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('attainment and gap (METHOD §8 example)', () => {
  it('80万 against 120万 is 66.67% with a gap of 40万', () => {
    // Given this month's actual 80万 and target 120万
    // When attainment and gap are measured
    const bp = attainment(80 * WAN, 120 * WAN);
    // Then 2/3 rounds half-up to 6,667 bp and the gap is exactly 40万
    expect(bp).toBe(6667);
    expect(formatPercent(bp ?? 0, 2)).toBe('66.67%');
    expect(gap(120 * WAN, 80 * WAN)).toBe(40 * WAN);
  });

  it('has no attainment for a zero target, rounds half away from zero and allows refunds', () => {
    expect(attainment(5, 0)).toBeNull();
    expect(attainment(1, 20_000)).toBe(1); // 0.5 bp → 1
    expect(attainment(-1, 20_000)).toBe(-1);
    expect(attainment(150, 100)).toBe(15_000);
    expect(codeOf(() => attainment(1, -100))).toBe('TRACKING_INVALID');
    expect(codeOf(() => attainment(0.5, 100))).toBe('TRACKING_INVALID');
  });

  it('reports a surplus as a negative gap', () => {
    expect(gap(100, 130)).toBe(-30);
  });
});

describe('timeProgress', () => {
  it('counts working days in Golden Week October 2026 with the official calendar', () => {
    // Given October 2026: 1–7 October off, Saturday 10 October a make-up working day → 18 working days
    const oct = { start: '2026-10-01', end: '2026-10-31', calendar: china };
    // When progress is read at the end of 7 October, 9 October and Saturday 10 October
    const holiday = timeProgress({ ...oct, asOf: '2026-10-07' });
    const friday = timeProgress({ ...oct, asOf: '2026-10-09' });
    const makeup = timeProgress({ ...oct, asOf: '2026-10-10' });
    // Then the holiday week adds no time; 9 October is 2/18 = 11.11%, not 9/31 calendar days
    expect(holiday).toMatchObject({ elapsedWorkingDays: 0, totalWorkingDays: 18, bp: 0 });
    expect(friday).toMatchObject({
      elapsedWorkingDays: 2,
      remainingWorkingDays: 16,
      share: { num: 2, den: 18 },
      bp: 1111,
      weighted: false,
    });
    expect(makeup).toMatchObject({ elapsedWorkingDays: 3, bp: 1667 }); // 3/18 = 16.67%
  });

  it('counts asOf as elapsed by default, and only once it is over with includeToday: false', () => {
    const oct = { start: '2026-10-01', end: '2026-10-31', calendar: china, asOf: '2026-10-10' };
    expect(timeProgress(oct).elapsedWorkingDays).toBe(3);
    expect(timeProgress({ ...oct, includeToday: false }).elapsedWorkingDays).toBe(2);
    // the first working day after the holiday, read live in the morning: nothing elapsed yet
    expect(timeProgress({ ...oct, asOf: '2026-10-08', includeToday: false }).bp).toBe(0);
  });

  it('is 0% before the period and 100% after it', () => {
    const may = { start: '2026-05-01', end: '2026-05-31', calendar: china };
    expect(timeProgress({ ...may, asOf: '2026-04-30' }).bp).toBe(0);
    expect(timeProgress({ ...may, asOf: '2026-06-15' })).toMatchObject({
      elapsedWorkingDays: 19,
      totalWorkingDays: 19,
      remainingWorkingDays: 0,
      bp: 10_000,
    });
  });

  it('uses day weights when given (METHOD §11: the same day weights as the target split)', () => {
    // Given a Mon–Fri week whose plan pushes Friday: weights 1, 1, 1, 1, 2
    const dayWeights = [
      { date: '2026-03-09', weight: 1 },
      { date: '2026-03-10', weight: 1 },
      { date: '2026-03-11', weight: 1 },
      { date: '2026-03-12', weight: 1 },
      { date: '2026-03-13', weight: 2 },
      { date: '2026-03-31', weight: 99 }, // outside the range: ignored
    ];
    const week = { start: '2026-03-09', end: '2026-03-15', calendar: plain, asOf: '2026-03-11' };
    // When progress is read at the end of Wednesday
    const weighted = timeProgress({ ...week, dayWeights });
    // Then 3 of 6 weight units have passed (50%), where plain working days say 3/5 = 60%
    expect(weighted).toMatchObject({ share: { num: 3, den: 6 }, bp: 5000, weighted: true });
    expect(weighted.elapsedWorkingDays).toBe(3);
    expect(timeProgress(week).bp).toBe(6000);
  });

  it('treats a period without working days as 0% until its last day, then 100%', () => {
    const golden = { start: '2026-10-01', end: '2026-10-07', calendar: china };
    expect(timeProgress({ ...golden, asOf: '2026-10-06' })).toMatchObject({
      bp: 0,
      totalWorkingDays: 0,
    });
    expect(timeProgress({ ...golden, asOf: '2026-10-07' }).bp).toBe(10_000);
  });

  it('refuses reversed ranges and duplicate day weights', () => {
    const base = { calendar: plain, asOf: '2026-03-01' };
    expect(codeOf(() => timeProgress({ ...base, start: '2026-03-31', end: '2026-03-01' }))).toBe(
      'DATE_ORDER',
    );
    const dup = [
      { date: '2026-03-02', weight: 1 },
      { date: '2026-03-02', weight: 1 },
    ];
    expect(
      codeOf(() =>
        timeProgress({ ...base, start: '2026-03-01', end: '2026-03-31', dayWeights: dup }),
      ),
    ).toBe('TRACKING_INVALID');
  });

  it('never decreases as asOf moves forward (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.integer({ min: 0, max: 60 }), (a, b) => {
        const p = (n: number) =>
          timeProgress({
            start: '2026-09-01',
            end: '2026-10-30',
            asOf: addDays('2026-08-31', n),
            calendar: china,
          }).bp;
        const [lo, hi] = a <= b ? [a, b] : [b, a];
        expect(p(lo)).toBeLessThanOrEqual(p(hi));
      }),
    );
  });
});

describe('aheadBehind', () => {
  it('is attainment minus time progress in basis points', () => {
    expect(aheadBehind(6667, 5000)).toEqual({ differenceBp: 1667, status: 'ahead' });
    expect(aheadBehind(4000, 5000)).toEqual({ differenceBp: -1000, status: 'behind' });
    expect(aheadBehind(5000, 5000)).toEqual({ differenceBp: 0, status: 'on-track' });
  });

  it('treats a difference within the tolerance as on track, and a zero target as unknown', () => {
    expect(aheadBehind(4500, 5000, { toleranceBp: 500 })?.status).toBe('on-track');
    expect(aheadBehind(4499, 5000, { toleranceBp: 500 })?.status).toBe('behind');
    expect(aheadBehind(null, 5000)).toBeNull();
  });
});

describe('requiredRunRate', () => {
  it('rounds up so that the rate really closes the gap', () => {
    // Given a gap of 40万 and 18 working days left
    const rate = requiredRunRate({ gap: 40 * WAN, remainingWorkingDays: 18 });
    // Then 40,000,000 ÷ 18 = 2,222,222.2… fen is rounded up to 2,222,223
    expect(rate).toBe(2_222_223);
    expect((rate ?? 0) * 18).toBeGreaterThanOrEqual(40 * WAN);
    expect(2_222_222 * 18).toBeLessThan(40 * WAN);
  });

  it('is exact when it divides, 0 without a gap, and null when no day is left', () => {
    expect(requiredRunRate({ gap: 100, remainingWorkingDays: 4 })).toBe(25);
    expect(requiredRunRate({ gap: 1, remainingWorkingDays: 4 })).toBe(1);
    expect(requiredRunRate({ gap: -50, remainingWorkingDays: 4 })).toBe(0);
    expect(requiredRunRate({ gap: 0, remainingWorkingDays: 0 })).toBe(0);
    expect(requiredRunRate({ gap: 10, remainingWorkingDays: 0 })).toBeNull();
  });
});

describe('tierReached', () => {
  // base 800万, target 1,000万, sprint 1,150万, challenge 1,200万 (METHOD §2 defaults)
  const tiers = targetTiers(1000 * WAN);

  it('names the highest tier reached and what the next one still needs', () => {
    const s = tierReached(1100 * WAN, tiers);
    expect(s.reached).toBe('target');
    expect(s.next).toEqual({ tier: 'sprint', amount: 1150 * WAN, needed: 50 * WAN });
    expect(s.tiers.map((t) => t.tier)).toEqual(['base', 'target', 'sprint', 'challenge']);
  });

  it('starts at none and ends with nothing next', () => {
    expect(tierReached(700 * WAN, tiers)).toMatchObject({
      reached: 'none',
      next: { tier: 'base', needed: 100 * WAN },
    });
    expect(tierReached(800 * WAN, tiers).reached).toBe('base');
    expect(tierReached(1300 * WAN, tiers)).toMatchObject({ reached: 'challenge', next: null });
  });

  it('orders by amount when the sprint is set above the challenge', () => {
    const custom = { base: 80, target: 100, challenge: 110, sprint: 130 };
    expect(tierReached(120, custom)).toMatchObject({
      reached: 'challenge',
      next: { tier: 'sprint', needed: 10 },
    });
  });
});
