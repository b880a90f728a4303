import { newCustomersIn as countNewCustomers } from '../../db/customer-firsts.ts';
import type { Transaction } from 'kysely';
import { audit } from '../../db/audit.ts';
import { repOf } from '../../db/plans/capacity.ts';
import { cascadePlan, type CascadeRequest } from '../../db/plans/cascade.ts';
import { insertCell } from '../../db/plans/cells.ts';
import { commitTarget } from '../../db/plans/commit-target.ts';
import { decomposeCell, type SplitContext } from '../../db/plans/decompose-cell.ts';
import { withDims, type CellKey } from '../../db/plans/keys.ts';
import { ensureBuiltinMetrics, metricByCode } from '../../db/plans/metrics.ts';
import { loadOrg } from '../../db/plans/org.ts';
import {
  copyVersion,
  createPlan,
  fiscalYearId,
  getVersion,
  touchVersion,
  transitionVersion,
  type Transition,
  type VersionRow,
} from '../../db/plans/versions.ts';
import { salesTotals } from '../../db/rollups.ts';
import type { Database } from '../../db/schema.ts';
import { fiscalYearOf, monthsOfFiscalYear, periodRange } from '../../domain/periods.ts';
import { evaluateLenses, type PlannedHire } from '../../domain/planning/lenses.ts';
import { demoRampBp, demoTierProductivity } from './actuals.ts';

type Trx = Transaction<Database>;

/** The director's assumptions: +20% on last year, a 5% raise in the v2 draft, 90% collections. */
const GROWTH_BP = 2000;
const V2_RAISE_BP = 500;
const COLLECTION_RATE_BP = 9000;
/** Committed numbers are rounded to whole 10万元, as a director would write them. */
const ROUND_TO = 10_000_000;

export interface DemoTargets {
  planId: number;
  activeVersionId: number;
  draftVersionId: number;
  committedTarget: number;
  targetCells: number;
}

/**
 * The current fiscal year's plan, built the way a director builds it in the planner and with the
 * same persistence functions and audit entries as the planning API: the three lenses from last
 * year's actuals, the team's capacity and the channels' funnel; a committed revenue target (the
 * top-down number, rounded); seasonality from the last two years; a cascade down the org to every
 * rep by capacity and over product lines by last year's mix; product-line targets for the company;
 * a 90% collection-rate target and a new-customer count; submitted, approved and activated. Then a
 * v2 draft copy with a raised target, so the version list and compare have something to show.
 * Runs inside the seed's transaction; facts and their rollups must already be written.
 */
export async function writeDemoTargets(
  trx: Trx,
  opts: { today: string; now: Date; userId: number; fiscalStartMonth: number },
): Promise<DemoTargets> {
  const { today, now, userId, fiscalStartMonth: fsm } = opts;
  await ensureBuiltinMetrics(trx, now);
  const fy = Number(fiscalYearOf(today, fsm).slice(2));
  const months = monthsOfFiscalYear(fy, fsm);
  const org = await loadOrg(trx, periodRange(fiscalYearId(fy), fsm));
  const owner = { unitPath: org.root.path };
  const lastYear = periodRange(fiscalYearId(fy - 1), fsm);
  const last = await salesTotals(trx, { ...owner, ...lastYear });
  const twoYears = await salesTotals(trx, {
    ...owner,
    start: periodRange(fiscalYearId(fy - 2), fsm).start,
    end: lastYear.end,
    groupBy: 'month',
  });
  const lineMix = await lastYearByTopLine(trx, lastYear);

  const { plan, version: v1 } = await createPlan(
    trx,
    { fiscalYear: fy, nameZh: `${fy} 年度销售目标`, nameEn: `FY${fy} sales targets` },
    userId,
    now,
  );
  await audit(trx, now, {
    userId,
    action: 'create',
    entity: 'plan',
    entityId: plan.id,
    after: { fiscalYear: fy, nameZh: plan.name_zh, nameEn: plan.name_en },
  });

  // 1. The three lenses, stored on the version exactly as the planner's lenses call stores them.
  const teamIds = new Set(
    org.memberships.filter((m) => org.units.get(m.unitId)?.kind === 'team').map((m) => m.memberId),
  );
  const reps = [...org.members.values()]
    .filter((m) => teamIds.has(m.id))
    .map((m) => repOf(m, months));
  const next = months.indexOf(today.slice(0, 7)) + 1;
  const plannedHires: PlannedHire[] = [next, next + 3]
    .filter((i) => i > 0 && i < months.length)
    .map((i) => ({ tier: 'new', count: 2, startMonth: months[i]! }));
  const productivity = { ...demoTierProductivity };
  const rampCurve = [...demoRampBp];
  const funnelInputs = await funnelFromHistory(trx, lastYear, last.total);
  const inputs = {
    topDown: { lastYearActual: last.total.amount, growthBp: GROWTH_BP },
    bottomUp: { productivity, reps, plannedHires, rampCurve },
    funnel: funnelInputs,
  };
  const { result, details } = evaluateLenses({
    topDown: inputs.topDown,
    bottomUp: { ...inputs.bottomUp, months },
    funnel: funnelInputs,
  });
  const top = details.topDown;
  await touchVersion(trx, v1, undefined, {
    lenses: JSON.stringify({
      inputs,
      results: { ...result, details },
      computedAt: now.toISOString(),
    }),
  });
  await audit(trx, now, {
    userId,
    action: 'lenses',
    entity: 'plan_version',
    entityId: v1.id,
    after: { inputs, verdict: result.verdict },
  });

  // 2. Commit the top-down number, rounded.
  const target = Math.round(top.total / ROUND_TO) * ROUND_TO;
  const revenue = await metricByCode(trx, 'revenue');
  const yearKey = withDims({ ownerType: 'unit', ownerId: org.root.id, period: fiscalYearId(fy) });
  await setRootTarget(
    trx,
    await fresh(trx, v1.id),
    'revenue',
    revenue.id,
    yearKey,
    target,
    userId,
    now,
  );

  // 3. Seasonality from the last two years, down the org by capacity, each rep's month over product lines.
  const history = twoYears.rows.map((r) => ({
    month: String(r.key),
    amount: Math.max(0, r.amount),
  }));
  await cascade(trx, await fresh(trx, v1.id), revenue.id, fsm, userId, now, {
    parent: yearKey,
    time: { method: 'history', inputs: { history, years: 2 } },
    org: { method: 'capacity', inputs: {} },
    productLines: { method: 'history', inputs: { history: lineMix } },
  });
  // The company's year and months over product lines (last year's mix).
  const monthKeys = months.map((m) => ({ ...yearKey, period: m }));
  for (const parent of [yearKey, ...monthKeys]) {
    await decompose(trx, await fresh(trx, v1.id), revenue.id, fsm, userId, now, {
      parent,
      axis: 'product_line',
      method: 'history',
      inputs: { history: lineMix },
    });
  }

  // 4. Collection rate 90% (a ratio: set on the company, never split) and new customers (a count, split like revenue).
  const rate = await metricByCode(trx, 'collection_rate');
  const rateCell = await insertCell(trx, {
    versionId: v1.id,
    metricId: rate.id,
    key: yearKey,
    value: COLLECTION_RATE_BP,
    splitId: null,
  });
  await touchVersion(trx, await fresh(trx, v1.id), undefined);
  await audit(trx, now, {
    userId,
    action: 'create',
    entity: 'target_cell',
    entityId: rateCell.id,
    after: { metric: 'collection_rate', period: yearKey.period, value: COLLECTION_RATE_BP },
  });
  const newCustomers = await metricByCode(trx, 'new_customers');
  const newTarget = Math.ceil(
    (await newCustomersIn(trx, owner, lastYear)) * (1 + GROWTH_BP / 10_000),
  );
  await setRootTarget(
    trx,
    await fresh(trx, v1.id),
    'new_customers',
    newCustomers.id,
    yearKey,
    newTarget,
    userId,
    now,
  );
  await cascade(trx, await fresh(trx, v1.id), newCustomers.id, fsm, userId, now, {
    parent: yearKey,
    time: { method: 'history', inputs: { history, years: 2 } },
    org: { method: 'capacity', inputs: {} },
  });

  // 5. Submit, approve, activate.
  for (const action of ['submit', 'approve', 'activate'] as Transition[]) {
    const before = await fresh(trx, v1.id);
    const { supersededId } = await transitionVersion(trx, before, action, undefined, userId, now);
    await audit(trx, now, {
      userId,
      action,
      entity: 'plan_version',
      entityId: v1.id,
      before: { status: before.status },
      after: { status: (await fresh(trx, v1.id)).status, note: null, supersededId },
    });
  }

  // 6. A v2 draft: the past frozen, the rest of the year raised by the director's stretch.
  const v2 = await copyVersion(trx, await fresh(trx, v1.id), plan, userId, now, today, fsm);
  await audit(trx, now, {
    userId,
    action: 'copy',
    entity: 'plan_version',
    entityId: v2.id,
    after: { basedOnId: v1.id, number: v2.number, frozenBefore: v2.frozen_before },
  });
  const raised = Math.round((target * (10_000 + V2_RAISE_BP)) / 10_000 / ROUND_TO) * ROUND_TO;
  await setRootTarget(trx, v2, 'revenue', revenue.id, yearKey, raised, userId, now);

  const cells = await trx
    .selectFrom('target_cells')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return {
    planId: plan.id,
    activeVersionId: v1.id,
    draftVersionId: v2.id,
    committedTarget: target,
    targetCells: Number(cells.n),
  };
}

async function fresh(trx: Trx, id: number): Promise<VersionRow> {
  return (await getVersion(trx, id)).version;
}

/** The planner's commit: the root's fiscal-year cell (re-spreading what hangs below it), the tiers in the audit. */
async function setRootTarget(
  trx: Trx,
  v: VersionRow,
  metric: string,
  metricId: number,
  key: CellKey,
  value: number,
  userId: number,
  now: Date,
): Promise<void> {
  await commitTarget(trx, v, undefined, { id: metricId, code: metric }, key, value, {
    userId,
    now,
  });
}

function contextOf(
  v: VersionRow,
  metricId: number,
  fsm: number,
  userId: number,
  now: Date,
): SplitContext {
  return {
    versionId: v.id,
    metricId,
    frozenBefore: v.frozen_before,
    fiscalStartMonth: fsm,
    lensesJson: v.lenses,
    userId,
    now,
  };
}

async function cascade(
  trx: Trx,
  v: VersionRow,
  metricId: number,
  fsm: number,
  userId: number,
  now: Date,
  req: CascadeRequest,
): Promise<void> {
  const r = await cascadePlan(trx, contextOf(v, metricId, fsm, userId, now), req);
  await touchVersion(trx, v, undefined);
  await audit(trx, now, {
    userId,
    action: 'decompose',
    entity: 'plan_version',
    entityId: v.id,
    after: {
      mode: 'cascade',
      metricId,
      time: req.time.method,
      org: req.org,
      productLines: req.productLines ?? null,
      cells: r.cellsWritten,
    },
  });
}

async function decompose(
  trx: Trx,
  v: VersionRow,
  metricId: number,
  fsm: number,
  userId: number,
  now: Date,
  req: Parameters<typeof decomposeCell>[2],
): Promise<void> {
  const r = await decomposeCell(trx, contextOf(v, metricId, fsm, userId, now), req);
  await touchVersion(trx, v, undefined);
  await audit(trx, now, {
    userId,
    action: 'decompose',
    entity: 'plan_version',
    entityId: v.id,
    after: {
      metricId,
      parent: req.parent,
      axis: req.axis,
      method: req.method,
      inputs: req.inputs,
      splitId: r.splitId,
      children: r.children.map((c) => [c.ref, c.value]),
    },
  });
}

/** Last year's revenue per top-level product line (id as text → fen): the weights of the product split. */
async function lastYearByTopLine(
  trx: Trx,
  range: { start: string; end: string },
): Promise<Record<string, number>> {
  const lines = await trx.selectFrom('product_lines').select(['id', 'parent_id']).execute();
  const topOf = new Map(lines.map((l) => [l.id, l.parent_id ?? l.id]));
  const rows = await trx
    .selectFrom('order_lines')
    .select(['product_line_id', (eb) => eb.fn.sum<number>('amount').as('amount')])
    .where('order_date', '>=', range.start)
    .where('order_date', '<=', range.end)
    .groupBy('product_line_id')
    .execute();
  const out: Record<string, number> = {};
  for (const l of lines) if (l.parent_id === null) out[String(l.id)] = 0;
  for (const r of rows) {
    const top = String(topOf.get(r.product_line_id) ?? r.product_line_id);
    if (top in out) out[top] = (out[top] ?? 0) + Math.max(0, Number(r.amount));
  }
  return out;
}

/**
 * New customers as the dashboards count them (src/db/customer-firsts.ts): customers whose first
 * new or referral deal fell in the range, so the target and its actual measure the same thing.
 */
async function newCustomersIn(
  trx: Trx,
  owner: { unitPath: string },
  range: { start: string; end: string },
): Promise<number> {
  return (await countNewCustomers(trx, { ...owner, ...range })).total;
}

/**
 * The funnel lens from what the company knows: each channel's lead supply and lead→deal rate
 * (the channel's attributes), the two stage conversions and the order value of last year's facts.
 */
async function funnelFromHistory(
  trx: Trx,
  range: { start: string; end: string },
  total: { amount: number; orders: number },
) {
  const channels = (
    await trx
      .selectFrom('dimension_members')
      .select(['code', 'attrs'])
      .where('dimension', '=', 'channel')
      .orderBy('sort_order')
      .execute()
  ).map((c) => {
    const a = JSON.parse(c.attrs) as { monthlyLeadSupply: number; leadToDealBp: number };
    return { code: c.code, leadToDealBp: a.leadToDealBp, monthlySupply: a.monthlyLeadSupply };
  });
  const count = async (
    table: 'leads' | 'opportunities',
    status: string | null,
    column: 'created_date' | 'closed_date',
  ) => {
    let q = trx
      .selectFrom(table)
      .select((eb) => eb.fn.countAll().as('n'))
      .where(column, '>=', range.start)
      .where(column, '<=', range.end);
    if (status) q = q.where('status', '=', status);
    return Number((await q.executeTakeFirstOrThrow()).n);
  };
  const leads = await count('leads', null, 'created_date');
  const converted = await count('leads', 'converted', 'created_date');
  const won = await count('opportunities', 'won', 'closed_date');
  const lost = await count('opportunities', 'lost', 'closed_date');
  const bp = (a: number, b: number) => (b > 0 ? Math.max(1, Math.round((a * 10_000) / b)) : 1);
  return {
    monthlySupply: channels.reduce((a, c) => a + c.monthlySupply, 0),
    stages: [
      { code: 'leads', conversionBp: bp(converted, leads) },
      { code: 'opportunities', conversionBp: bp(won, won + lost) },
    ],
    aov: total.orders > 0 ? Math.round(total.amount / total.orders) : 1,
    channels,
  };
}
