/**
 * Period-end forecasts (METHOD §4: linear run-rate; seasonal projection = actual to date ÷
 * seasonal share elapsed; pipeline-weighted) and the probability of reaching each target tier.
 */
import { type DateString, assertDate } from '../dates.ts';
import { divRoundHalfUp, toSafeNumber } from '../exact.ts';
import { FULL_BP } from '../percent.ts';
import type { TargetTiers } from '../tiers.ts';
import { type TierName, orderedTiers } from './progress.ts';
import {
  type Fraction,
  assertBp,
  assertFen,
  assertNonNegative,
  invalid,
  sumExact,
} from './ratio.ts';

/**
 * Linear run-rate: actual to date ÷ elapsed working days × working days in the period, in fen,
 * half away from zero. No working day elapsed yet → null (nothing to extrapolate from).
 */
export function linearRunRate(input: {
  actualToDate: number;
  elapsedWorkingDays: number;
  totalWorkingDays: number;
}): number | null {
  const { actualToDate, elapsedWorkingDays, totalWorkingDays } = input;
  assertFen(actualToDate, 'actualToDate');
  assertNonNegative(elapsedWorkingDays, 'elapsedWorkingDays');
  assertNonNegative(totalWorkingDays, 'totalWorkingDays');
  if (elapsedWorkingDays > totalWorkingDays)
    throw invalid('elapsedWorkingDays', elapsedWorkingDays);
  if (elapsedWorkingDays === 0) return null;
  return toSafeNumber(
    divRoundHalfUp(BigInt(actualToDate) * BigInt(totalWorkingDays), BigInt(elapsedWorkingDays)),
  );
}

export type SeasonalProjectionInput =
  | { actualToDate: number; seasonalShareElapsedBp: number }
  /** Exact share, e.g. `timeProgress({ …, dayWeights }).share` over a seasonal day split. */
  | { actualToDate: number; seasonalShareElapsed: Fraction };

/**
 * Seasonal projection: actual to date ÷ the seasonal share of the period elapsed (the share of
 * the period's target weights behind us, e.g. from the day-level split). Selling 300万 by the
 * point where 25% of the seasonal weight has passed projects 1,200万. Share 0 → null.
 */
export function seasonalProjection(input: SeasonalProjectionInput): number | null {
  assertFen(input.actualToDate, 'actualToDate');
  const share: Fraction =
    'seasonalShareElapsed' in input
      ? input.seasonalShareElapsed
      : { num: input.seasonalShareElapsedBp, den: FULL_BP };
  assertNonNegative(share.num, 'seasonalShareElapsed');
  if (!Number.isSafeInteger(share.den) || share.den <= 0 || share.num > share.den) {
    throw invalid('seasonalShareElapsed', `${share.num}/${share.den}`);
  }
  if (share.num === 0) return null;
  return toSafeNumber(
    divRoundHalfUp(BigInt(input.actualToDate) * BigInt(share.den), BigInt(share.num)),
  );
}

export interface OpenOpportunity {
  id?: string;
  /** Fen, non-negative. */
  amount: number;
  /** Win probability in bp, 0..10,000. */
  probabilityBp: number;
  expectedCloseDate: DateString;
}

export interface PipelineForecast {
  /** actualToDate + weightedPipeline. */
  forecast: number;
  /** Σ amount × probability over the counted opportunities, rounded once, half away from zero. */
  weightedPipeline: number;
  /** Opportunities expected to close on or before periodEnd (overdue ones still open included). */
  counted: number;
  /** Opportunities expected to close after periodEnd. */
  excluded: number;
}

function closingBy(opps: readonly OpenOpportunity[], periodEnd: DateString): OpenOpportunity[] {
  assertDate(periodEnd);
  return opps.filter((o) => {
    assertNonNegative(o.amount, 'amount');
    assertBp(o.probabilityBp, 'probabilityBp');
    assertDate(o.expectedCloseDate);
    return o.expectedCloseDate <= periodEnd;
  });
}

/** Pipeline-weighted forecast: actual to date + Σ amount × win probability of deals due by period end. */
export function pipelineWeighted(input: {
  actualToDate: number;
  openOpportunities: readonly OpenOpportunity[];
  periodEnd: DateString;
}): PipelineForecast {
  assertFen(input.actualToDate, 'actualToDate');
  const counted = closingBy(input.openOpportunities, input.periodEnd);
  let weighted = 0n;
  for (const o of counted) weighted += BigInt(o.amount) * BigInt(o.probabilityBp);
  const weightedPipeline = toSafeNumber(divRoundHalfUp(weighted, BigInt(FULL_BP)));
  return {
    forecast: sumExact([input.actualToDate, weightedPipeline]),
    weightedPipeline,
    counted: counted.length,
    excluded: input.openOpportunities.length - counted.length,
  };
}

/** The non-pipeline revenue expected over the rest of the period, as a normal distribution. */
export interface RunRateModel {
  /** Expected fen (mean). */
  expected: number;
  /** Standard deviation in fen (finite, ≥ 0; 0 = the expectation is certain). */
  stdDev: number;
}

/**
 * A run-rate model from daily history (e.g. the working days of the last three months, with the
 * revenue that came through the pipeline taken out so it is not counted twice): days are treated as
 * independent draws, so over d remaining working days expected = d × mean (fen, half-up, exact) and
 * stdDev = √(d × sample variance). Fewer than two days of history give stdDev 0.
 */
export function runRateFromHistory(input: {
  dailyActuals: readonly number[];
  remainingWorkingDays: number;
}): RunRateModel {
  const { dailyActuals, remainingWorkingDays: d } = input;
  assertNonNegative(d, 'remainingWorkingDays');
  const n = dailyActuals.length;
  if (n === 0) return { expected: 0, stdDev: 0 };
  let s = 0n;
  let s2 = 0n;
  for (const x of dailyActuals) {
    assertFen(x, 'dailyActuals');
    s += BigInt(x);
    s2 += BigInt(x) * BigInt(x);
  }
  const expected = toSafeNumber(divRoundHalfUp(s * BigInt(d), BigInt(n)));
  if (n < 2) return { expected, stdDev: 0 };
  const N = BigInt(n);
  // Sample variance = (nΣx² − (Σx)²) ÷ (n(n − 1)), exact up to the final division.
  const varianceTimesD = Number((N * s2 - s * s) * BigInt(d)) / Number(N * (N - 1n));
  return { expected, stdDev: Math.sqrt(varianceTimesD) };
}

export interface TierProbabilityInput {
  actualToDate: number;
  /** Open opportunities; only those expected to close by periodEnd count. */
  opportunities: readonly OpenOpportunity[];
  periodEnd: DateString;
  /** Non-pipeline revenue still to come; omitted = none. */
  runRate?: RunRateModel;
  tiers: TargetTiers;
  /** Size of the amount grid for the pipeline distribution; default 4,096. */
  maxBuckets?: number;
}

export interface TierProbability {
  tier: TierName;
  amount: number;
  /** Probability of ending the period at or above the tier, in bp. */
  probabilityBp: number;
}

export interface TierProbabilities {
  /** Ascending by amount; probabilities never increase along the list. */
  tiers: TierProbability[];
  /** actualToDate + weighted pipeline + expected run-rate, in fen. */
  expectedTotal: number;
  /** Width of the amount grid in fen (1 ⇒ the pipeline distribution is exact to the fen). */
  bucketFen: number;
}

/**
 * Probability of reaching each tier by period end from the open pipeline. Not what the overview
 * shows since issue 12: its centre is no forecast on the card and its spread is not how wrong
 * forecasts have been; the overview uses `projectionOdds` (projection-odds.ts). Kept as the
 * pipeline's own distribution. Deterministic model, no sampling:
 *
 *   final = actualToDate + Σ (amount_i if opportunity i is won) + R
 *
 * - Opportunities closing by periodEnd are independent Bernoulli trials with their win
 *   probability. Their total follows a Poisson-binomial distribution, computed exactly by dynamic
 *   programming over an amount grid. The grid width is the greatest common divisor of the amounts
 *   (typical round amounts such as 50万 and 30万 give an exact distribution) unless that needs more
 *   than `maxBuckets` cells; then it is ⌈Σ amounts ÷ maxBuckets⌉ and each amount is rounded to the
 *   nearest cell (each deal moves by less than half a cell; `bucketFen` reports the width).
 * - R, the non-pipeline business of the remaining days, is normal(expected, stdDev) and
 *   independent of the pipeline (see `runRateFromHistory`). With stdDev 0 it is a constant.
 * - P(final ≥ tier) = Σ_s P(pipeline = s) · Φ((actualToDate + s + expected − tier) ÷ stdDev).
 *
 * Exact edges: a tier the actual to date has already reached is 10,000 bp (refunds are out of the
 * model); with stdDev 0, a tier above actual + expected + every deal is 0 and one at or below
 * actual + expected is 10,000. Φ uses the Abramowitz–Stegun 7.1.26 erf (|error| < 1.5e-7) with an
 * exp built from + − × ÷ only, so results are bit-identical on every IEEE-754 engine. Probabilities
 * are rounded half-up to the basis point and clamped so that a higher tier is never shown more
 * likely than a lower one (guarding against last-bit floating-point noise).
 */
export function tierProbabilities(input: TierProbabilityInput): TierProbabilities {
  const { actualToDate, tiers } = input;
  assertFen(actualToDate, 'actualToDate');
  const runRate = input.runRate ?? { expected: 0, stdDev: 0 };
  assertFen(runRate.expected, 'runRate.expected');
  if (!Number.isFinite(runRate.stdDev) || runRate.stdDev < 0)
    throw invalid('runRate.stdDev', runRate.stdDev);
  const maxBuckets = input.maxBuckets ?? 4_096;
  if (!Number.isSafeInteger(maxBuckets) || maxBuckets < 1 || maxBuckets > 1_000_000) {
    throw invalid('maxBuckets', maxBuckets);
  }
  const opps = closingBy(input.opportunities, input.periodEnd).filter(
    (o) => o.amount > 0 && o.probabilityBp > 0,
  );
  const ordered = orderedTiers(tiers);

  // Grid width: gcd of the amounts, widened if the grid would be too large.
  const total = sumExact(opps.map((o) => o.amount));
  let q = opps.reduce((g, o) => gcd(g, o.amount), 0) || 1;
  if (total / q > maxBuckets) q = Math.ceil(total / maxBuckets);
  const cells = opps.map((o) => Number(divRoundHalfUp(BigInt(o.amount), BigInt(q))));

  // Poisson-binomial distribution of the won amount, in cells.
  const size = cells.reduce((a, b) => a + b, 0) + 1;
  const dist = new Float64Array(size);
  dist[0] = 1;
  let top = 0;
  opps.forEach((o, i) => {
    const k = cells[i] ?? 0;
    if (k === 0) return;
    const p = o.probabilityBp / FULL_BP;
    for (let s = top; s >= 0; s--) {
      const v = dist[s] ?? 0;
      dist[s + k] = (dist[s + k] ?? 0) + v * p;
      dist[s] = v * (1 - p);
    }
    top += k;
  });

  const base = actualToDate + runRate.expected;
  const sigma = runRate.stdDev;
  let previous = FULL_BP;
  const lines = ordered.map(({ tier, amount }) => {
    let probabilityBp: number;
    if (actualToDate >= amount) probabilityBp = FULL_BP;
    else if (sigma === 0 && base >= amount) probabilityBp = FULL_BP;
    else if (sigma === 0 && base + total < amount) probabilityBp = 0;
    else {
      // Sum from the largest outcome down, so a higher tier's sum is a prefix of a lower one's.
      let p = 0;
      for (let s = top; s >= 0; s--) {
        const w = dist[s] ?? 0;
        if (w === 0) continue;
        const surplus = base + s * q - amount;
        p += w * (sigma === 0 ? (surplus >= 0 ? 1 : 0) : normalCdf(surplus / sigma));
      }
      probabilityBp = Math.min(FULL_BP, Math.max(0, Math.round(p * FULL_BP)));
    }
    probabilityBp = Math.min(probabilityBp, previous);
    previous = probabilityBp;
    return { tier, amount, probabilityBp };
  });

  const weighted = pipelineWeighted({
    actualToDate,
    openOpportunities: opps,
    periodEnd: input.periodEnd,
  });
  return {
    tiers: lines,
    expectedTotal: sumExact([weighted.forecast, runRate.expected]),
    bucketFen: q,
  };
}

function gcd(a: number, b: number): number {
  while (b !== 0) [a, b] = [b, a % b];
  return a;
}

/** Standard normal CDF Φ(z) via Abramowitz & Stegun 7.1.26. */
export function normalCdf(z: number): number {
  if (z <= -12) return 0;
  if (z >= 12) return 1;
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly =
    t *
    (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * expNeg(x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

/**
 * e^(−y) for y ≥ 0 with only + − × ÷ (Math.exp is implementation-approximated in ECMAScript and
 * may differ between engines): halve y below 0.5, sum the Taylor series, square back.
 */
function expNeg(y: number): number {
  let k = 0;
  while (y > 0.5) {
    y /= 2;
    k++;
  }
  let term = 1;
  let sum = 1;
  for (let n = 1; n <= 20; n++) {
    term *= -y / n;
    sum += term;
  }
  for (let i = 0; i < k; i++) sum *= sum;
  return sum;
}
