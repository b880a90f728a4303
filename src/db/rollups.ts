import {
  sql,
  type Expression,
  type ExpressionBuilder,
  type Kysely,
  type SqlBool,
  type Transaction,
} from 'kysely';
import { AppError } from '../domain/errors.ts';
import { addDays, daysInMonth } from '../domain/dates.ts';
import type { Database } from './schema.ts';
import { pathIds } from './unit-rollups.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * Whose numbers: a unit's whole subtree (by materialized path), or one member wherever they sat —
 * or, with `within`, only the member's facts credited inside those subtrees (a manager reading a
 * member who was in his unit for part of the time: crediting follows the day, so these are the
 * days the member sat there).
 */
export type FactOwner = { unitPath: string } | { memberId: number; within?: readonly string[] };

export type SalesGroupBy =
  | 'day'
  | 'month'
  | 'product_line'
  | 'channel'
  | 'lifecycle'
  | 'region'
  | 'segment'
  | 'member'
  | 'child_unit';

export interface SalesMeasures {
  amount: number;
  grossProfit: number;
  quantity: number;
  /** Deals: one per order (Σ is_primary). */
  orders: number;
  lines: number;
}

export interface SalesRow extends SalesMeasures {
  /** The group: a day, a month, or an id (0 = none: no product line, no channel, unit-owned…). Lifecycle is '' | new | existing | referral. */
  key: string | number;
}

export interface SalesTotals {
  total: SalesMeasures;
  /** Present when grouped, sorted by key. */
  rows: SalesRow[];
}

export interface SalesQuery {
  /** First day, inclusive ('YYYY-MM-DD'). */
  start: string;
  /** Last day, inclusive. */
  end: string;
  groupBy?: SalesGroupBy;
  /** Only the sales of one dimension value (see salesTotals for which combinations are fast). */
  filter?: SalesFilter;
}

const GROUP_COLUMN: Record<Exclude<SalesGroupBy, 'day' | 'month'>, string> = {
  product_line: 'product_line_id',
  channel: 'channel_id',
  lifecycle: 'lifecycle',
  region: 'region_id',
  segment: 'segment_id',
  member: 'member_id',
  child_unit: 'org_unit_id',
};

/**
 * Splits [start, end] into whole months (read from the month rollup) and the partial months at
 * the edges (read from the day rollup). A range inside one month is all edge.
 */
export function splitRange(
  start: string,
  end: string,
): { months: [string, string] | null; days: [string, string][] } {
  const firstWhole = start.endsWith('-01') ? start.slice(0, 7) : nextMonth(start.slice(0, 7));
  const lastWhole = end === lastDay(end.slice(0, 7)) ? end.slice(0, 7) : prevMonth(end.slice(0, 7));
  if (firstWhole > lastWhole) return { months: null, days: start <= end ? [[start, end]] : [] };
  const days: [string, string][] = [];
  if (start < `${firstWhole}-01`) days.push([start, addDays(`${firstWhole}-01`, -1)]);
  if (end > lastDay(lastWhole)) days.push([addDays(lastDay(lastWhole), 1), end]);
  return { months: [firstWhole, lastWhole], days };
}

/**
 * Every day from `from` to `to`, inclusive. The day rollups are keyed by the day first (migration
 * 0010), so a read names its days — one key probe per day and member or unit — rather than a
 * range, which would walk every member's rows of those days.
 */
export function daysOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) out.push(d);
  return out;
}

/** Every month from `from` to `to` ('YYYY-MM'), inclusive: the member month rollup's probes. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) out.push(m);
  return out;
}

function lastDay(month: string): string {
  return `${month}-${String(daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)))).padStart(2, '0')}`;
}

function nextMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

function prevMonth(month: string): string {
  const y = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

/**
 * The condition "this fact row belongs to the owner": for a unit, `org_unit_id IN (SELECT id FROM
 * org_units WHERE path LIKE '/1/4/%')`, which keeps the facts' (org_unit_id, date) indexes usable.
 */
export function ownerCondition(
  eb: ExpressionBuilder<any, any>,
  owner: FactOwner,
): Expression<SqlBool> {
  if ('memberId' in owner) {
    const member = eb(eb.ref('member_id'), '=', owner.memberId);
    if (owner.within === undefined) return member;
    if (owner.within.length === 0) return sql<SqlBool>`1 = 0`;
    const paths = owner.within;
    return eb.and([
      member,
      eb(
        eb.ref('org_unit_id'),
        'in',
        eb
          .selectFrom('org_units')
          .select('org_units.id')
          .where((e) => e.or(paths.map((p) => e('org_units.path', 'like', `${p}%`)))),
      ),
    ]);
  }
  return eb(
    eb.ref('org_unit_id'),
    'in',
    eb
      .selectFrom('org_units')
      .select('org_units.id')
      .where('org_units.path', 'like', `${owner.unitPath}%`),
  );
}

/**
 * The owner's rows of a member-level rollup (`rollup_sales_day` / `rollup_sales_month`, keyed
 * period then member since migration 0010): a member's own keys; for a unit, the keys of the
 * members its month rollup lists in `months` (dim 'member', whose key 0 stands for the facts
 * credited to a unit with no member), kept to the subtree's units. Those are exactly the members
 * with rows in the subtree: the unit rollups are the member rollups summed up the same tree.
 */
export function memberRollupOwner(
  eb: ExpressionBuilder<any, any>,
  owner: FactOwner,
  months: readonly [string, string],
): Expression<SqlBool> {
  if ('memberId' in owner) return ownerCondition(eb, owner);
  const members = eb
    .selectFrom('rollup_unit_month')
    .select(sql<number>`cast(${sql.ref('key')} as integer)`.as('member_id'))
    .where('rollup_unit_month.org_unit_id', '=', pathIds(owner.unitPath).at(-1)!)
    .where('rollup_unit_month.dim', '=', 'member')
    .where('rollup_unit_month.month', '>=', months[0])
    .where('rollup_unit_month.month', '<=', months[1]);
  return eb.and([eb(eb.ref('member_id'), 'in', members), ownerCondition(eb, owner)]);
}

/**
 * Sales (amount, gross profit, quantity, deals, lines) of a unit subtree or a member over a date
 * range, optionally grouped and optionally restricted to one dimension value — answered from the
 * rollups only, never from the order lines: whole months from a month rollup, the partial months
 * at the edges from a day rollup.
 *
 * A unit reads the member-free unit rollups (`rollup_unit_month` / `rollup_unit_day`, one
 * primary-key range of the unit's own rows whatever the size of its subtree); a member reads the
 * member-level rollups. Region and segment exist only by month (in the day rollups they would
 * multiply the rows by regions × segments for little use), so grouping or filtering by them needs
 * a range of whole months; anything else is refused with ROLLUP_MONTHS_ONLY rather than answered
 * wrongly. Grouping by day reads the day rollup for the whole range. `child_unit` groups a unit's
 * numbers by its direct children (the unit's own facts under the unit's id); it needs a unitPath.
 *
 * `filter` combines with no grouping, day, month or child_unit on the unit rollups. A unit
 * grouped by one dimension and filtered by another (product line × channel…) has no unit rollup
 * holding both, so it falls back to the member-level rollups of the subtree: right, but as slow as
 * those are for large subtrees.
 */
export async function salesTotals(q: Q, query: FactOwner & SalesQuery): Promise<SalesTotals> {
  const { start, end, groupBy, filter } = query;
  if ('memberId' in query) return salesFromMemberRollups(q, query);
  assertAnswerable(query);
  const simple =
    groupBy === undefined || groupBy === 'day' || groupBy === 'month' || groupBy === 'child_unit';
  if (filter && !simple) return salesFromMemberRollups(q, query);
  return salesFromUnitRollups(q, query.unitPath, { start, end, groupBy, filter });
}

/** Which dimension value a read is restricted to: a product line, channel, lifecycle, region or segment. */
export interface SalesFilter {
  dim: 'product_line' | 'channel' | 'lifecycle' | 'region' | 'segment';
  /** The id (or the lifecycle: '' | new | existing | referral). */
  key: string | number;
}

/** Refuses what the rollups cannot answer exactly: region or segment over partial months, child_unit of a member. */
function assertAnswerable(query: FactOwner & SalesQuery): void {
  const { start, end, groupBy, filter } = query;
  const monthsOnly = (d: string | undefined) => d === 'region' || d === 'segment';
  if (
    (monthsOnly(groupBy) || monthsOnly(filter?.dim)) &&
    rangeParts(start, end, groupBy).days.length > 0
  )
    throw new AppError('ROLLUP_MONTHS_ONLY', { groupBy: groupBy ?? filter!.dim, start, end });
  if (groupBy === 'child_unit' && !('unitPath' in query))
    throw new AppError('VALIDATION', { field: 'groupBy', reason: 'child_unit needs a unit' });
}

function rangeParts(start: string, end: string, groupBy: SalesGroupBy | undefined) {
  const parts = splitRange(start, end);
  // By day, the whole range comes from the day rollup.
  return groupBy === 'day' && parts.months ? { months: null, days: [[start, end]] } : parts;
}

const measures = (eb: ExpressionBuilder<any, any>) => [
  eb.fn.sum('amount').as('amount'),
  eb.fn.sum('gross_profit').as('grossProfit'),
  eb.fn.sum('quantity').as('quantity'),
  eb.fn.sum('orders').as('orders'),
  eb.fn.sum('lines').as('lines'),
];

const NUMERIC_KEY: Partial<Record<SalesGroupBy, true>> = {
  product_line: true,
  channel: true,
  region: true,
  segment: true,
  member: true,
  child_unit: true,
};

/** The unit-rollup read: the owner unit's rows (and, for child_unit, its children's) of one dim. */
async function salesFromUnitRollups(
  q: Q,
  unitPath: string,
  query: SalesQuery,
): Promise<SalesTotals> {
  const { start, end, groupBy, filter } = query;
  const { months, days } = rangeParts(start, end, groupBy);
  const unitId = pathIds(unitPath).at(-1)!;
  const depth = pathIds(unitPath).length;
  const anyQ = q as unknown as Kysely<any>;
  const units =
    groupBy === 'child_unit'
      ? [
          unitId,
          ...(
            await q
              .selectFrom('org_units')
              .select(['id', 'path'])
              .where('path', 'like', `${unitPath}%`)
              .execute()
          )
            .filter((u) => pathIds(u.path).length === depth + 1)
            .map((u) => u.id),
        ]
      : [unitId];
  // One dim of the unit rollups: the grouping's own, else the filter's (key fixed), else the total.
  const byDim =
    groupBy !== undefined && groupBy !== 'day' && groupBy !== 'month' && groupBy !== 'child_unit';
  const dim = byDim ? groupBy : (filter?.dim ?? '');
  const fixedKey = byDim ? null : filter ? String(filter.key) : '';
  const read = (table: 'rollup_unit_month' | 'rollup_unit_day', from: string, to: string) => {
    const period = table === 'rollup_unit_month' ? 'month' : 'day';
    const key =
      groupBy === 'child_unit'
        ? sql.ref('org_unit_id')
        : groupBy === 'day'
          ? sql.ref('day')
          : groupBy === 'month'
            ? period === 'month'
              ? sql.ref('month')
              : sql`substr(day, 1, 7)`
            : byDim
              ? sql.ref('key')
              : sql.lit(0);
    let select = anyQ
      .selectFrom(table)
      .select((eb) => [key.as('key'), ...measures(eb)])
      .where('org_unit_id', 'in', units)
      .where('dim', '=', dim);
    // The unit month rollup is keyed unit first (one range); the unit day rollup day first.
    select =
      period === 'month'
        ? select.where(period, '>=', from).where(period, '<=', to)
        : select.where(period, 'in', daysOf(from, to));
    if (fixedKey !== null) select = select.where('key', '=', fixedKey);
    if (groupBy) select = select.groupBy(key);
    return select.execute();
  };
  const parts: SalesRow[] = [];
  if (months) parts.push(...(await read('rollup_unit_month', months[0], months[1])).map(toRow));
  for (const [from, to] of days) {
    if (groupBy === 'member') {
      // Members exist only in the unit month rollup; the ragged edges come from the member level.
      const edge = await salesFromMemberRollups(q, { unitPath, start: from, end: to, groupBy });
      parts.push(...edge.rows);
    } else parts.push(...(await read('rollup_unit_day', from, to)).map(toRow));
  }
  let grouped = merge(parts, (r) =>
    groupBy && NUMERIC_KEY[groupBy]
      ? Number(r.key)
      : groupBy === 'lifecycle'
        ? String(r.key)
        : r.key,
  );
  if (groupBy === 'child_unit') {
    // The unit's own row is its whole subtree; what its children do not hold is its own facts.
    const own = grouped.find((r) => r.key === unitId);
    const rest = grouped.filter((r) => r.key !== unitId);
    if (own) {
      const children = sumOf(rest);
      for (const k of MEASURE_KEYS) own[k] -= children[k];
      rest.push(own);
    }
    grouped = rest;
  }
  return finish(grouped, groupBy);
}

/**
 * The same read from the member-level rollups (`rollup_sales_month` / `rollup_sales_day`), which
 * a member owner always uses and a unit owner only for a grouping × filter that the unit rollups
 * cannot answer. For a unit it sums every member × dimension row of the subtree.
 */
export async function salesFromMemberRollups(
  q: Q,
  query: FactOwner & SalesQuery,
): Promise<SalesTotals> {
  assertAnswerable(query);
  const owner: FactOwner =
    'memberId' in query
      ? { memberId: query.memberId, ...(query.within ? { within: query.within } : {}) }
      : { unitPath: query.unitPath };
  const { start, end, groupBy, filter } = query;
  const { months, days } = rangeParts(start, end, groupBy);
  const column =
    groupBy === undefined || groupBy === 'day' || groupBy === 'month'
      ? null
      : GROUP_COLUMN[groupBy];
  const parts: SalesRow[] = [];
  const anyQ = q as unknown as Kysely<any>;
  const filterValue =
    filter === undefined
      ? null
      : filter.dim === 'lifecycle'
        ? String(filter.key)
        : Number(filter.key);
  if (months) {
    const key = groupBy === 'month' ? sql.ref('month') : column ? sql.ref(column) : sql.lit(0);
    let select = anyQ
      .selectFrom('rollup_sales_month')
      .select((eb) => [key.as('key'), ...measures(eb)])
      .where((eb) => memberRollupOwner(eb, owner, months))
      .where('month', 'in', monthsOf(months[0], months[1]));
    if (filter) select = select.where(GROUP_COLUMN[filter.dim], '=', filterValue);
    if (groupBy) select = select.groupBy(key);
    const rows = await select.execute();
    parts.push(...rows.map(toRow));
  }
  for (const [from, to] of days) {
    const key =
      groupBy === 'day'
        ? sql.ref('day')
        : groupBy === 'month'
          ? sql`substr(day, 1, 7)`
          : column
            ? sql.ref(column)
            : sql.lit(0);
    let select = anyQ
      .selectFrom('rollup_sales_day')
      .select((eb) => [key.as('key'), ...measures(eb)])
      .where((eb) => memberRollupOwner(eb, owner, [from.slice(0, 7), to.slice(0, 7)]))
      .where('day', 'in', daysOf(from, to));
    if (filter) select = select.where(GROUP_COLUMN[filter.dim], '=', filterValue);
    if (groupBy) select = select.groupBy(key);
    const rows = await select.execute();
    parts.push(...rows.map(toRow));
  }
  let grouped = merge(parts, (r) => r.key);
  if (groupBy === 'child_unit' && 'unitPath' in owner) {
    const units = await q
      .selectFrom('org_units')
      .select(['id', 'path'])
      .where('path', 'like', `${owner.unitPath}%`)
      .execute();
    const pathOf = new Map(units.map((u) => [u.id, u.path]));
    const depth = owner.unitPath.split('/').length - 1;
    grouped = merge(grouped, (r) => {
      const path = pathOf.get(Number(r.key)) ?? '';
      const child = path.split('/')[depth];
      return child ? Number(child) : Number(owner.unitPath.split('/').at(-2));
    });
  }
  return finish(grouped, groupBy);
}

function finish(grouped: SalesRow[], groupBy: SalesGroupBy | undefined): SalesTotals {
  return {
    total: sumOf(grouped),
    rows: groupBy
      ? grouped
          .filter((r) => r.lines !== 0 || r.amount !== 0)
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      : [],
  };
}

const MEASURE_KEYS = ['amount', 'grossProfit', 'quantity', 'orders', 'lines'] as const;

function toRow(r: Record<string, unknown>): SalesRow {
  return {
    key: typeof r.key === 'number' || typeof r.key === 'string' ? r.key : Number(r.key),
    amount: Number(r.amount ?? 0),
    grossProfit: Number(r.grossProfit ?? 0),
    quantity: Number(r.quantity ?? 0),
    orders: Number(r.orders ?? 0),
    lines: Number(r.lines ?? 0),
  };
}

function sumOf(rows: readonly SalesMeasures[]): SalesMeasures {
  const t = { amount: 0, grossProfit: 0, quantity: 0, orders: 0, lines: 0 };
  for (const r of rows) for (const k of Object.keys(t) as (keyof SalesMeasures)[]) t[k] += r[k];
  return t;
}

function merge(rows: readonly SalesRow[], keyOf: (r: SalesRow) => string | number): SalesRow[] {
  const out = new Map<string | number, SalesRow>();
  for (const r of rows) {
    const key = keyOf(r);
    const cur = out.get(key);
    if (!cur) out.set(key, { ...r, key });
    else
      for (const k of ['amount', 'grossProfit', 'quantity', 'orders', 'lines'] as const)
        cur[k] += r[k];
  }
  return [...out.values()];
}

/** Money collected (回款) in the range, and against how many receipts. Reads the collections index (org_unit_id, collected_date). */
export async function collectionTotals(
  q: Q,
  query: FactOwner & { start: string; end: string },
): Promise<{ amount: number; count: number }> {
  const row = await (q as unknown as Kysely<any>)
    .selectFrom('collections')
    .select((eb) => [eb.fn.sum('amount').as('amount'), eb.fn.countAll().as('count')])
    .where((eb) => ownerCondition(eb, query))
    .where('collected_date', '>=', query.start)
    .where('collected_date', '<=', query.end)
    .executeTakeFirstOrThrow();
  return { amount: Number(row.amount ?? 0), count: Number(row.count) };
}

export interface FunnelCounts {
  /** Leads created in the range. */
  leads: number;
  /** Of those, converted (status converted). */
  convertedLeads: number;
  /** Opportunities created in the range. */
  opportunities: number;
  /** Opportunities won with a closing date in the range, and their amount. */
  wonOpportunities: number;
  wonAmount: number;
  /** Deals booked in the range (orders, one per order number), from the sales rollups. */
  deals: number;
}

/** The funnel 线索 → 商机 → 成单 for a subtree or a member over a range. */
export async function funnelCounts(
  q: Q,
  query: FactOwner & { start: string; end: string },
): Promise<FunnelCounts> {
  const anyQ = q as unknown as Kysely<any>;
  const leads = await anyQ
    .selectFrom('leads')
    .select((eb) => [
      eb.fn.countAll().as('n'),
      eb.fn.sum(eb.case().when('status', '=', 'converted').then(1).else(0).end()).as('converted'),
    ])
    .where((eb) => ownerCondition(eb, query))
    .where('created_date', '>=', query.start)
    .where('created_date', '<=', query.end)
    .executeTakeFirstOrThrow();
  const opps = await anyQ
    .selectFrom('opportunities')
    .select((eb) => eb.fn.countAll().as('n'))
    .where((eb) => ownerCondition(eb, query))
    .where('created_date', '>=', query.start)
    .where('created_date', '<=', query.end)
    .executeTakeFirstOrThrow();
  const won = await anyQ
    .selectFrom('opportunities')
    .select((eb) => [eb.fn.countAll().as('n'), eb.fn.sum('amount').as('amount')])
    .where((eb) => ownerCondition(eb, query))
    .where('status', '=', 'won')
    .where('closed_date', '>=', query.start)
    .where('closed_date', '<=', query.end)
    .executeTakeFirstOrThrow();
  const sales = await salesTotals(q, { ...query, groupBy: undefined });
  return {
    leads: Number(leads.n),
    convertedLeads: Number(leads.converted ?? 0),
    opportunities: Number(opps.n),
    wonOpportunities: Number(won.n),
    wonAmount: Number(won.amount ?? 0),
    deals: sales.total.orders,
  };
}

export interface PipelineStage {
  stage: string;
  count: number;
  amount: number;
  /** Σ amount × win probability, rounded to the fen per stage. */
  weightedAmount: number;
}

/** Open opportunities (status open) now, by stage: the input of the pipeline-weighted forecast. */
export async function openPipeline(
  q: Q,
  owner: FactOwner,
): Promise<{ total: Omit<PipelineStage, 'stage'>; stages: PipelineStage[] }> {
  const rows = await (q as unknown as Kysely<any>)
    .selectFrom('opportunities')
    .select((eb) => [
      'stage',
      eb.fn.countAll().as('count'),
      eb.fn.sum('amount').as('amount'),
      eb.fn.sum(sql`amount * probability_bp`).as('weighted'),
    ])
    .where((eb) => ownerCondition(eb, owner))
    .where('status', '=', 'open')
    .groupBy('stage')
    .orderBy('stage')
    .execute();
  const stages = rows.map((r) => ({
    stage: String(r.stage),
    count: Number(r.count),
    amount: Number(r.amount ?? 0),
    weightedAmount: Math.round(Number(r.weighted ?? 0) / 10_000),
  }));
  const total = { count: 0, amount: 0, weightedAmount: 0 };
  for (const s of stages) {
    total.count += s.count;
    total.amount += s.amount;
    total.weightedAmount += s.weightedAmount;
  }
  return { total, stages };
}
