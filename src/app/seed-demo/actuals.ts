import type { Lifecycle, Tier } from '../../db/schema.ts';
import { monthsOfFiscalYear } from '../../domain/periods.ts';
import { firstOfMonth, monthsBetween } from './dates.ts';
import type { PlanCustomer } from './customers.ts';
import type { DemoPlan } from './demo-plan.ts';
import { buildDemoActivities } from './activities.ts';
import { buildDemoPipeline } from './pipeline.ts';
import { createPrng, seedOf } from './prng.ts';
import { buildDemoSales } from './sales.ts';

/**
 * The demo company's actuals as plain rows keyed by codes (member, customer, product, channel),
 * before any id exists — what a CRM export would hold. Pure and deterministic for a given `today`:
 * the same day always yields the same rows, a later day moves the whole history with it.
 */
export interface DemoOrderLine {
  extId: string;
  orderNo: string;
  date: string;
  memberCode: string;
  customerCode: string;
  productCode: string;
  channelCode: string;
  lifecycle: Exclude<Lifecycle, ''>;
  /** Fen; negative for a refund. */
  amount: number;
  quantity: number;
  dueDate: string;
}

export interface DemoCollection {
  extId: string;
  date: string;
  orderNo: string;
  customerCode: string;
  memberCode: string;
  /** Fen. */
  amount: number;
  dueDate: string;
}

export type LeadStatus = 'open' | 'qualified' | 'converted' | 'lost';

export interface DemoLead {
  extId: string;
  date: string;
  memberCode: string;
  channelCode: string;
  status: LeadStatus;
  convertedDate: string | null;
}

export interface DemoOpportunity {
  extId: string;
  date: string;
  memberCode: string;
  customerCode: string;
  channelCode: string;
  leadExtId: string | null;
  /** Fen. */
  amount: number;
  stage: string;
  probabilityBp: number;
  expectedCloseDate: string;
  closedDate: string | null;
  status: 'open' | 'won' | 'lost';
  stageHistory: { stage: string; date: string }[];
}

export interface DemoActivity {
  extId: string;
  date: string;
  memberCode: string;
  customerCode: string | null;
  kind: 'call' | 'visit' | 'meeting';
}

export interface DemoActuals {
  /** First day of the history: the start of the fiscal year two years before today's. */
  start: string;
  today: string;
  orders: DemoOrderLine[];
  collections: DemoCollection[];
  leads: DemoLead[];
  opportunities: DemoOpportunity[];
  activities: DemoActivity[];
}

/**
 * What a fully ramped rep of each tier sells a month: deals × average order value (fen). The same
 * numbers drive the generated sales and the director's bottom-up lens, so capacity shares and
 * actual shares agree on average and the differences between people are their own performance.
 */
export const demoTierProductivity: Readonly<Record<Tier, { dealsPerMonth: number; aov: number }>> =
  {
    senior: { dealsPerMonth: 7, aov: 100_000_00 },
    regular: { dealsPerMonth: 6, aov: 75_000_00 },
    new: { dealsPerMonth: 5, aov: 50_000_00 },
  };

/** Ramp of a new hire by month since the hire month, in bp (the lens's default curve). */
export const demoRampBp: readonly number[] = [0, 3333, 6667, 10_000];

export interface DemoRep {
  code: string;
  tier: Tier;
  hireDate: string;
  /** Region of the rep's current team (customers without an owner's book are found there). */
  region: string;
}

/** Everyone who sits in a team (leads included): the people who sell. Managers above teams do not. */
export function demoReps(plan: DemoPlan): DemoRep[] {
  const current = new Map<string, string>();
  for (const m of plan.memberships) if (m.endDate === null) current.set(m.memberCode, m.unitCode);
  const inTeams = new Set(
    plan.memberships.filter((m) => m.unitCode.includes('-')).map((m) => m.memberCode),
  );
  return plan.members
    .filter((m) => inTeams.has(m.code))
    .map((m) => ({
      code: m.code,
      tier: m.tier,
      hireDate: m.hireDate,
      region: current.get(m.code)!.split('-')[0]!,
    }));
}

/**
 * The customers each rep sells to: the ones they own; a rep who owns none (a new hire) works a
 * few small accounts of their region.
 */
export function demoBooks(plan: DemoPlan, reps: readonly DemoRep[]): Map<string, PlanCustomer[]> {
  const out = new Map<string, PlanCustomer[]>();
  for (const r of reps) {
    const own = plan.customers.filter((c) => c.ownerCode === r.code);
    out.set(
      r.code,
      own.length > 0
        ? own
        : plan.customers.filter((c) => c.regionCode === r.region && c.tier === 'C').slice(0, 3),
    );
  }
  return out;
}

/** The demo's history window: the fiscal year two years back, through today's month. */
export function actualsMonths(today: string, fiscalStartMonth: number): string[] {
  const month = today.slice(0, 7);
  const y = Number(today.slice(0, 4));
  const fy = Number(month.slice(5, 7)) >= fiscalStartMonth ? y : y - 1;
  const first = `${monthsOfFiscalYear(fy - 2, fiscalStartMonth)[0]!}-01`;
  const n = monthsBetween(first, today) + 1;
  return Array.from({ length: n }, (_, i) => firstOfMonth(first, i).slice(0, 7));
}

export function buildDemoActuals(
  plan: DemoPlan,
  opts: { today: string; fiscalStartMonth: number },
): DemoActuals {
  const months = actualsMonths(opts.today, opts.fiscalStartMonth);
  const reps = demoReps(plan);
  const sales = buildDemoSales(plan, reps, months, opts.today, createPrng(seedOf('galaxy-sales')));
  const pipeline = buildDemoPipeline(
    plan,
    reps,
    months,
    opts.today,
    createPrng(seedOf('galaxy-pipeline')),
  );
  // Activities cover last fiscal year and this one: enough for visit frequency and its YoY.
  const activities = buildDemoActivities(
    plan,
    reps,
    months.slice(12),
    opts.today,
    createPrng(seedOf('galaxy-activities')),
  );
  return { start: `${months[0]!}-01`, today: opts.today, ...sales, ...pipeline, activities };
}
