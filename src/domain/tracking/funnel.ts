/**
 * The sales funnel 线索→商机→成单→回款 (METHOD §4) and the conversion-drop alert (METHOD §5:
 * "a conversion rate down 20% or more on the previous period → investigate").
 */
import { type Fraction, assertBp, assertNonNegative, invalid, ratioBp } from './ratio.ts';

export type FunnelStageName = 'leads' | 'opportunities' | 'deals' | 'collections';

export interface FunnelCounts {
  leads: number;
  opportunities: number;
  deals: number;
  /** Deals collected (回款笔数); optional, the funnel then ends at deals. */
  collections?: number;
}

export interface FunnelStep {
  from: FunnelStageName;
  to: FunnelStageName;
  fromCount: number;
  toCount: number;
  /** Exact toCount ÷ fromCount; null when fromCount is 0. */
  rate: Fraction | null;
  rateBp: number | null;
}

export interface FunnelConversions {
  /** Stage to next stage, in funnel order. */
  steps: FunnelStep[];
  /** Leads to the last stage given (deals, or collections when given). */
  overall: FunnelStep;
}

function step(
  from: FunnelStageName,
  to: FunnelStageName,
  fromCount: number,
  toCount: number,
): FunnelStep {
  const rate = fromCount === 0 ? null : { num: toCount, den: fromCount };
  return { from, to, fromCount, toCount, rate, rateBp: rate && ratioBp(rate.num, rate.den) };
}

/**
 * Stage conversion rates and the overall rate, exact and in bp. Counts of a period need not be
 * nested (a deal this month may come from last month's opportunity), so a rate above 100% is
 * reported as it is rather than clamped.
 */
export function funnelConversions(counts: FunnelCounts): FunnelConversions {
  const stages: [FunnelStageName, number][] = [
    ['leads', counts.leads],
    ['opportunities', counts.opportunities],
    ['deals', counts.deals],
  ];
  if (counts.collections !== undefined) stages.push(['collections', counts.collections]);
  for (const [name, n] of stages) assertNonNegative(n, name);
  const steps: FunnelStep[] = [];
  for (let i = 1; i < stages.length; i++) {
    const [from, a] = stages[i - 1] ?? ['leads', 0];
    const [to, b] = stages[i] ?? ['leads', 0];
    steps.push(step(from, to, a, b));
  }
  const [last, lastCount] = stages[stages.length - 1] ?? ['deals', counts.deals];
  return { steps, overall: step('leads', last, counts.leads, lastCount) };
}

/** A rate as basis points or an exact fraction (den > 0). */
export type Rate = number | Fraction;

function asFraction(r: Rate, field: string): Fraction {
  const f = typeof r === 'number' ? { num: r, den: 10_000 } : r;
  assertNonNegative(f.num, field);
  if (!Number.isSafeInteger(f.den) || f.den <= 0) throw invalid(field, `${f.num}/${f.den}`);
  return f;
}

export interface ConversionChange {
  /** (current − previous) ÷ previous in bp; null when there is no previous rate to compare. */
  relativeChangeBp: number | null;
  /** True when the rate fell by at least the threshold, relative to the previous rate. */
  dropped: boolean;
}

/**
 * Flags a conversion rate down by ≥ thresholdBp relative to the previous period (default 2,000 =
 * 20%: 25% → 20% is exactly a 20% drop and is flagged; 25% → 20.01% is not). The flag is decided
 * exactly on the rates given (pass the `rate` fractions for full precision), never on a rounded
 * change. No previous rate, or a previous rate of 0, cannot drop → false.
 */
export function conversionDrop(
  current: Rate | null,
  previous: Rate | null,
  opts: { thresholdBp?: number } = {},
): ConversionChange {
  const threshold = opts.thresholdBp ?? 2_000;
  assertBp(threshold, 'thresholdBp');
  if (previous === null || current === null) return { relativeChangeBp: null, dropped: false };
  const cur = asFraction(current, 'current');
  const prev = asFraction(previous, 'previous');
  if (prev.num === 0) return { relativeChangeBp: null, dropped: false };
  // cur/prev − 1 = (cur.num·prev.den − prev.num·cur.den) / (prev.num·cur.den), den > 0
  const num = BigInt(cur.num) * BigInt(prev.den) - BigInt(prev.num) * BigInt(cur.den);
  const den = BigInt(prev.num) * BigInt(cur.den);
  // dropped ⇔ −num ÷ den ≥ threshold ÷ 10,000, compared exactly in BigInt.
  const dropped = -num * 10_000n >= BigInt(threshold) * den;
  return { relativeChangeBp: ratioBp(num, den), dropped };
}

export interface StepChange extends ConversionChange {
  from: FunnelStageName;
  to: FunnelStageName;
}

/** conversionDrop for every step of two funnels, plus the overall rate (matched by stage names). */
export function funnelDrops(
  current: FunnelConversions,
  previous: FunnelConversions,
  opts: { thresholdBp?: number } = {},
): { steps: StepChange[]; overall: StepChange } {
  const change = (c: FunnelStep, p: FunnelStep | undefined): StepChange => ({
    from: c.from,
    to: c.to,
    ...conversionDrop(c.rate, p?.rate ?? null, opts),
  });
  return {
    steps: current.steps.map((c) =>
      change(
        c,
        previous.steps.find((p) => p.from === c.from && p.to === c.to),
      ),
    ),
    overall: change(
      current.overall,
      previous.overall.to === current.overall.to ? previous.overall : undefined,
    ),
  };
}
