/**
 * Target tiers (METHOD §2): base 保底 80%, target 100%, challenge 挑战 120%, and the internal
 * sprint number = target × (1 + buffer), buffer usually 10–15%. Percentages in basis points.
 */
import { AppError } from './errors.ts';
import { multiplyFenByRatio } from './money.ts';

export interface TierPercents {
  /** Base (保底) as a share of the target; default 8,000 bp = 80%. */
  basePct?: number;
  /** Challenge (挑战) as a share of the target; default 12,000 bp = 120%. */
  challengePct?: number;
  /** Buffer (弹性空间) on top of the target for the sprint number; default 1,500 bp = 15%. */
  bufferPct?: number;
}

export interface TargetTiers {
  base: number;
  target: number;
  challenge: number;
  sprint: number;
}

/**
 * The four tracked numbers for a committed target, in fen, each rounded half away from zero
 * independently (they are alternative levels of one number, not parts of a whole).
 * Example: 1,000万 with the defaults → base 800万, challenge 1,200万, sprint 1,150万.
 */
export function targetTiers(targetFen: number, pcts: TierPercents = {}): TargetTiers {
  const basePct = pcts.basePct ?? 8_000;
  const challengePct = pcts.challengePct ?? 12_000;
  const bufferPct = pcts.bufferPct ?? 1_500;
  for (const [name, v] of [
    ['basePct', basePct],
    ['challengePct', challengePct],
    ['bufferPct', bufferPct],
  ] as const) {
    if (!Number.isSafeInteger(v) || v < 0)
      throw new AppError('TIER_PERCENT_INVALID', { field: name, value: v });
  }
  // A base above the target or a challenge below it would make the tiers cross.
  if (basePct > 10_000)
    throw new AppError('TIER_PERCENT_INVALID', { field: 'basePct', value: basePct });
  if (challengePct < 10_000) {
    throw new AppError('TIER_PERCENT_INVALID', { field: 'challengePct', value: challengePct });
  }
  return {
    base: multiplyFenByRatio(targetFen, basePct, 10_000),
    target: targetFen,
    challenge: multiplyFenByRatio(targetFen, challengePct, 10_000),
    sprint: multiplyFenByRatio(targetFen, 10_000 + bufferPct, 10_000),
  };
}
