import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.ts';
import {
  type OpenOpportunity,
  linearRunRate,
  normalCdf,
  pipelineWeighted,
  seasonalProjection,
} from '../../../src/domain/tracking/index.ts';

const WAN = 1_000_000;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('linearRunRate', () => {
  it('extrapolates actual to date over the working days of the period', () => {
    // 80万 after 12 of 22 working days → 80万 × 22 ÷ 12 = 146.666… 万 → 146,666,667 fen
    expect(
      linearRunRate({ actualToDate: 80 * WAN, elapsedWorkingDays: 12, totalWorkingDays: 22 }),
    ).toBe(146_666_667);
    expect(linearRunRate({ actualToDate: 5, elapsedWorkingDays: 22, totalWorkingDays: 22 })).toBe(
      5,
    );
  });

  it('has nothing to extrapolate before the first working day and refuses elapsed > total', () => {
    expect(
      linearRunRate({ actualToDate: 5, elapsedWorkingDays: 0, totalWorkingDays: 22 }),
    ).toBeNull();
    expect(
      codeOf(() =>
        linearRunRate({ actualToDate: 5, elapsedWorkingDays: 23, totalWorkingDays: 22 }),
      ),
    ).toBe('TRACKING_INVALID');
  });
});

describe('seasonalProjection', () => {
  it('divides actual to date by the seasonal share elapsed', () => {
    // 300万 sold when 25% of the year's seasonal weight has passed → 1,200万
    expect(seasonalProjection({ actualToDate: 300 * WAN, seasonalShareElapsedBp: 2500 })).toBe(
      1200 * WAN,
    );
    // an exact share (e.g. timeProgress(...).share over seasonal day weights): 100 at 1/3 → 300
    expect(
      seasonalProjection({ actualToDate: 100, seasonalShareElapsed: { num: 1, den: 3 } }),
    ).toBe(300);
    // 100 at 30% → 333.33 → 333
    expect(seasonalProjection({ actualToDate: 100, seasonalShareElapsedBp: 3000 })).toBe(333);
  });

  it('is null before any seasonal weight has passed and refuses shares above 100%', () => {
    expect(seasonalProjection({ actualToDate: 100, seasonalShareElapsedBp: 0 })).toBeNull();
    expect(
      codeOf(() => seasonalProjection({ actualToDate: 1, seasonalShareElapsedBp: 10_001 })),
    ).toBe('TRACKING_INVALID');
  });
});

const opp = (
  amount: number,
  probabilityBp: number,
  expectedCloseDate = '2026-10-20',
): OpenOpportunity => ({
  amount,
  probabilityBp,
  expectedCloseDate,
});

describe('pipelineWeighted', () => {
  it('adds the probability-weighted amounts of deals expected to close by period end', () => {
    // Given 500万 booked; 100万 at 50% and 200万 at 25% close in October, 300万 at 90% in November
    const f = pipelineWeighted({
      actualToDate: 500 * WAN,
      openOpportunities: [
        opp(100 * WAN, 5000),
        opp(200 * WAN, 2500, '2026-10-31'),
        opp(300 * WAN, 9000, '2026-11-05'),
      ],
      periodEnd: '2026-10-31',
    });
    // Then 50万 + 50万 is added and the November deal is left out
    expect(f).toEqual({
      forecast: 600 * WAN,
      weightedPipeline: 100 * WAN,
      counted: 2,
      excluded: 1,
    });
  });

  it('rounds the weighted sum once, not each deal', () => {
    // 1 fen at 50% twice: 0.5 + 0.5 = 1 fen (rounding each would give 2)
    const f = pipelineWeighted({
      actualToDate: 0,
      openOpportunities: [opp(1, 5000), opp(1, 5000)],
      periodEnd: '2026-10-31',
    });
    expect(f.weightedPipeline).toBe(1);
  });
});

describe('normalCdf', () => {
  it('matches the standard normal distribution to better than 1e-7', () => {
    const reference: [number, number][] = [
      [0, 0.5],
      [1, 0.8413447460685429],
      [-1.5, 0.06680720126885809],
      [2, 0.9772498680518208],
      [-3, 0.0013498980316301],
    ];
    for (const [z, p] of reference) expect(Math.abs(normalCdf(z) - p)).toBeLessThan(1e-7);
  });
});

describe('forecasts are monotone in actual to date (property)', () => {
  it('linear, seasonal and pipeline-weighted', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e11 }), // up to 10亿元; ÷ 0.01% must stay below 2^53
        fc.integer({ min: 0, max: 1e9 }),
        fc.integer({ min: 1, max: 260 }),
        fc.integer({ min: 0, max: 260 }),
        fc.integer({ min: 1, max: 10_000 }),
        (actual, more, total, elapsedRaw, shareBp) => {
          const elapsed = Math.min(total, Math.max(1, elapsedRaw));
          const linear = (a: number) =>
            linearRunRate({
              actualToDate: a,
              elapsedWorkingDays: elapsed,
              totalWorkingDays: total,
            }) ?? 0;
          const seasonal = (a: number) =>
            seasonalProjection({ actualToDate: a, seasonalShareElapsedBp: shareBp }) ?? 0;
          const pipe = (a: number) =>
            pipelineWeighted({
              actualToDate: a,
              openOpportunities: [opp(12_345, 3333)],
              periodEnd: '2026-10-31',
            }).forecast;
          for (const f of [linear, seasonal, pipe]) {
            expect(f(actual + more)).toBeGreaterThanOrEqual(f(actual));
          }
        },
      ),
    );
  });
});
