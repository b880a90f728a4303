import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  SHAPE_SCALE,
  blendedShape,
  shapeOf,
  retimeChildren,
  shareOfFirst,
} from '../../../src/domain/planning/blended-seasonality.ts';
import { errorOf } from './helpers.ts';

const sum = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0);
const company = [700, 550, 750, 750, 800, 1000, 700, 700, 800, 900, 1400, 950];
/** A region that peaks at year-end: December is its strongest month. */
const north = [40, 40, 50, 60, 70, 80, 80, 80, 90, 110, 140, 260].map((x) => x * 1000);

describe('a unit’s seasonal shape blended toward its parent’s', () => {
  it('without own history it is exactly the parent’s shape', () => {
    const r = blendedShape({ ownYears: [], parent: company, k: 1 });
    expect(r).toEqual({ weights: shapeOf(company), credibility: 0, years: 0 });
    expect(sum(r.weights)).toBe(SHAPE_SCALE);
    // A year that sold nothing is no history either.
    expect(blendedShape({ ownYears: [company.map(() => 0)], parent: company, k: 1 }).years).toBe(0);
  });

  it('weighs one year of history n/(n+k): half-way for k = 1', () => {
    const r = blendedShape({ ownYears: [north], parent: company, k: 1 });
    expect(r.credibility).toBe(0.5);
    const own = shapeOf(north)!;
    const parent = shapeOf(company)!;
    // Exact vector: each weight is the mean of the two shapes (halves rounded by largest remainder).
    r.weights.forEach((w, i) => expect(Math.abs(w - (own[i]! + parent[i]!) / 2)).toBeLessThan(1));
    expect(sum(r.weights)).toBe(SHAPE_SCALE);
    // December: company 950/10,000 = 9.5%, north 260/1,100 ≈ 23.6%, blended ≈ 16.6%.
    expect(r.weights[11]).toBe(Math.round((95_000 + 236_364) / 2));
  });

  it('with k = 0 it is the raw own shape; long stable history approaches it', () => {
    expect(blendedShape({ ownYears: [north], parent: company, k: 0 }).weights).toEqual(
      shapeOf(north),
    );
    const own = shapeOf(north)!;
    const distance = (years: number) => {
      const r = blendedShape({
        ownYears: Array.from({ length: years }, () => north),
        parent: company,
        k: 2,
      });
      return sum(r.weights.map((w, i) => Math.abs(w - own[i]!)));
    };
    expect(distance(1)).toBeGreaterThan(distance(4));
    expect(distance(4)).toBeGreaterThan(distance(40));
    expect(distance(40)).toBeLessThan(0.05 * distance(1) * 3);
  });

  it('weighs noise by volume when the history is measured in orders (Bühlmann–Straub)', () => {
    const region = blendedShape({ ownYears: [north], parent: company, k: 4000, exposure: 12_000 });
    const team = blendedShape({ ownYears: [north], parent: company, k: 4000, exposure: 4000 });
    expect(region.credibility).toBe(0.75);
    expect(team.credibility).toBe(0.5);
    // The same one year of history: the bigger unit's shape stays nearer its own.
    const own = shapeOf(north)!;
    expect(Math.abs(region.weights[11]! - own[11]!)).toBeLessThan(
      Math.abs(team.weights[11]! - own[11]!),
    );
    expect(
      errorOf(() => blendedShape({ ownYears: [north], parent: company, k: 1, exposure: -1 })).code,
    ).toBe('PLANNING_INVALID');
  });

  it('pools the own years (a year twice as big weighs twice)', () => {
    const a = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1].map((x) => x * 100);
    const b = north;
    const r = blendedShape({ ownYears: [a, b], parent: company, k: 0 });
    expect(r.weights).toEqual(shapeOf(a.map((x, i) => x + b[i]!)));
    expect(r.years).toBe(2);
  });

  it('refuses bad input by name', () => {
    expect(
      errorOf(() => blendedShape({ ownYears: [], parent: company.map(() => 0), k: 1 })).code,
    ).toBe('SEASONALITY_NO_HISTORY');
    expect(errorOf(() => blendedShape({ ownYears: [[1, 2]], parent: company, k: 1 })).code).toBe(
      'PLANNING_INVALID',
    );
    expect(errorOf(() => blendedShape({ ownYears: [], parent: company, k: -1 })).code).toBe(
      'PLANNING_INVALID',
    );
    expect(errorOf(() => shapeOf([1, -1])).code).toBe('PLANNING_INVALID');
  });

  it('property: sums to SHAPE_SCALE exactly and lies between own and parent month by month', () => {
    const months = fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 12, maxLength: 12 });
    fc.assert(
      fc.property(
        fc.array(months, { maxLength: 4 }),
        months.filter((p) => sum(p) > 0),
        fc.double({ min: 0, max: 20, noNaN: true }),
        (ownYears, parent, k) => {
          const r = blendedShape({ ownYears, parent, k });
          expect(sum(r.weights)).toBe(SHAPE_SCALE);
          expect(r.credibility).toBeGreaterThanOrEqual(0);
          expect(r.credibility).toBeLessThanOrEqual(1);
          const pooled = parent.map((_, i) => sum(ownYears.map((y) => y[i]!)));
          const own = shapeOf(pooled) ?? shapeOf(parent)!;
          const p = shapeOf(parent)!;
          r.weights.forEach((w, i) => {
            expect(w).toBeGreaterThanOrEqual(Math.min(own[i]!, p[i]!) - 1);
            expect(w).toBeLessThanOrEqual(Math.max(own[i]!, p[i]!) + 1);
          });
        },
      ),
    );
  });

  it('shareOfFirst: the share of the year behind after n months', () => {
    expect(shareOfFirst(shapeOf(company)!, 9)).toBeCloseTo(0.675, 6);
    expect(shareOfFirst([0, 0], 1)).toBe(0);
  });

  it('re-times children to their own shapes with both margins exact', () => {
    // A parent of 1,200 over four months; a flat child and a year-end child, 600 each.
    const r = retimeChildren({
      childTotals: [600, 600],
      parentMonths: [250, 250, 300, 400],
      shapes: [
        [1, 1, 1, 1],
        [1, 1, 2, 4],
      ],
    });
    r.forEach((row) => expect(sum(row)).toBe(600));
    [250, 250, 300, 400].forEach((m, j) => expect(r[0]![j]! + r[1]![j]!).toBe(m));
    // The year-end child takes more of the last month than the flat one.
    expect(r[1]![3]!).toBeGreaterThan(r[0]![3]!);
    expect(r[1]![0]!).toBeLessThan(r[0]![0]!);
  });

  it('property: re-timed rows and columns add up exactly', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1e9 }), { minLength: 1, maxLength: 5 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 12, maxLength: 12 }),
        fc.integer({ min: 0, max: 2 ** 31 }),
        (totals, parentShape, salt) => {
          const whole = sum(totals);
          const months = shapeOf(parentShape)!.map((w) => w);
          // Parent months with the same total as the children's, by largest remainder.
          const parentMonths = months.map((w) => Math.floor((whole * w) / SHAPE_SCALE));
          let rest = whole - sum(parentMonths);
          for (let j = 0; rest > 0; j = (j + 1) % 12, rest--) parentMonths[j]!++;
          const shapes = totals.map((_, i) =>
            parentShape.map((w, j) => ((w * (1 + ((salt >> (i + j)) & 3))) % 997) + 1),
          );
          const r = retimeChildren({ childTotals: totals, parentMonths, shapes });
          r.forEach((row, i) => expect(sum(row)).toBe(totals[i]));
          parentMonths.forEach((m, j) => expect(sum(r.map((row) => row[j]!))).toBe(m));
        },
      ),
      { numRuns: 50 },
    );
  });
});
