/**
 * A unit's own seasonal shape, blended toward its parent's (issue 12, docs/seasonality.md).
 *
 * Every unit inheriting the company's shape mis-plans a region that peaks differently; every unit
 * using its raw history mis-plans a team whose one year of history was a ramp-up, a move or a lucky
 * month. Credibility weighting (Bühlmann) takes the middle: the unit's pooled own shape weighs
 *
 *     w = n / (n + k)
 *
 * against the parent's, n the weight of the unit's history and k the credibility constant — the
 * history that weighs as much as the parent's shape. n counts years (thin history) or, as the
 * product does, orders (Bühlmann–Straub: a month of a small team's orders is noisier than a
 * region's, so volume measures noise as well as length). The noisier units are and the closer
 * their true shapes to the parent's, the larger k should be; the product's k was fitted by the
 * month-9 backtest (`npm run bench:seasonality`).
 *
 * Shapes are integer weights summing to exactly SHAPE_SCALE (largest remainder), so a shape is
 * stored and sent as JSON and splits the same everywhere, like the other seasonal profiles.
 */
import { allocate } from '../allocation.ts';
import { AppError } from '../errors.ts';
import { fitMatrix } from './matrix.ts';

/** A shape's weights sum to exactly this: parts per million of the year. */
export const SHAPE_SCALE = 1_000_000;

/** The credibility constant the backtest chose: 4,000 orders of history weigh as much as the parent's shape. */
export const DEFAULT_CREDIBILITY_ORDERS = 4000;

export interface BlendedShape {
  /** One weight per month, summing to exactly SHAPE_SCALE. */
  weights: number[];
  /** w = n / (n + k), in [0, 1): the own history's weight (0 without history). */
  credibility: number;
  /** Own years that counted (a year that sold nothing has no shape). */
  years: number;
}

/** Amounts (≥ 0, a positive sum) as a shape summing to SHAPE_SCALE; null when they sum to zero. */
export function shapeOf(amounts: readonly number[]): number[] | null {
  let sum = 0;
  for (const a of amounts) {
    if (!Number.isSafeInteger(a) || a < 0)
      throw new AppError('PLANNING_INVALID', { reason: `seasonal amount ${a}` });
    sum += a;
  }
  return sum === 0 ? null : allocate(SHAPE_SCALE, amounts);
}

/**
 * The blended shape of a unit: `ownYears` are its complete past years (each as many monthly
 * amounts as the parent's shape has months, aligned with them), `parent` the parent's shape (any
 * non-negative weights with a positive sum, e.g. its own blended shape). Without own history it
 * is exactly the parent's shape; as its years grow it approaches its own pooled shape.
 */
export function blendedShape(input: {
  ownYears: readonly (readonly number[])[];
  parent: readonly number[];
  k: number;
  /**
   * The history's weight in the unit k is in: its years by default; its orders when noise is
   * weighed by volume (Bühlmann–Straub: a small team's months are noisier than a region's).
   */
  exposure?: number;
}): BlendedShape {
  const { ownYears, parent, k } = input;
  if (!Number.isFinite(k) || k < 0)
    throw new AppError('PLANNING_INVALID', { reason: `credibility k ${k}` });
  const parentShape = shapeOf(parent);
  if (!parentShape) throw new AppError('SEASONALITY_NO_HISTORY', { years: 0 });
  const pooled = parent.map(() => 0);
  let n = 0;
  for (const year of ownYears) {
    if (year.length !== parent.length)
      throw new AppError('PLANNING_INVALID', {
        reason: `${year.length} months of history for ${parent.length}`,
      });
    const shape = shapeOf(year);
    if (!shape) continue;
    n++;
    year.forEach((a, i) => (pooled[i] = (pooled[i] ?? 0) + a));
  }
  if (n === 0) return { weights: parentShape, credibility: 0, years: 0 };
  const own = shapeOf(pooled)!;
  // k = 0 trusts the own history entirely (the raw shape).
  const e = input.exposure ?? n;
  if (!Number.isFinite(e) || e < 0)
    throw new AppError('PLANNING_INVALID', { reason: `history exposure ${e}` });
  const w = e + k === 0 ? 1 : e / (e + k);
  // Blend in integers: w as a fraction of 10^6 keeps every weight exact before the final split.
  const wPpm = Math.round(w * 1_000_000);
  const mixed = own.map(
    (o, i) => BigInt(o) * BigInt(wPpm) + BigInt(parentShape[i] ?? 0) * BigInt(1_000_000 - wPpm),
  );
  return { weights: allocate(SHAPE_SCALE, mixed), credibility: w, years: n };
}

/** The share of the year a shape puts on its first `months` months, as a fraction of 1. */
export function shareOfFirst(shape: readonly number[], months: number): number {
  let s = 0;
  for (let i = 0; i < months && i < shape.length; i++) s += shape[i] ?? 0;
  const total = shape.reduce((a, b) => a + b, 0);
  return total === 0 ? 0 : s / total;
}

/**
 * Re-times the children of a parent so each follows its own seasonal shape while both margins
 * stay exact: every child's total over the months (what the org split gave it) and the parent's
 * value in every month. Two fixed margins: `fitMatrix` (IPF, then controlled rounding), seeded
 * with total × shape. Children × months, in fen.
 */
export function retimeChildren(input: {
  childTotals: readonly number[];
  parentMonths: readonly number[];
  /** One shape per child, aligned with `parentMonths` (any non-negative weights). */
  shapes: readonly (readonly number[])[];
}): number[][] {
  const { childTotals, parentMonths, shapes } = input;
  if (shapes.length !== childTotals.length)
    throw new AppError('PLANNING_INVALID', {
      reason: `${shapes.length} shapes for ${childTotals.length} children`,
    });
  const seed = childTotals.map((total, i) => {
    const shape = shapes[i] ?? [];
    if (shape.length !== parentMonths.length)
      throw new AppError('PLANNING_INVALID', {
        reason: `${shape.length} shape months for ${parentMonths.length}`,
      });
    const sum = shape.reduce((a, b) => a + b, 0);
    // A shape with nothing on these months (all of them frozen, say) cannot steer: even.
    return shape.map((w) => (sum > 0 ? (total * w) / sum : total / shape.length));
  });
  return fitMatrix({ rowTotals: childTotals, colTotals: parentMonths, seed }).cells;
}
