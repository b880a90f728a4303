/**
 * Setting the number (METHOD §2): three lenses, shown side by side with the gaps between them,
 * reconciled into one committed target with its tiers.
 *
 *   1. top-down, from strategy      `topDown`, `topDownFromMarket`      (this file)
 *   2. funnel back-calculation      `funnelBackCalc`, `funnelForwardCapacity`  (lens-funnel.ts)
 *   3. bottom-up capacity           `bottomUpCapacity`                  (lens-capacity.ts)
 *
 * Single products ("last year × 1.3") are rounded half away from zero to the fen, the rounding
 * a user checking with a calculator expects.
 */
import { AppError } from '../errors.ts';
import { divRoundHalfUp, toSafeNumber } from '../exact.ts';
import { multiplyFenByRatio } from '../money.ts';
import { type TargetTiers, type TierPercents, targetTiers } from '../tiers.ts';
import { bottomUpCapacity, type BottomUpInput, type BottomUpResult } from './lens-capacity.ts';
import {
  funnelBackCalc,
  funnelForwardCapacity,
  type FunnelChannel,
  type FunnelForwardResult,
  type FunnelResult,
  type FunnelStage,
} from './lens-funnel.ts';

export * from './lens-capacity.ts';
export * from './lens-funnel.ts';

export interface TopDownResult {
  total: number;
  breakdown: { lastYearActual: number; growthBp: number; increment: number };
}

/** Last year's actual × (1 + growth). Growth in bp, may be negative (≥ −100%). */
export function topDown(input: { lastYearActual: number; growthBp: number }): TopDownResult {
  const { lastYearActual, growthBp } = input;
  if (!Number.isSafeInteger(growthBp) || growthBp < -10_000) {
    throw new AppError('PLANNING_INVALID', { reason: `growth ${growthBp} bp` });
  }
  const total = multiplyFenByRatio(lastYearActual, 10_000 + growthBp, 10_000);
  return { total, breakdown: { lastYearActual, growthBp, increment: total - lastYearActual } };
}

export interface MarketResult {
  total: number;
  breakdown: { marketSize: number; shareBp: number };
}

/** Market size × target share (bp, 0..10,000). */
export function topDownFromMarket(input: { marketSize: number; shareBp: number }): MarketResult {
  const { marketSize, shareBp } = input;
  if (!Number.isSafeInteger(shareBp) || shareBp < 0 || shareBp > 10_000) {
    throw new AppError('PLANNING_INVALID', { reason: `market share ${shareBp} bp` });
  }
  return {
    total: multiplyFenByRatio(marketSize, shareBp, 10_000),
    breakdown: { marketSize, shareBp },
  };
}

export type LensName = 'topDown' | 'bottomUp' | 'funnel';

export interface LensGap {
  from: LensName;
  to: LensName;
  /** from − to, fen. */
  gapFen: number;
  /** (from − to) ÷ to in bp, half-up; null when `to` is 0. */
  gapBp: number | null;
}

export interface ReconcileThresholds {
  /** The top-down number may exceed what is achievable by this much and still be 'feasible'. Default 0. */
  feasibleMaxBp?: number;
  /**
   * …and by this much and be a 'stretch'; beyond it, 'infeasible'. Default 1,500 bp (15%), the top
   * of the buffer range METHOD §2 allows a sprint number to sit above a committed one.
   */
  stretchMaxBp?: number;
}

/**
 * 'not_applicable': no constraint lens applies (nobody in the capacity model and no funnel), so
 * there is nothing to judge the top-down number against — not the same as 'infeasible'.
 */
export type Verdict = 'feasible' | 'stretch' | 'infeasible' | 'not_applicable';

export interface ReconcileResult {
  lenses: { topDown: number; bottomUp: number; funnel: number | null };
  gaps: LensGap[];
  /** What the organisation can deliver: min(bottom-up, funnel). */
  achievable: number;
  /** topDown − achievable, fen (negative: headroom). */
  excessFen: number;
  /** excess ÷ achievable, bp; null when nothing is achievable. */
  excessBp: number | null;
  verdict: Verdict;
  /** Lenses that do not apply (bottom-up with nobody to sell): shown as such, never as 0 capacity. */
  notApplicable: LensName[];
}

/**
 * Puts the three lens numbers (fen) side by side. The top-down number is the ambition; bottom-up
 * capacity and the funnel (what the lead supply yields, see `funnelForwardCapacity`) are
 * constraints, so achievable = the smaller of them. Verdict on excess = topDown − achievable:
 *   excess ≤ feasibleMaxBp of achievable → 'feasible';
 *   ≤ stretchMaxBp → 'stretch'; otherwise (or nothing achievable) → 'infeasible'.
 * A null bottom-up means the lens does not apply (nobody in the capacity model): it constrains
 * nothing and has no gaps; with no funnel either the verdict is 'not_applicable'.
 */
export function reconcile(
  input: { topDown: number; bottomUp: number | null; funnel?: number | null },
  thresholds: ReconcileThresholds = {},
): ReconcileResult {
  const feasibleMax = thresholds.feasibleMaxBp ?? 0;
  const stretchMax = thresholds.stretchMaxBp ?? 1_500;
  if (
    !Number.isSafeInteger(feasibleMax) ||
    !Number.isSafeInteger(stretchMax) ||
    stretchMax < feasibleMax
  ) {
    throw new AppError('PLANNING_INVALID', { reason: `thresholds ${feasibleMax}/${stretchMax}` });
  }
  const funnel = input.funnel ?? null;
  const bottomUp = input.bottomUp;
  for (const v of [input.topDown, bottomUp ?? 0, funnel ?? 0]) {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new AppError('PLANNING_INVALID', { reason: `lens ${v}` });
  }
  const values: [LensName, number][] = [['topDown', input.topDown]];
  if (bottomUp !== null) values.push(['bottomUp', bottomUp]);
  if (funnel !== null) values.push(['funnel', funnel]);
  const gaps: LensGap[] = [];
  for (let i = 0; i < values.length; i++) {
    for (let j = i + 1; j < values.length; j++) {
      const [from, a] = values[i] ?? ['topDown', 0];
      const [to, b] = values[j] ?? ['topDown', 0];
      gaps.push({ from, to, gapFen: a - b, gapBp: relativeBp(a - b, b) });
    }
  }
  const constraints = [bottomUp, funnel].filter((x): x is number => x !== null);
  const achievable = constraints.length ? Math.min(...constraints) : 0;
  const excessFen = input.topDown - achievable;
  const excessBp = relativeBp(excessFen, achievable);
  let verdict: Verdict;
  if (constraints.length === 0) verdict = 'not_applicable';
  else if (excessBp === null) verdict = input.topDown === 0 ? 'feasible' : 'infeasible';
  else if (excessBp <= feasibleMax) verdict = 'feasible';
  else if (excessBp <= stretchMax) verdict = 'stretch';
  else verdict = 'infeasible';
  return {
    lenses: { topDown: input.topDown, bottomUp: bottomUp ?? 0, funnel },
    gaps,
    achievable,
    excessFen,
    excessBp,
    verdict,
    notApplicable: bottomUp === null ? ['bottomUp'] : [],
  };
}

/**
 * Commits the reconciled number and derives its tracked tiers (base, target, challenge, sprint =
 * target × (1 + buffer)): 1,000万 at a 15% buffer → sprint 1,150万. See `targetTiers`.
 */
export function commit(target: number, pcts: TierPercents = {}): TargetTiers {
  return targetTiers(target, pcts);
}

function relativeBp(diff: number, base: number): number | null {
  if (base === 0) return null;
  return toSafeNumber(divRoundHalfUp(BigInt(diff) * 10_000n, BigInt(base)), 'NUMBER_INVALID');
}

/** Everything the three-lens screen takes: one top-down form, the capacity model and the funnel. */
export interface LensesInput {
  topDown: { lastYearActual: number; growthBp: number } | { marketSize: number; shareBp: number };
  /** `months` and `reps` as for `bottomUpCapacity`. */
  bottomUp: BottomUpInput;
  funnel?: {
    monthlySupply: number;
    stages: readonly FunnelStage[];
    aov?: number;
    channels?: readonly FunnelChannel[];
  } | null;
  thresholds?: ReconcileThresholds;
}

export interface LensesEvaluation {
  result: ReconcileResult;
  details: {
    topDown: TopDownResult | MarketResult;
    bottomUp: BottomUpResult;
    /** What the lead supply yields through the conversion rates (the funnel lens's number). */
    funnelForward: FunnelForwardResult | null;
    /** What the top-down number needs, stage by stage and channel by channel. */
    funnelBackCalc: FunnelResult | null;
  };
}

/**
 * The three lenses side by side (METHOD §2), as the planner shows them: the top-down number, the
 * bottom-up capacity over the plan's months, the funnel's forward yield (the funnel lens) and its
 * back-calculation from the top-down number, reconciled into gaps and a verdict.
 */
export function evaluateLenses(input: LensesInput): LensesEvaluation {
  const top =
    'growthBp' in input.topDown ? topDown(input.topDown) : topDownFromMarket(input.topDown);
  const capacity = bottomUpCapacity(input.bottomUp);
  const months = input.bottomUp.months.length;
  const f = input.funnel ?? null;
  const forward = f
    ? funnelForwardCapacity({
        monthlySupply: f.monthlySupply,
        months,
        stages: f.stages,
        ...(f.aov !== undefined ? { aov: f.aov } : {}),
      })
    : null;
  const back = f
    ? funnelBackCalc({
        target: top.total,
        stages: f.stages,
        months,
        monthlySupply: f.monthlySupply,
        ...(f.aov !== undefined ? { aov: f.aov } : {}),
        ...(f.channels ? { channels: f.channels } : {}),
      })
    : null;
  // Nobody to sell (no reps, no planned hires): the capacity lens does not apply, rather than
  // saying the organisation can deliver nothing.
  const anyone =
    input.bottomUp.reps.length > 0 || (input.bottomUp.plannedHires ?? []).some((h) => h.count > 0);
  const result = reconcile(
    {
      topDown: top.total,
      bottomUp: anyone ? capacity.total : null,
      funnel: forward?.revenue ?? null,
    },
    input.thresholds ?? {},
  );
  return {
    result,
    details: { topDown: top, bottomUp: capacity, funnelForward: forward, funnelBackCalc: back },
  };
}
