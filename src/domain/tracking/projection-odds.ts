/**
 * The probability of reaching each tier, centred on the seasonal projection and as wide as that
 * projection has actually been wrong (docs/forecast-probabilities.md).
 *
 * Model: ln(final ÷ projection) = σ·T, T a Student t with n + 2 degrees of freedom (n past years).
 * The median is the point forecast itself, so a tier equal to the projection is 50% and the
 * probabilities can never contradict the forecast shown beside them. σ comes from the node's own
 * past years read at the same point of the same period (`pastProjectionErrors`), shrunk toward a
 * prior that narrows as the period runs out (`projectionSpread`); the t (rather than a normal) is
 * the predictive distribution when σ itself is estimated from so few years — a normal was
 * overconfident in the backtest. A parametric fit rather than empirical quantiles: a node has a
 * handful of past years, too few for quantiles.
 */
import type { TargetTiers } from '../tiers.ts';
import { FULL_BP } from '../percent.ts';
import { type TierName, orderedTiers } from './progress.ts';
import { normalCdf } from './forecast.ts';
import { assertFen, invalid } from './ratio.ts';

/** A past period read at the same point as today: its actual up to that point and in the end. */
export interface PastPoint {
  /** Fen up to the same point of the period (same elapsed dates). */
  toDate: number;
  /** Fen over the whole period. */
  final: number;
}

/**
 * Log errors of the seasonal projections the past years would have made at this point, each with
 * the shape of the year before it (the shape a plan split "by history" uses): with r = toDate ÷
 * final the realized share, the projection made k years ago was toDate_k ÷ r_(k+1), so its error is
 * ln(final_k ÷ projection_k) = ln(r_(k+1) ÷ r_k). `points` run back in time (last year first);
 * a year with nothing sold to date or in total breaks the chain at that year.
 *
 * Example: shares 40% last year and 50% the year before → last year's projection was toDate ÷ 50%,
 * 20% short of what happened: error ln(0.5 ÷ 0.4) = +0.223.
 */
export function pastProjectionErrors(points: readonly PastPoint[]): number[] {
  const shares = points.map(({ toDate, final }) => {
    assertFen(toDate, 'toDate');
    assertFen(final, 'final');
    return toDate > 0 && final > 0 ? toDate / final : null;
  });
  const errors: number[] = [];
  for (let k = 0; k + 1 < shares.length; k++) {
    const [now, before] = [shares[k], shares[k + 1]];
    if (now === null || now === undefined || before === null || before === undefined) continue;
    errors.push(Math.log(before / now));
  }
  return errors;
}

/**
 * Prior spread at elapsed share s: PRIOR × √((1 − s) ÷ s), capped at PRIOR_CAP. What is left to
 * sell is (1 − s) of the period and is known only through s of it, so the error of the projection
 * shrinks like the ratio of what is unknown to what is known (≈ 27% a month into a year, 8% at
 * half-time, 2.4% with one month left).
 */
export const PRIOR = 0.08;
export const PRIOR_CAP = 0.5;
/** Pseudo-years of the prior in the shrinkage: with two real years, history and prior weigh alike. */
export const PRIOR_WEIGHT = 2;
/** No history is trusted to be tighter than this share of the prior (a past that repeated itself exactly). */
export const FLOOR_SHARE = 0.25;

export interface ProjectionSpread {
  /** σ of ln(final ÷ projection). */
  sigma: number;
  /** The prior σ at this point of the period. */
  prior: number;
  /** Past years that went into it. */
  samples: number;
  /**
   * Degrees of freedom of the predictive distribution, samples + PRIOR_WEIGHT: σ is itself an
   * estimate from a few years, so the next error follows a Student t, not a normal.
   */
  dof: number;
}

/**
 * σ² = (Σ e² + PRIOR_WEIGHT · prior²) ÷ (n + PRIOR_WEIGHT), at least (FLOOR_SHARE · prior)². The
 * errors are taken around 0, not their mean, so a projection that was always short widens the
 * spread instead of moving the centre away from the forecast shown. No history → the prior.
 */
export function projectionSpread(input: {
  errors: readonly number[];
  /** Seasonal share of the period elapsed, 0 < s ≤ 1. */
  shareElapsed: number;
}): ProjectionSpread {
  const { errors, shareElapsed: s } = input;
  if (!Number.isFinite(s) || s <= 0 || s > 1) throw invalid('shareElapsed', s);
  for (const e of errors) if (!Number.isFinite(e)) throw invalid('errors', e);
  const prior = Math.min(PRIOR_CAP, PRIOR * Math.sqrt((1 - s) / s));
  const sumSq = errors.reduce((a, e) => a + e * e, 0);
  const sigma = Math.sqrt((sumSq + PRIOR_WEIGHT * prior * prior) / (errors.length + PRIOR_WEIGHT));
  return {
    sigma: Math.max(sigma, FLOOR_SHARE * prior),
    prior,
    samples: errors.length,
    dof: errors.length + PRIOR_WEIGHT,
  };
}

export interface TierOdds {
  tier: TierName;
  amount: number;
  /** Probability of ending the period at or above the tier, in bp. */
  probabilityBp: number;
}

/** While the period is open, a tier not yet reached is never certain either way. */
export const MIN_OPEN_BP = 1;
export const MAX_OPEN_BP = FULL_BP - 1;

/**
 * P(final ≥ tier) per tier, ascending by amount, probabilities never increasing along the list:
 * - a tier the actual has reached: 10,000 bp (refunds are out of the model);
 * - the period closed: 0 for the others;
 * - open: F(ln(projection ÷ tier) ÷ σ), F the Student t CDF with `dof` degrees of freedom (Φ
 *   without), rounded half-up to the bp and kept within 1..9,999 (a projection of 0 — nothing
 *   sold yet — or σ 0 gives those bounds); a tier equal to the projection is exactly 5,000.
 */
export function projectionOdds(input: {
  actualToDate: number;
  /** The point forecast (seasonal projection), fen. */
  projection: number;
  sigma: number;
  /** Student-t degrees of freedom (`projectionSpread().dof`); omitted = a normal distribution. */
  dof?: number;
  tiers: TargetTiers;
  open: boolean;
}): TierOdds[] {
  const { actualToDate, projection, sigma, tiers, open, dof } = input;
  assertFen(actualToDate, 'actualToDate');
  assertFen(projection, 'projection');
  if (!Number.isFinite(sigma) || sigma < 0) throw invalid('sigma', sigma);
  if (dof !== undefined && (!Number.isSafeInteger(dof) || dof < 1)) throw invalid('dof', dof);
  const cdf = (z: number) => (dof === undefined ? normalCdf(z) : studentTCdf(z, dof));
  let previous = FULL_BP;
  return orderedTiers(tiers).map(({ tier, amount }) => {
    let bp: number;
    if (actualToDate >= amount) bp = FULL_BP;
    else if (!open) bp = 0;
    else if (projection <= 0) bp = MIN_OPEN_BP;
    else if (sigma === 0) bp = projection >= amount ? MAX_OPEN_BP : MIN_OPEN_BP;
    else {
      const p = cdf(Math.log(projection / amount) / sigma);
      bp = Math.min(MAX_OPEN_BP, Math.max(MIN_OPEN_BP, Math.round(p * FULL_BP)));
    }
    bp = Math.min(bp, previous);
    previous = bp;
    return { tier, amount, probabilityBp: bp };
  });
}

/**
 * Student t CDF for integer degrees of freedom, in closed form (Abramowitz & Stegun 26.7.3–4):
 * θ = atan(t ÷ √ν), F = (1 + A) ÷ 2 with A = sin θ · Σ (even ν) or (2 ÷ π)(θ + sin θ cos θ · Σ)
 * (odd ν), Σ the finite series in cos² θ. F(0) = ½ exactly. (atan, sin and cos may differ in the
 * last bit between engines, far below the basis point the result is rounded to.)
 */
export function studentTCdf(t: number, dof: number): number {
  if (!Number.isSafeInteger(dof) || dof < 1) throw invalid('dof', dof);
  if (Number.isNaN(t)) throw invalid('t', t);
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const theta = Math.atan(t / Math.sqrt(dof));
  const sin = Math.sin(theta);
  const cos = Math.cos(theta);
  const c2 = cos * cos;
  let term = 1;
  let sum = 1;
  let a: number;
  if (dof % 2 === 0) {
    for (let k = 2; k <= dof - 2; k += 2) {
      term *= (c2 * (k - 1)) / k;
      sum += term;
    }
    a = sin * sum;
  } else {
    for (let k = 3; k <= dof - 2; k += 2) {
      term *= (c2 * (k - 1)) / k;
      sum += term;
    }
    a = (2 / Math.PI) * (theta + (dof > 1 ? sin * cos * sum : 0));
  }
  return Math.min(1, Math.max(0, 0.5 * (1 + a)));
}
