/**
 * The three lenses' form: what a director types (万 amounts, percentages) ↔ what the API takes
 * (fen, basis points). Kept apart from the screen so the conversion reads in one place.
 */
import type { MoneyValue } from '../../format/money.tsx';
import { pctToBp, type LensesBody, type LensesResult, type VersionDetail } from './plan-api.ts';

export interface LensForm {
  topMode: 'growth' | 'market';
  lastYearActual: MoneyValue;
  growthPct: number;
  marketSize: MoneyValue;
  sharePct: number;
  productivity: { tier: string; dealsPerMonth: number; aov: MoneyValue }[];
  /** Percent of full productivity in the 1st, 2nd, … month after the start month. */
  ramp: number[];
  hires: { tier: string; count: number; startMonth: string }[];
  attritionPct: number;
  funnelOn: boolean;
  stages: { code: string; conversionPct: number }[];
  funnelAov: MoneyValue;
  monthlySupply: number;
  channels: { code: string; leadToDealPct: number; monthlySupply: number | null }[];
}

const WAN = 1_000_000; // fen in 1万元

export const TIER_CODES = ['senior', 'regular', 'new'] as const;

/** The method's own examples as a starting point: seniors 5 deals a month, new hires 2, ramp 0/33/67/100. */
export function defaultLensForm(months: string[]): LensForm {
  return {
    topMode: 'growth',
    lastYearActual: null,
    growthPct: 30,
    marketSize: null,
    sharePct: 25,
    productivity: [
      { tier: 'senior', dealsPerMonth: 5, aov: 10 * WAN },
      { tier: 'regular', dealsPerMonth: 3, aov: 8 * WAN },
      { tier: 'new', dealsPerMonth: 2, aov: 6 * WAN },
    ],
    ramp: [0, 33.33, 66.67, 100],
    hires: [{ tier: 'new', count: 10, startMonth: months[2] ?? months[0] ?? '' }],
    attritionPct: 0,
    funnelOn: true,
    stages: [
      { code: 'leads', conversionPct: 20 },
      { code: 'opportunities', conversionPct: 25 },
    ],
    funnelAov: 8 * WAN,
    monthlySupply: 2000,
    channels: [
      { code: 'own', leadToDealPct: 10, monthlySupply: 1200 },
      { code: 'third_party', leadToDealPct: 2, monthlySupply: 800 },
    ],
  };
}

const num = (v: MoneyValue): number => (typeof v === 'number' ? v : 0);

export function toLensesBody(f: LensForm, version: number): LensesBody {
  return {
    version,
    topDown:
      f.topMode === 'growth'
        ? { lastYearActual: num(f.lastYearActual), growthBp: pctToBp(f.growthPct) }
        : { marketSize: num(f.marketSize), shareBp: pctToBp(f.sharePct) },
    bottomUp: {
      productivity: Object.fromEntries(
        f.productivity.map((p) => [p.tier, { dealsPerMonth: p.dealsPerMonth, aov: num(p.aov) }]),
      ),
      plannedHires: f.hires.filter((h) => h.count > 0 && h.startMonth),
      rampCurve: f.ramp.map(pctToBp),
      attritionBp: pctToBp(f.attritionPct),
    },
    ...(f.funnelOn
      ? {
          funnel: {
            monthlySupply: f.monthlySupply,
            stages: f.stages.map((s) => ({ code: s.code, conversionBp: pctToBp(s.conversionPct) })),
            aov: Math.max(1, num(f.funnelAov)),
            channels: f.channels
              .filter((c) => c.code.trim())
              .map((c) => ({
                code: c.code.trim(),
                leadToDealBp: Math.max(1, pctToBp(c.leadToDealPct)),
                ...(c.monthlySupply === null || c.monthlySupply === undefined
                  ? {}
                  : { monthlySupply: c.monthlySupply }),
              })),
          },
        }
      : {}),
  };
}

interface StoredInputs {
  topDown?: { lastYearActual?: number; growthBp?: number; marketSize?: number; shareBp?: number };
  bottomUp?: {
    productivity?: Record<string, { dealsPerMonth: number; aov: number }>;
    plannedHires?: { tier: string; count: number; startMonth: string }[];
    rampCurve?: number[];
    attritionBp?: number;
  };
  funnel?: {
    monthlySupply: number;
    stages: { code: string; conversionBp: number }[];
    aov: number;
    channels?: { code: string; leadToDealBp: number; monthlySupply?: number }[];
  };
}

/** The form as last computed on this version (the server stores the inputs with the results). */
export function lensFormOf(v: VersionDetail): LensForm {
  const d = defaultLensForm(v.months);
  const inputs = (v.lenses as { inputs?: StoredInputs }).inputs;
  if (!inputs) return d;
  const td = inputs.topDown ?? {};
  const bu = inputs.bottomUp ?? {};
  const fu = inputs.funnel;
  return {
    topMode: td.marketSize !== undefined ? 'market' : 'growth',
    lastYearActual: td.lastYearActual ?? d.lastYearActual,
    growthPct: td.growthBp !== undefined ? td.growthBp / 100 : d.growthPct,
    marketSize: td.marketSize ?? d.marketSize,
    sharePct: td.shareBp !== undefined ? td.shareBp / 100 : d.sharePct,
    productivity: bu.productivity
      ? Object.entries(bu.productivity).map(([tier, p]) => ({
          tier,
          dealsPerMonth: p.dealsPerMonth,
          aov: p.aov,
        }))
      : d.productivity,
    ramp: bu.rampCurve ? bu.rampCurve.map((b) => b / 100) : d.ramp,
    hires: bu.plannedHires ?? [],
    attritionPct: (bu.attritionBp ?? 0) / 100,
    funnelOn: fu !== undefined,
    stages: fu
      ? fu.stages.map((s) => ({ code: s.code, conversionPct: s.conversionBp / 100 }))
      : d.stages,
    funnelAov: fu?.aov ?? d.funnelAov,
    monthlySupply: fu?.monthlySupply ?? d.monthlySupply,
    channels: fu
      ? (fu.channels ?? []).map((c) => ({
          code: c.code,
          leadToDealPct: c.leadToDealBp / 100,
          monthlySupply: c.monthlySupply ?? null,
        }))
      : d.channels,
  };
}

/** The results as one shape, whether just computed or read back from the version. */
export type LensOutcome = Omit<LensesResult, 'version'>;

export function storedOutcome(v: VersionDetail): LensOutcome | null {
  const r = (
    v.lenses as {
      results?: { lenses: { topDown: number; bottomUp: number; funnel: number | null } } & Omit<
        LensOutcome,
        'topDown' | 'bottomUp' | 'funnel' | 'notApplicable'
      > & { notApplicable?: LensOutcome['notApplicable'] };
    }
  ).results;
  if (!r) return null;
  return {
    topDown: r.lenses.topDown,
    bottomUp: r.lenses.bottomUp,
    funnel: r.lenses.funnel,
    gaps: r.gaps,
    achievable: r.achievable,
    excessFen: r.excessFen,
    excessBp: r.excessBp,
    verdict: r.verdict,
    // Stored before the lens could be inapplicable: every lens applied.
    notApplicable: r.notApplicable ?? [],
    details: r.details,
  };
}

/** The lens functions' detail objects, as the domain returns them. */
export interface CapacityDetail {
  total: number;
  monthly: {
    month: string;
    headcountBp: number;
    fteBp: number;
    dealsBp: number;
    capacityFen: number;
    byTier: Record<string, number>;
  }[];
  byTier: Record<string, number>;
}
export interface FunnelBackDetail {
  deals: number;
  stages: { code: string; conversionBp: number; required: number; perMonth: number }[];
  supply?: {
    perMonthRequired: number;
    perMonthSupply: number;
    feasible: boolean;
    shortfall: number;
  };
  channels?: {
    mode: 'shares' | 'best-first';
    channels: {
      code: string;
      leadToDealBp: number;
      deals: number;
      leads: number;
      perMonth: number;
      monthlySupply?: number;
      feasible: boolean;
      shortfallLeads: number;
    }[];
    feasible: boolean;
    shortfallDeals: number;
  };
  feasible: boolean;
}
export interface FunnelForwardDetail {
  leads: number;
  stages: { code: string; count: number }[];
  deals: number;
  revenue?: number;
}
export interface TopDownDetail {
  total: number;
  breakdown: {
    lastYearActual?: number;
    growthBp?: number;
    increment?: number;
    marketSize?: number;
    shareBp?: number;
  };
}

/** Whether the version has lens inputs of its own (then nothing is pre-filled over them). */
export function hasStoredInputs(v: VersionDetail): boolean {
  return (v.lenses as { inputs?: unknown }).inputs !== undefined;
}

/**
 * The funnel's channels from the channel dimension's attrs ({ monthlyLeadSupply, leadToDealBp }):
 * only channels that carry a lead→deal rate; the total supply when every one of them has a limit.
 * Null when no channel carries a rate.
 */
export function channelsFromDimension(
  items: readonly { code: string; attrs: Record<string, unknown> }[],
): (Pick<LensForm, 'channels'> & { monthlySupply: number | null }) | null {
  const intOf = (x: unknown) => (typeof x === 'number' && Number.isInteger(x) && x >= 0 ? x : null);
  const channels = items.flatMap((c) => {
    const bp = intOf(c.attrs.leadToDealBp);
    return bp === null || bp === 0
      ? []
      : [
          {
            code: c.code,
            leadToDealPct: bp / 100,
            monthlySupply: intOf(c.attrs.monthlyLeadSupply),
          },
        ];
  });
  if (channels.length === 0) return null;
  const supplies = channels.map((c) => c.monthlySupply);
  return {
    channels,
    monthlySupply: supplies.every((s) => s !== null)
      ? supplies.reduce<number>((a, s) => a + (s ?? 0), 0)
      : null,
  };
}
