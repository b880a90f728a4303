import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.ts';
import {
  type OpenOpportunity,
  linearRunRate,
  normalCdf,
  pipelineWeighted,
  runRateFromHistory,
  seasonalProjection,
  tierProbabilities,
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

describe('runRateFromHistory', () => {
  it('scales the daily mean and variance to the remaining days', () => {
    // daily 10, 20, 30: mean 20, sample variance 100; over 4 days: 80 ± √400 = 20
    expect(runRateFromHistory({ dailyActuals: [10, 20, 30], remainingWorkingDays: 4 })).toEqual({
      expected: 80,
      stdDev: 20,
    });
    expect(runRateFromHistory({ dailyActuals: [7], remainingWorkingDays: 3 })).toEqual({
      expected: 21,
      stdDev: 0,
    });
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

describe('tierProbabilities', () => {
  const tiers = { base: 80 * WAN, target: 100 * WAN, sprint: 115 * WAN, challenge: 120 * WAN };
  const pipeline = [opp(20 * WAN, 5000), opp(30 * WAN, 4000)];

  it('computes the exact Poisson-binomial distribution of the pipeline', () => {
    // Given 70万 booked and two independent deals: 20万 at 50%, 30万 at 40%
    // the final total is 70 (0.3), 90 (0.3), 100 (0.2) or 120 (0.2) 万
    const r = tierProbabilities({
      actualToDate: 70 * WAN,
      opportunities: pipeline,
      periodEnd: '2026-10-31',
      tiers,
    });
    expect(r.tiers).toEqual([
      { tier: 'base', amount: 80 * WAN, probabilityBp: 7000 },
      { tier: 'target', amount: 100 * WAN, probabilityBp: 4000 },
      { tier: 'sprint', amount: 115 * WAN, probabilityBp: 2000 },
      { tier: 'challenge', amount: 120 * WAN, probabilityBp: 2000 },
    ]);
    expect(r.expectedTotal).toBe(92 * WAN); // 70 + 10 + 12
    expect(r.bucketFen).toBe(10 * WAN); // gcd of the amounts: exact
  });

  it('adds a normal run-rate for the business outside the pipeline', () => {
    // Given no pipeline, 90万 booked and 10万 ± 10万 expected from the run-rate: final ~ N(100万, 10万)
    const noPipeline = tierProbabilities({
      actualToDate: 90 * WAN,
      opportunities: [],
      periodEnd: '2026-10-31',
      runRate: { expected: 10 * WAN, stdDev: 10 * WAN },
      tiers,
    });
    // Then the base (80万) is already reached; P(≥ 100) = ½, P(≥ 115) = 1 − Φ(1.5) = 6.68%,
    // P(≥ 120) = 1 − Φ(2) = 2.275013… % → 228 bp
    expect(noPipeline.tiers.map((t) => t.probabilityBp)).toEqual([10_000, 5000, 668, 228]);

    // With the two deals as well: Σ_s P(s) · Φ((70 + 10 + s − tier) ÷ 10)
    const both = tierProbabilities({
      actualToDate: 70 * WAN,
      opportunities: pipeline,
      periodEnd: '2026-10-31',
      runRate: { expected: 10 * WAN, stdDev: 10 * WAN },
      tiers,
    });
    expect(both.tiers.map((t) => t.probabilityBp)).toEqual([8429, 5248, 2685, 2068]);
  });

  it('is 100% for a tier already reached and 0% for one out of reach', () => {
    const reached = tierProbabilities({
      actualToDate: 130 * WAN,
      opportunities: [],
      periodEnd: '2026-10-31',
      tiers,
    });
    expect(reached.tiers.every((t) => t.probabilityBp === 10_000)).toBe(true);

    // 10万 booked and every deal won still makes only 60万
    const hopeless = tierProbabilities({
      actualToDate: 10 * WAN,
      opportunities: pipeline,
      periodEnd: '2026-10-31',
      tiers,
    });
    expect(hopeless.tiers.every((t) => t.probabilityBp === 0)).toBe(true);

    // a tier reached exactly when both deals are won: 0.5 × 0.4 = 20%
    const exact = tierProbabilities({
      actualToDate: 70 * WAN,
      opportunities: pipeline,
      periodEnd: '2026-10-31',
      tiers: { ...tiers, challenge: 120 * WAN, sprint: 120 * WAN + 1 },
    });
    expect(exact.tiers.map((t) => [t.tier, t.probabilityBp])).toEqual([
      ['base', 7000],
      ['target', 4000],
      ['challenge', 2000],
      ['sprint', 0],
    ]);
  });

  it('ignores deals expected after period end', () => {
    const late = tierProbabilities({
      actualToDate: 70 * WAN,
      opportunities: [opp(50 * WAN, 10_000, '2026-11-01')],
      periodEnd: '2026-10-31',
      tiers,
    });
    expect(late.tiers.map((t) => t.probabilityBp)).toEqual([0, 0, 0, 0]);
  });

  it('widens the grid when the amounts would need too many cells, and says so', () => {
    const r = tierProbabilities({
      actualToDate: 0,
      opportunities: [opp(1_000_003, 5000), opp(2_000_001, 5000)],
      periodEnd: '2026-10-31',
      tiers: { base: 1, target: 2_000_000, sprint: 2_500_000, challenge: 3_000_004 },
      maxBuckets: 100,
    });
    // ⌈3,000,004 ÷ 100⌉; the deals become 33 and 67 cells (990,033 and 2,010,067 fen)
    expect(r.bucketFen).toBe(30_001);
    // and the answer is still the true one here: ¾, ½, ¼ (both won), ¼
    expect(r.tiers.map((t) => t.probabilityBp)).toEqual([7500, 5000, 2500, 2500]);
  });

  const scenario = fc.record({
    actual: fc.integer({ min: 0, max: 200 }),
    opps: fc.array(
      fc.record({
        amount: fc.integer({ min: 0, max: 80 }),
        p: fc.integer({ min: 0, max: 10_000 }),
      }),
      { maxLength: 8 },
    ),
    expected: fc.integer({ min: 0, max: 30 }),
    stdDev: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 40 })),
    base: fc.integer({ min: 0, max: 300 }),
    steps: fc.tuple(fc.nat(100), fc.nat(100), fc.nat(100)),
  });
  type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;
  const run = (s: Scenario, actual: number) =>
    tierProbabilities({
      actualToDate: actual,
      opportunities: s.opps.map((o) => opp(o.amount * 1000, o.p)),
      periodEnd: '2026-10-31',
      runRate: { expected: s.expected * 1000, stdDev: s.stdDev * 1000 },
      tiers: {
        base: s.base * 1000,
        target: (s.base + s.steps[0]) * 1000,
        sprint: (s.base + s.steps[0] + s.steps[1]) * 1000,
        challenge: (s.base + s.steps[0] + s.steps[1] + s.steps[2]) * 1000,
      },
      maxBuckets: 64,
    });

  it('never makes a higher tier more likely than a lower one (property)', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const p = run(s, s.actual * 1000).tiers.map((t) => t.probabilityBp);
        for (let i = 1; i < p.length; i++) expect(p[i]).toBeLessThanOrEqual(p[i - 1]!);
        for (const x of p) expect(x >= 0 && x <= 10_000).toBe(true);
      }),
    );
  });

  it('never lowers a probability when more has been sold (property)', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 100 }), (s, more) => {
        const lo = run(s, s.actual * 1000).tiers;
        const hi = run(s, (s.actual + more) * 1000).tiers;
        lo.forEach((t, i) => expect(hi[i]!.probabilityBp).toBeGreaterThanOrEqual(t.probabilityBp));
      }),
    );
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
