/**
 * Lens 3 of METHOD §2, bottom-up capacity (能力适配): what the sales force can deliver, month by
 * month — Σ over people of productivity × ramp factor × (expected) survival.
 *
 * Exactness: every factor is an exact rational (deals per month may be 2.5, ramp 33.33%,
 * attrition compounds); each (month, tier) cell is rounded once, half away from zero to the
 * fen, and every total above it is a sum of those cells — so the monthly row, the tier column
 * and the grand total always agree to the fen.
 */
import { AppError } from '../errors.ts';
import {
  type Fraction,
  ZERO,
  add,
  bp,
  fractionOf,
  mul,
  pow,
  roundHalfUp,
  toBp,
} from './fraction.ts';
import { monthIndex } from './month-index.ts';

export interface CapacityRep {
  id: string;
  tier: string;
  /** First month on the team ('YYYY-MM'). Absent: already fully ramped before the plan. */
  startMonth?: string;
  /** Last month on the team, inclusive. Absent: stays. */
  endMonth?: string;
}

export interface PlannedHire {
  tier: string;
  count: number;
  startMonth: string;
}

export interface TierProductivity {
  /** Deals a fully ramped rep closes a month; fractional values are exact (2.5 = 5/2). */
  dealsPerMonth: number;
  /** Average order value in fen. */
  aov: number;
}

export interface BottomUpInput {
  /** The plan's months, 'YYYY-MM', usually the twelve of the fiscal year. */
  months: readonly string[];
  reps: readonly CapacityRep[];
  plannedHires?: readonly PlannedHire[];
  productivity: Readonly<Record<string, TierProductivity>>;
  /**
   * Productivity factor in basis points by month since start: index 0 is the start month.
   * Months past the end of the curve use its last value. Default 0 / 33.33% / 66.67% / 100%.
   */
  rampCurve?: readonly number[];
  /**
   * Expected monthly attrition in basis points. Headcount is an expectation: each person counts
   * (1 − a)^k in the k-th month after max(start month, first plan month).
   */
  attritionBp?: number;
}

export interface CapacityMonth {
  month: string;
  /** Expected people on staff × 10,000 (so 12.5 people = 125,000), half-up; for display. */
  headcountBp: number;
  /** Ramp-weighted full-time equivalents × 10,000, half-up; for display. */
  fteBp: number;
  /** Expected deals × 10,000, half-up; for display. */
  dealsBp: number;
  /** Σ byTier: the month's capacity in fen. */
  capacityFen: number;
  /** Capacity per tier in fen, each rounded half-up from the exact value. */
  byTier: Record<string, number>;
}

export interface BottomUpResult {
  /** Σ monthly capacityFen. */
  total: number;
  monthly: CapacityMonth[];
  /** Σ over months per tier. */
  byTier: Record<string, number>;
}

export const DEFAULT_RAMP_CURVE: readonly number[] = [0, 3333, 6667, 10_000];

interface Cohort {
  tier: string;
  count: number;
  start?: number;
  end?: number;
}

export function bottomUpCapacity(input: BottomUpInput): BottomUpResult {
  const ramp = input.rampCurve ?? DEFAULT_RAMP_CURVE;
  if (ramp.length === 0 || ramp.some((r) => !Number.isSafeInteger(r) || r < 0 || r > 10_000)) {
    throw new AppError('PLANNING_INVALID', { reason: `ramp curve ${ramp.join('/')}` });
  }
  const attrition = input.attritionBp ?? 0;
  if (!Number.isSafeInteger(attrition) || attrition < 0 || attrition > 10_000) {
    throw new AppError('PLANNING_INVALID', { reason: `attrition ${attrition} bp` });
  }
  const survival = bp(10_000 - attrition);
  const months = input.months.map(monthIndex);
  if (months.length === 0) throw new AppError('PLANNING_INVALID', { reason: 'no months' });
  const first = Math.min(...months);

  const cohorts: Cohort[] = [
    ...input.reps.map((r) => ({
      tier: r.tier,
      count: 1,
      start: r.startMonth === undefined ? undefined : monthIndex(r.startMonth),
      end: r.endMonth === undefined ? undefined : monthIndex(r.endMonth),
    })),
    ...(input.plannedHires ?? []).map((h) => {
      if (!Number.isSafeInteger(h.count) || h.count < 0) {
        throw new AppError('PLANNING_INVALID', { reason: `hire count ${h.count}` });
      }
      return { tier: h.tier, count: h.count, start: monthIndex(h.startMonth) };
    }),
  ];

  const perDeal = new Map<string, { deals: Fraction; aov: Fraction }>();
  const tiers: string[] = [];
  for (const c of cohorts) {
    if (perDeal.has(c.tier)) continue;
    const p = input.productivity[c.tier];
    if (!p) throw new AppError('PLANNING_TIER_UNKNOWN', { tier: c.tier });
    if (!(p.dealsPerMonth >= 0)) {
      throw new AppError('PLANNING_INVALID', { reason: `deals per month ${p.dealsPerMonth}` });
    }
    if (!Number.isSafeInteger(p.aov) || p.aov < 0) {
      throw new AppError('PLANNING_INVALID', { reason: `aov ${p.aov}` });
    }
    perDeal.set(c.tier, {
      deals: fractionOf(p.dealsPerMonth, 'deals per month'),
      aov: fractionOf(p.aov),
    });
    tiers.push(c.tier);
  }

  const byTier: Record<string, number> = Object.fromEntries(tiers.map((t) => [t, 0]));
  let total = 0;
  const monthly = months.map((m, k): CapacityMonth => {
    let headcount = ZERO;
    let fte = ZERO;
    let deals = ZERO;
    const exactByTier = new Map<string, Fraction>();
    for (const c of cohorts) {
      if ((c.start !== undefined && m < c.start) || (c.end !== undefined && m > c.end)) continue;
      const rampBp =
        c.start === undefined ? 10_000 : (ramp[Math.min(m - c.start, ramp.length - 1)] ?? 10_000);
      const people = mul(fractionOf(c.count), pow(survival, m - Math.max(c.start ?? first, first)));
      const effective = mul(people, bp(rampBp));
      const p = perDeal.get(c.tier) ?? { deals: ZERO, aov: ZERO };
      const cohortDeals = mul(effective, p.deals);
      headcount = add(headcount, people);
      fte = add(fte, effective);
      deals = add(deals, cohortDeals);
      exactByTier.set(c.tier, add(exactByTier.get(c.tier) ?? ZERO, mul(cohortDeals, p.aov)));
    }
    const tierFen: Record<string, number> = {};
    let capacityFen = 0;
    for (const t of tiers) {
      const fen = roundHalfUp(exactByTier.get(t) ?? ZERO);
      tierFen[t] = fen;
      capacityFen += fen;
      byTier[t] = (byTier[t] ?? 0) + fen;
    }
    total += capacityFen;
    return {
      month: input.months[k] ?? '',
      headcountBp: toBp(headcount),
      fteBp: toBp(fte),
      dealsBp: toBp(deals),
      capacityFen,
      byTier: tierFen,
    };
  });
  if (!Number.isSafeInteger(total))
    throw new AppError('MONEY_OUT_OF_RANGE', { value: String(total) });
  return { total, monthly, byTier };
}
