import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { targetTiers } from '../../../src/domain/tiers.ts';
import {
  normalCdf,
  pastProjectionErrors,
  studentTCdf,
  projectionOdds,
  projectionSpread,
} from '../../../src/domain/tracking/index.ts';

const WAN = 1_000_000; // 1万 in fen
const tiers = targetTiers(1_000 * WAN); // base 800万, target 1,000万, sprint 1,150万, challenge 1,200万
const bpOf = (odds: { tier: string; probabilityBp: number }[]) =>
  Object.fromEntries(odds.map((o) => [o.tier, o.probabilityBp]));

describe('pastProjectionErrors', () => {
  it('is ln(share the year before ÷ share that year), last year first', () => {
    // Given last year 40% sold by this point, the year before 50%, and before that 40%
    const errors = pastProjectionErrors([
      { toDate: 400, final: 1_000 },
      { toDate: 500, final: 1_000 },
      { toDate: 200, final: 500 },
    ]);
    // Then last year's projection (toDate ÷ 50%) fell 20% short: +ln 1.25; the year before's
    // (toDate ÷ 40%) overshot: ln 0.8
    expect(errors).toHaveLength(2);
    expect(errors[0]).toBeCloseTo(Math.log(1.25), 12);
    expect(errors[1]).toBeCloseTo(Math.log(0.8), 12);
  });

  it('skips years with nothing sold to date or in total', () => {
    expect(
      pastProjectionErrors([
        { toDate: 400, final: 1_000 },
        { toDate: 0, final: 1_000 },
        { toDate: 300, final: 1_000 },
        { toDate: 300, final: 1_000 },
      ]),
    ).toEqual([0]);
    expect(pastProjectionErrors([{ toDate: 1, final: 2 }])).toEqual([]);
    expect(pastProjectionErrors([])).toEqual([]);
  });
});

describe('projectionSpread', () => {
  it('is the prior without history, narrowing as the period runs out', () => {
    // prior = 0.08 × √((1 − s) ÷ s)
    expect(projectionSpread({ errors: [], shareElapsed: 0.5 }).sigma).toBeCloseTo(0.08, 12);
    expect(projectionSpread({ errors: [], shareElapsed: 0.75 }).sigma).toBeCloseTo(
      0.08 / Math.sqrt(3),
      12,
    );
    // capped at 0.5 at the very start of a period
    expect(projectionSpread({ errors: [], shareElapsed: 0.001 }).sigma).toBe(0.5);
    expect(projectionSpread({ errors: [], shareElapsed: 1 }).sigma).toBe(0);
  });

  it('shrinks the past errors toward the prior, errors taken around zero', () => {
    // σ² = (0.1² + 0.1² + 2 × 0.08²) ÷ 4 = 0.0082
    const s = projectionSpread({ errors: [0.1, 0.1], shareElapsed: 0.5 });
    expect(s.sigma).toBeCloseTo(Math.sqrt(0.0082), 12);
    expect(s.samples).toBe(2);
    // a past that repeated itself exactly never makes it tighter than a quarter of the prior
    const exact = projectionSpread({ errors: Array<number>(50).fill(0), shareElapsed: 0.5 });
    expect(exact.sigma).toBeCloseTo(0.02, 12);
  });

  it('refuses a share outside (0, 1] and non-finite errors', () => {
    expect(() => projectionSpread({ errors: [], shareElapsed: 0 })).toThrow();
    expect(() => projectionSpread({ errors: [], shareElapsed: 1.01 })).toThrow();
    expect(() => projectionSpread({ errors: [Number.NaN], shareElapsed: 0.5 })).toThrow();
  });
});

describe('studentTCdf', () => {
  it('matches the tables', () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12); // Cauchy
    expect(studentTCdf(1, 2)).toBeCloseTo(0.5 + 1 / (2 * Math.sqrt(3)), 12);
    expect(studentTCdf(2.015048, 5)).toBeCloseTo(0.95, 6);
    expect(studentTCdf(2.228139, 10)).toBeCloseTo(0.975, 6);
    expect(studentTCdf(-2.228139, 10)).toBeCloseTo(0.025, 6);
    expect(studentTCdf(2.042272, 30)).toBeCloseTo(0.975, 6);
    expect(studentTCdf(0, 7)).toBe(0.5);
    expect(studentTCdf(Infinity, 3)).toBe(1);
  });

  it('tends to the normal and is heavier-tailed than it', () => {
    expect(studentTCdf(1.5, 400)).toBeCloseTo(normalCdf(1.5), 3);
    fc.assert(
      fc.property(
        fc.double({ min: 0.5, max: 8, noNaN: true }),
        fc.integer({ min: 1, max: 60 }),
        (z, n) => {
          expect(studentTCdf(-z, n)).toBeGreaterThan(normalCdf(-z));
          expect(studentTCdf(-z, n + 1)).toBeLessThanOrEqual(studentTCdf(-z, n) + 1e-12);
        },
      ),
    );
  });
});

describe('projectionOdds', () => {
  it('issue 12: forecasts at 82–89% of target give a small chance of the target, not 100%', () => {
    // Given 600万 sold at 70.6% of the seasonal weight: projection 850万 (85% of target), no history
    const { sigma, dof } = projectionSpread({ errors: [], shareElapsed: 600 / 850 });
    expect(dof).toBe(2);
    const odds = projectionOdds({
      actualToDate: 600 * WAN,
      projection: 850 * WAN,
      sigma,
      dof,
      tiers,
      open: true,
    });
    expect(bpOf(odds)).toEqual({ base: 8_194, target: 439, sprint: 140, challenge: 108 });
  });

  it('issue 12: a projection at 109% of target gives a high chance of the target, not 0%', () => {
    // Given 817.5万 sold at 75% of the weight (projection 1,090万) and two past errors of ±5%
    const { sigma, dof } = projectionSpread({ errors: [0.05, -0.05], shareElapsed: 0.75 });
    expect(dof).toBe(4);
    const odds = projectionOdds({
      actualToDate: 8_175_000_00,
      projection: 1_090 * WAN,
      sigma,
      dof,
      tiers,
      open: true,
    });
    expect(bpOf(odds)).toEqual({ base: 10_000, target: 9_261, sprint: 1_640, challenge: 582 });
  });

  it('is exactly 50% for a tier equal to the projection', () => {
    const odds = projectionOdds({
      actualToDate: 0,
      projection: 1_000 * WAN,
      sigma: 0.1,
      tiers,
      open: true,
    });
    expect(odds.map((o) => o.tier)).toEqual(['base', 'target', 'sprint', 'challenge']);
    expect(bpOf(odds)).toEqual({
      base: Math.round(normalCdf(Math.log(1.25) / 0.1) * 10_000),
      target: 5_000,
      sprint: Math.round(normalCdf(Math.log(1_000 / 1_150) / 0.1) * 10_000),
      challenge: Math.round(normalCdf(Math.log(1_000 / 1_200) / 0.1) * 10_000),
    });
  });

  it('is 100% for a tier already reached, 0/100 once the period is closed', () => {
    const open = projectionOdds({
      actualToDate: 900 * WAN,
      projection: 950 * WAN,
      sigma: 0,
      tiers,
      open: true,
    });
    expect(bpOf(open)).toEqual({ base: 10_000, target: 1, sprint: 1, challenge: 1 });
    const closed = projectionOdds({
      actualToDate: 1_150 * WAN,
      projection: 1_150 * WAN,
      sigma: 0,
      tiers,
      open: false,
    });
    expect(bpOf(closed)).toEqual({ base: 10_000, target: 10_000, sprint: 10_000, challenge: 0 });
  });

  it('keeps nothing sold yet (projection 0) just above 0%', () => {
    const odds = projectionOdds({ actualToDate: 0, projection: 0, sigma: 0.2, tiers, open: true });
    expect(odds.map((o) => o.probabilityBp)).toEqual([1, 1, 1, 1]);
  });

  const scenario = fc.record({
    target: fc.integer({ min: 1, max: 1e11 }),
    actualShare: fc.double({ min: 0, max: 1.3, noNaN: true }),
    projectionShare: fc.double({ min: 0, max: 2, noNaN: true }),
    sigma: fc.double({ min: 0, max: 1, noNaN: true }),
    dof: fc.option(fc.integer({ min: 1, max: 40 }), { nil: undefined }),
  });

  it('never increases from a lower tier to a higher one, and stays inside 1..9,999 while open', () => {
    fc.assert(
      fc.property(scenario, ({ target, actualShare, projectionShare, sigma, dof }) => {
        const t = targetTiers(target);
        const actual = Math.round(target * actualShare);
        const projection = Math.max(actual, Math.round(target * projectionShare));
        const odds = projectionOdds({
          actualToDate: actual,
          projection,
          sigma,
          ...(dof === undefined ? {} : { dof }),
          tiers: t,
          open: true,
        });
        for (let i = 1; i < odds.length; i++) {
          expect(odds[i]!.amount).toBeGreaterThanOrEqual(odds[i - 1]!.amount);
          expect(odds[i]!.probabilityBp).toBeLessThanOrEqual(odds[i - 1]!.probabilityBp);
        }
        for (const o of odds) {
          if (actual >= o.amount) expect(o.probabilityBp).toBe(10_000);
          else {
            expect(o.probabilityBp).toBeGreaterThanOrEqual(1);
            expect(o.probabilityBp).toBeLessThanOrEqual(9_999);
            // agrees with the forecast: above 50% exactly when the projection is above the tier
            if (sigma > 0 && projection > o.amount)
              expect(o.probabilityBp).toBeGreaterThanOrEqual(5_000);
            if (projection < o.amount) expect(o.probabilityBp).toBeLessThanOrEqual(5_000);
          }
        }
      }),
    );
  });

  it('is 5,000 bp for any tier equal to a projection above the actual', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1e11 }),
        fc.double({ min: 0, max: 0.99, noNaN: true }),
        fc.double({ min: 0.001, max: 1, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        (projection, actualShare, sigma, dof) => {
          const odds = projectionOdds({
            actualToDate: Math.floor(projection * actualShare),
            projection,
            sigma,
            dof,
            tiers: {
              base: projection,
              target: projection,
              sprint: projection,
              challenge: projection,
            },
            open: true,
          });
          expect(odds.every((o) => o.probabilityBp === 5_000)).toBe(true);
        },
      ),
    );
  });

  it('a wider spread pulls every open tier toward 50%', () => {
    fc.assert(
      fc.property(scenario, fc.double({ min: 0.01, max: 1, noNaN: true }), (s, extra) => {
        const t = targetTiers(s.target);
        const projection = Math.max(1, Math.round(s.target * s.projectionShare));
        const narrow = projectionOdds({
          actualToDate: 0,
          projection,
          sigma: s.sigma + 0.001,
          ...(s.dof === undefined ? {} : { dof: s.dof }),
          tiers: t,
          open: true,
        });
        const wide = projectionOdds({
          actualToDate: 0,
          projection,
          sigma: s.sigma + 0.001 + extra,
          ...(s.dof === undefined ? {} : { dof: s.dof }),
          tiers: t,
          open: true,
        });
        narrow.forEach((n, i) => {
          const w = wide[i]!.probabilityBp;
          expect(Math.abs(w - 5_000)).toBeLessThanOrEqual(Math.abs(n.probabilityBp - 5_000));
        });
      }),
    );
  });
});
