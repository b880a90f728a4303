/**
 * Progress against a target (METHOD §4 过程管理): attainment 完成率, time progress 时间进度,
 * ahead/behind, gap 缺口, required run-rate and the tier reached. Money is fen, ratios are basis
 * points rounded half away from zero, unless a measure says otherwise.
 */
import { AppError } from '../errors.ts';
import { type DateString, addDays, assertDate } from '../dates.ts';
import type { WorkCalendar } from '../calendar.ts';
import type { TargetTiers } from '../tiers.ts';
import {
  type Fraction,
  assertBp,
  assertFen,
  assertNonNegative,
  invalid,
  ratioBp,
} from './ratio.ts';

/**
 * Attainment 完成率 = actual ÷ target in bp (80万 of 120万 → 6,667 = 66.67%). A zero target has
 * no attainment (null), rather than 0% or ∞. Actuals may be negative (net refunds); targets may not.
 */
export function attainment(actual: number, target: number): number | null {
  assertFen(actual, 'actual');
  assertNonNegative(target, 'target');
  return target === 0 ? null : ratioBp(actual, target);
}

/** One day's share of a target, e.g. the day-level split of the month's target in fen. */
export interface DayWeight {
  date: DateString;
  /** Non-negative safe integer (fen of the day target, or any integer weight). */
  weight: number;
}

export interface TimeProgressInput {
  start: DateString;
  /** Inclusive. */
  end: DateString;
  /** The last day whose actuals are in the numbers being compared (see `includeToday`). */
  asOf: DateString;
  calendar: WorkCalendar;
  /**
   * Day-level target weights (METHOD §11: "time progress uses the same day weights"). Entries
   * outside [start, end] are ignored, so a month's whole day split can be passed for a week that
   * straddles two months; days inside without an entry weigh 0. A date listed twice is refused.
   */
  dayWeights?: readonly DayWeight[];
  /**
   * Whether `asOf` itself counts as elapsed; default true. The default matches how the numbers are
   * produced: the daily update closes a day and the actual-to-date includes `asOf`'s sales, so the
   * time that went with them must be counted too — otherwise a team would look ahead every
   * evening. Pass false when `asOf` is a day still in progress (a live screen at 10 a.m. whose
   * actuals hold only part of today): today then counts once it is over.
   */
  includeToday?: boolean;
}

export interface TimeProgress {
  /** Working days from start up to the last counted day (never beyond end). */
  elapsedWorkingDays: number;
  totalWorkingDays: number;
  /** total − elapsed: the days left to close a gap in (see `requiredRunRate`). */
  remainingWorkingDays: number;
  /** Exact share elapsed: working days, or Σ elapsed day weights ÷ Σ day weights. */
  share: Fraction;
  /** `share` in bp, half away from zero. */
  bp: number;
  weighted: boolean;
}

/**
 * Time progress 时间进度 = elapsed working days ÷ working days in the period, or — given day
 * weights — the share of the period's day weights that has elapsed (a pushed last week then weighs
 * more, so "behind/ahead" compares attainment with the share of the target that was due).
 *
 * A period with no working days (or all-zero weights) is 0% until its last day is counted and
 * 100% from then on. Before the start it is 0%, after the end 100%.
 */
export function timeProgress(input: TimeProgressInput): TimeProgress {
  const { start, end, asOf, calendar, dayWeights } = input;
  assertDate(start);
  assertDate(end);
  assertDate(asOf);
  if (end < start) throw new AppError('DATE_ORDER', { start, end });
  const lastCounted = input.includeToday === false ? addDays(asOf, -1) : asOf;
  const until = lastCounted < end ? lastCounted : end;
  const totalWorkingDays = calendar.workingDaysIn(start, end);
  const elapsedWorkingDays = until < start ? 0 : calendar.workingDaysIn(start, until);
  const over = lastCounted >= end;

  let num = BigInt(elapsedWorkingDays);
  let den = BigInt(totalWorkingDays);
  if (dayWeights) {
    num = 0n;
    den = 0n;
    const seen = new Set<string>();
    for (const { date, weight } of dayWeights) {
      assertDate(date);
      assertNonNegative(weight, `dayWeights ${date}`);
      if (seen.has(date)) throw invalid('dayWeights', `${date} listed twice`);
      seen.add(date);
      if (date < start || date > end) continue;
      den += BigInt(weight);
      if (date <= until) num += BigInt(weight);
    }
  }
  const share: Fraction =
    den === 0n ? { num: over ? 1 : 0, den: 1 } : { num: toNumber(num), den: toNumber(den) };
  return {
    elapsedWorkingDays,
    totalWorkingDays,
    remainingWorkingDays: totalWorkingDays - elapsedWorkingDays,
    share,
    bp: ratioBp(share.num, share.den),
    weighted: dayWeights !== undefined,
  };
}

function toNumber(x: bigint): number {
  if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw invalid('dayWeights', `total ${x}`);
  return Number(x);
}

export type PaceStatus = 'ahead' | 'on-track' | 'behind';

export interface Pace {
  /** attainment − time progress, in bp (100 bp = 1 percentage point). */
  differenceBp: number;
  status: PaceStatus;
}

/**
 * Ahead/behind 超前/落后 = attainment − time progress. Within ±toleranceBp (default 0) it is
 * on track; the alert "behind time progress by more than a set margin" (METHOD §5) uses the same
 * tolerance. No attainment (zero target) → null.
 */
export function aheadBehind(
  attainmentBp: number | null,
  timeProgressBp: number,
  opts: { toleranceBp?: number } = {},
): Pace | null {
  const tolerance = opts.toleranceBp ?? 0;
  assertBp(tolerance, 'toleranceBp', 0, Number.MAX_SAFE_INTEGER);
  assertFen(timeProgressBp, 'timeProgressBp');
  if (attainmentBp === null) return null;
  assertFen(attainmentBp, 'attainmentBp');
  const differenceBp = attainmentBp - timeProgressBp;
  const status: PaceStatus =
    differenceBp > tolerance ? 'ahead' : differenceBp < -tolerance ? 'behind' : 'on-track';
  return { differenceBp, status };
}

/** Gap 缺口 = target − actual in fen; negative when the target is exceeded (a surplus). */
export function gap(target: number, actual: number): number {
  assertFen(target, 'target');
  assertFen(actual, 'actual');
  const g = target - actual;
  if (!Number.isSafeInteger(g)) throw invalid('gap', `${target} - ${actual}`);
  return g;
}

/**
 * Required run-rate = gap ÷ remaining working days, in fen per working day rounded UP: a rate
 * rounded down would leave the gap open by a few fen. No gap → 0; a gap with no working days left
 * → null (it can no longer be closed at any daily rate).
 */
export function requiredRunRate(input: {
  gap: number;
  remainingWorkingDays: number;
}): number | null {
  assertFen(input.gap, 'gap');
  assertNonNegative(input.remainingWorkingDays, 'remainingWorkingDays');
  if (input.gap <= 0) return 0;
  if (input.remainingWorkingDays === 0) return null;
  const g = BigInt(input.gap);
  const d = BigInt(input.remainingWorkingDays);
  return Number((g + d - 1n) / d);
}

export type TierName = 'base' | 'target' | 'challenge' | 'sprint';
export type TierLevel = 'none' | TierName;

export interface TierLine {
  tier: TierName;
  amount: number;
  reached: boolean;
  /** Fen still needed to reach it; 0 once reached. */
  needed: number;
}

export interface TierStatus {
  /** The highest tier (by amount) with amount ≤ actual, or 'none'. */
  reached: TierLevel;
  /** The lowest tier not yet reached, with the fen still needed; null when all are reached. */
  next: { tier: TierName; amount: number; needed: number } | null;
  /** All four tiers in ascending amount order. */
  tiers: TierLine[];
}

/** Tie order for tiers of equal amount, and the usual order with the default percentages. */
const TIER_ORDER: readonly TierName[] = ['base', 'target', 'sprint', 'challenge'];

/**
 * The tiers ascending by amount. Sprint (target × (1 + buffer), usually 110–115%) normally sits
 * between target and challenge (120%), but both are configurable, so order is by amount; equal
 * amounts keep the order base, target, sprint, challenge.
 */
export function orderedTiers(tiers: TargetTiers): { tier: TierName; amount: number }[] {
  return TIER_ORDER.map((tier) => {
    assertNonNegative(tiers[tier], `tiers.${tier}`);
    return { tier, amount: tiers[tier] };
  }).sort((a, b) => a.amount - b.amount || TIER_ORDER.indexOf(a.tier) - TIER_ORDER.indexOf(b.tier));
}

/** Which tier (保底/目标/冲刺/挑战) an actual has reached and what the next one still needs. */
export function tierReached(actual: number, tiers: TargetTiers): TierStatus {
  assertFen(actual, 'actual');
  const lines: TierLine[] = orderedTiers(tiers).map(({ tier, amount }) => ({
    tier,
    amount,
    reached: actual >= amount,
    needed: actual >= amount ? 0 : gap(amount, actual),
  }));
  let reached: TierLevel = 'none';
  for (const l of lines) if (l.reached) reached = l.tier;
  const nextLine = lines.find((l) => !l.reached);
  return {
    reached,
    next: nextLine
      ? { tier: nextLine.tier, amount: nextLine.amount, needed: nextLine.needed }
      : null,
    tiers: lines,
  };
}
