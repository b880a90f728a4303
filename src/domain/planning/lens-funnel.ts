/**
 * Lens 2 of METHOD §2, funnel back-calculation (漏斗倒推): from a result target, work back
 * through the conversion rates to the process targets, and check them against lead supply.
 *
 * Rounding: every required count is rounded UP, stage by stage (you cannot work half a lead,
 * and rounding down would leave the plan one deal short). Going forward (what a given supply
 * yields) counts are rounded DOWN, stage by stage, for the same reason.
 */
import { allocateByPercents } from '../allocation.ts';
import { AppError } from '../errors.ts';
import { toSafeNumber } from '../exact.ts';
import { ceilDiv } from './fraction.ts';

export interface FunnelStage {
  /** Stage code, e.g. 'leads', 'opportunities'. */
  code: string;
  /** Conversion from this stage into the next one (the last stage converts into the result), bp. */
  conversionBp: number;
}

export interface FunnelChannel {
  code: string;
  /** Lead → deal conversion of this channel, bp (own traffic 10% = 1000, third party 2% = 200). */
  leadToDealBp: number;
  /** Qualified leads the channel can deliver a month; absent = unlimited (e.g. bought leads). */
  monthlySupply?: number;
  /** Share of the deals this channel must bring, bp. Give it on every channel or on none. */
  shareBp?: number;
}

export interface FunnelInput {
  /** The result target: a count (deals, customers), or revenue in fen with `aov`. */
  target: number;
  /** Average order value in fen; when given, `target` is revenue and deals = ⌈target ÷ aov⌉. */
  aov?: number;
  /** Top of the funnel first: [{ code: 'leads', 2000 }, { code: 'opportunities', 2500 }]. */
  stages: readonly FunnelStage[];
  /** Months the target covers, for the monthly requirement (12 for a year). */
  months: number;
  /** Leads a month entering the top stage, when one pool feeds the whole funnel. */
  monthlySupply?: number;
  channels?: readonly FunnelChannel[];
}

export interface FunnelStageRequirement {
  code: string;
  conversionBp: number;
  required: number;
  /** ⌈required ÷ months⌉. */
  perMonth: number;
}

export interface SupplyCheck {
  perMonthRequired: number;
  perMonthSupply: number;
  feasible: boolean;
  /** Leads missing over the whole period (0 when feasible). */
  shortfall: number;
}

export interface ChannelRequirement {
  code: string;
  leadToDealBp: number;
  deals: number;
  leads: number;
  perMonth: number;
  monthlySupply?: number;
  feasible: boolean;
  /** Leads this channel is short over the period (0 when feasible or unlimited). */
  shortfallLeads: number;
}

export interface ChannelPlan {
  /** 'shares': the deals were split by the given shares; 'best-first': see `allocateLeadsToChannels`. */
  mode: 'shares' | 'best-first';
  channels: ChannelRequirement[];
  feasible: boolean;
  /** Deals no channel can bring within its supply (0 when feasible). */
  shortfallDeals: number;
}

export interface FunnelResult {
  /** The result count the funnel must produce. */
  deals: number;
  /** Top first, like the input. */
  stages: FunnelStageRequirement[];
  supply?: SupplyCheck;
  channels?: ChannelPlan;
  /** False when the supply or the channel plan cannot deliver. */
  feasible: boolean;
}

export function funnelBackCalc(input: FunnelInput): FunnelResult {
  const months = assertMonths(input.months);
  const deals = requiredResult(input);
  const stages: FunnelStageRequirement[] = [];
  let next = BigInt(deals);
  for (let i = input.stages.length - 1; i >= 0; i--) {
    const s = input.stages[i];
    if (!s) continue;
    const rate = assertRate(s.conversionBp, s.code, false);
    next = ceilDiv(next * 10_000n, BigInt(rate));
    const required = countOf(next, s.code);
    stages.unshift({
      code: s.code,
      conversionBp: rate,
      required,
      perMonth: perMonth(required, months),
    });
  }

  const result: FunnelResult = { deals, stages, feasible: true };
  const top = stages[0];
  if (input.monthlySupply !== undefined && top) {
    const supply = assertCount(input.monthlySupply, 'monthly supply');
    const available = supply * months;
    result.supply = {
      perMonthRequired: top.perMonth,
      perMonthSupply: supply,
      feasible: top.required <= available,
      shortfall: Math.max(0, top.required - available),
    };
    result.feasible &&= result.supply.feasible;
  }
  if (input.channels && input.channels.length > 0) {
    const withShare = input.channels.filter((c) => c.shareBp !== undefined).length;
    if (withShare !== 0 && withShare !== input.channels.length) {
      throw new AppError('PLANNING_INVALID', {
        reason: 'give a share on every channel or on none',
      });
    }
    result.channels =
      withShare === 0
        ? allocateLeadsToChannels({ deals, months, channels: input.channels })
        : channelsByShare(deals, months, input.channels);
    result.feasible &&= result.channels.feasible;
  }
  return result;
}

/**
 * Decides how many deals (and so leads) each channel must bring, preferring the better-converting
 * channel (fewer leads per deal) up to its supply, then the next one, ties in input order. A
 * channel without `monthlySupply` is unlimited. If all supply together cannot bring the deals, the
 * plan is infeasible and `shortfallDeals` says by how much.
 *
 * A channel's capacity is ⌊supply × months × rate⌋ deals, and it is asked for ⌈deals ÷ rate⌉ leads,
 * which never exceeds its supply.
 */
export function allocateLeadsToChannels(input: {
  deals: number;
  months: number;
  channels: readonly FunnelChannel[];
}): ChannelPlan {
  const months = assertMonths(input.months);
  let remaining = BigInt(assertCount(input.deals, 'deals'));
  const order = input.channels
    .map((c, i) => ({ c, i, rate: assertRate(c.leadToDealBp, c.code, true) }))
    .sort((a, b) => b.rate - a.rate || a.i - b.i);
  const out = new Array<ChannelRequirement>(input.channels.length);
  for (const { c, i, rate } of order) {
    let take = 0n;
    if (rate > 0) {
      const capacity =
        c.monthlySupply === undefined
          ? remaining
          : (BigInt(assertCount(c.monthlySupply, `supply of ${c.code}`) * months) * BigInt(rate)) /
            10_000n;
      take = capacity < remaining ? capacity : remaining;
    }
    remaining -= take;
    out[i] = requirement(c, rate, toSafeNumber(take, 'NUMBER_INVALID'), months);
  }
  return {
    mode: 'best-first',
    channels: out,
    feasible: remaining === 0n,
    shortfallDeals: toSafeNumber(remaining, 'NUMBER_INVALID'),
  };
}

function channelsByShare(
  deals: number,
  months: number,
  channels: readonly FunnelChannel[],
): ChannelPlan {
  const split = allocateByPercents(
    deals,
    channels.map((c) => c.shareBp ?? 0),
  );
  const out = channels.map((c, i) => {
    const d = split[i] ?? 0;
    const rate = assertRate(c.leadToDealBp, c.code, d === 0);
    return requirement(c, rate, d, months);
  });
  let shortfall = 0n;
  for (const r of out) {
    if (r.shortfallLeads > 0) {
      // Deals this channel cannot bring with the supply it has.
      const capacity = (BigInt((r.monthlySupply ?? 0) * months) * BigInt(r.leadToDealBp)) / 10_000n;
      shortfall += BigInt(r.deals) - capacity;
    }
  }
  return {
    mode: 'shares',
    channels: out,
    feasible: out.every((r) => r.feasible),
    shortfallDeals: toSafeNumber(shortfall, 'NUMBER_INVALID'),
  };
}

/** A back-calculated count, refused with a planner-readable error when no number holds it. */
function countOf(n: bigint, stage: string): number {
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError('FUNNEL_OUT_OF_RANGE', { stage, value: n.toString() });
  }
  return Number(n);
}

function requirement(
  c: FunnelChannel,
  rate: number,
  deals: number,
  months: number,
): ChannelRequirement {
  const leads = deals === 0 ? 0 : countOf(ceilDiv(BigInt(deals) * 10_000n, BigInt(rate)), c.code);
  const available = c.monthlySupply === undefined ? undefined : c.monthlySupply * months;
  const shortfallLeads = available === undefined ? 0 : Math.max(0, leads - available);
  return {
    code: c.code,
    leadToDealBp: rate,
    deals,
    leads,
    perMonth: perMonth(leads, months),
    ...(c.monthlySupply === undefined ? {} : { monthlySupply: c.monthlySupply }),
    feasible: shortfallLeads === 0,
    shortfallLeads,
  };
}

export interface FunnelForwardInput {
  /** Leads a month entering the top stage. */
  monthlySupply: number;
  months: number;
  stages: readonly FunnelStage[];
  /** When given, the result also comes as revenue in fen (deals × aov). */
  aov?: number;
}

export interface FunnelForwardResult {
  leads: number;
  /** Count reached at each stage after the top, then the result: [opportunities, deals]. */
  stages: { code: string; count: number }[];
  deals: number;
  revenue?: number;
}

/**
 * What a lead supply can yield (the funnel lens as a number to reconcile with the others):
 * counts rounded down stage by stage.
 */
export function funnelForwardCapacity(input: FunnelForwardInput): FunnelForwardResult {
  const months = assertMonths(input.months);
  const leads = assertCount(input.monthlySupply, 'monthly supply') * months;
  let count = BigInt(leads);
  const stages: { code: string; count: number }[] = [];
  input.stages.forEach((s, i) => {
    count = (count * BigInt(assertRate(s.conversionBp, s.code, true))) / 10_000n;
    const nextCode = input.stages[i + 1]?.code ?? 'result';
    stages.push({ code: nextCode, count: toSafeNumber(count, 'NUMBER_INVALID') });
  });
  const deals = toSafeNumber(count, 'NUMBER_INVALID');
  const out: FunnelForwardResult = { leads, stages, deals };
  if (input.aov !== undefined) {
    out.revenue = toSafeNumber(count * BigInt(assertCount(input.aov, 'aov')));
  }
  return out;
}

function requiredResult(input: FunnelInput): number {
  const target = assertCount(input.target, 'target');
  if (input.aov === undefined) return target;
  const aov = assertCount(input.aov, 'aov');
  if (aov === 0) throw new AppError('PLANNING_INVALID', { reason: 'aov 0' });
  return toSafeNumber(ceilDiv(BigInt(target), BigInt(aov)), 'NUMBER_INVALID');
}

function perMonth(required: number, months: number): number {
  return toSafeNumber(ceilDiv(BigInt(required), BigInt(months)), 'NUMBER_INVALID');
}

function assertRate(rate: number, stage: string, zeroAllowed: boolean): number {
  if (!Number.isSafeInteger(rate) || rate < (zeroAllowed ? 0 : 1) || rate > 10_000) {
    throw new AppError('FUNNEL_RATE_INVALID', { stage, value: String(rate) });
  }
  return rate;
}

function assertCount(x: number, what: string): number {
  if (!Number.isSafeInteger(x) || x < 0)
    throw new AppError('PLANNING_INVALID', { reason: `${what} ${x}` });
  return x;
}

function assertMonths(months: number): number {
  if (!Number.isSafeInteger(months) || months < 1) {
    throw new AppError('PLANNING_INVALID', { reason: `months ${months}` });
  }
  return months;
}
