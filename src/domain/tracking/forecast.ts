/**
 * Period-end forecasts (METHOD §4: linear run-rate; seasonal projection = actual to date ÷
 * seasonal share elapsed; pipeline-weighted). The tier probabilities are in projection-odds.ts.
 */
import { type DateString, assertDate } from '../dates.ts';
import { divRoundHalfUp, toSafeNumber } from '../exact.ts';
import { FULL_BP } from '../percent.ts';
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
