import { sql, type Kysely, type RawBuilder, type Transaction } from 'kysely';
import { AppError } from '../domain/errors.ts';
import { toChildUnits } from './fact-totals.ts';
import { ownerCondition, type FactOwner, type SalesFilter, type SalesGroupBy } from './rollups.ts';
import type { CustomerFirstsTable, Database } from './schema.ts';
import { bulkInsert, isPostgres, selectWhereIn } from './sqlite-bulk.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * New customers as people: each customer counts once, in the period, for the member and unit, and
 * under the product line, channel, lifecycle, region and segment of their **first deal tagged new
 * or referral** — the primary line with the earliest order date, then the lowest external id
 * (compared as plain strings, as the primary-line rule does). A repeat order of a new customer
 * counts as a deal, not as another new customer.
 *
 * `customer_firsts` holds that line for every such customer (migration 0009). It is derived from
 * the order lines like the rollups: every write that adds, changes or removes lines refreshes the
 * customers it touched, `rebuildRollups` rebuilds it and `verifyRollups` compares it with a
 * recomputation. The dashboards read it, never the order lines: it has one row per customer.
 */
const NEW_CUSTOMER_LIFECYCLES: readonly string[] = ['new', 'referral'];

const COLUMNS = [
  'customer_id',
  'ext_id',
  'order_date',
  'member_id',
  'org_unit_id',
  'product_line_id',
  'channel_id',
  'lifecycle',
  'region_id',
  'segment_id',
] as const;

export type CustomerFirst = Record<(typeof COLUMNS)[number], string | number>;

/** Customers refreshed per statement. */
const CHUNK = 500;

const columnList = sql.join(COLUMNS.map((c) => sql.ref(c)));

/**
 * The first new/referral deal of every customer (or of `customerIds`) as the lines say. The
 * condition repeats the partial index's own (`order_lines_new_customer`), so it is used.
 */
function expected(q: Q, customerIds: readonly number[] | null): RawBuilder<CustomerFirst> {
  const byId = isPostgres(q as unknown as Kysely<any>)
    ? sql`ext_id collate "C"`
    : sql`ext_id collate binary`;
  const only = customerIds
    ? sql`and customer_id in (${sql.join(customerIds.map((id) => sql.lit(id)))})`
    : sql``;
  return sql<CustomerFirst>`select ${columnList} from (
      select ${columnList},
        row_number() over (partition by customer_id order by order_date, ${byId}) as rn
      from order_lines
      where is_primary = 1 and lifecycle in ('new', 'referral') and customer_id <> 0 ${only}) f
    where rn = 1`;
}

/** Recomputes the rows of these customers from their lines (after any change to them). */
export async function refreshCustomerFirsts(q: Q, customerIds: Iterable<number>): Promise<void> {
  // 0 (or nothing) is a line without a customer.
  const ids = [...new Set(customerIds)].filter((id) => Number.isInteger(id) && id > 0);
  ids.sort((a, b) => a - b);
  for (let i = 0; i < ids.length; i += CHUNK) {
    const chunk = ids.slice(i, i + CHUNK);
    await q.deleteFrom('customer_firsts').where('customer_id', 'in', chunk).execute();
    await sql`insert into customer_firsts (${columnList}) ${expected(q, chunk)}`.execute(q);
  }
}

/** Recomputes every row (with `rebuildRollups`). */
export async function rebuildCustomerFirsts(q: Q): Promise<number> {
  await q.deleteFrom('customer_firsts').execute();
  await sql`insert into customer_firsts (${columnList}) ${expected(q, null)}`.execute(q);
  const row = await q
    .selectFrom('customer_firsts')
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/** Stored rows that a recomputation does not have (`extra`) and the other way round (`missing`). */
export async function customerFirstsDifferences(
  q: Q,
  limit: number,
): Promise<{ extra: CustomerFirst[]; missing: CustomerFirst[] }> {
  const stored = sql`select ${columnList} from customer_firsts`;
  const want = sql`select ${columnList} from (${expected(q, null)}) e`;
  const extra = await sql<CustomerFirst>`${stored} except ${want} limit ${sql.lit(limit)}`.execute(
    q,
  );
  const missing =
    await sql<CustomerFirst>`${want} except ${stored} limit ${sql.lit(limit)}`.execute(q);
  return { extra: extra.rows, missing: missing.rows };
}

/** What an order line brings to the choice of a first deal: a row of the table, and its flag. */
export type FirstCandidate = CustomerFirstsTable & { is_primary: number };

/** Whether line `a` comes before line `b` as a first deal. */
function earlier(
  a: { order_date: string; ext_id: string },
  b: { order_date: string | number; ext_id: string | number },
): boolean {
  const bDate = String(b.order_date);
  return a.order_date < bDate || (a.order_date === bDate && a.ext_id < String(b.ext_id));
}

/**
 * The import's fast path: lines of orders with no stored line (so no stored line changed) can
 * only make a customer's first deal earlier, or give a customer their first one. Each such
 * customer's earliest candidate is compared with the stored row, looked up by key.
 */
export async function addFirstsOfNewLines(q: Q, lines: readonly FirstCandidate[]): Promise<void> {
  const best = new Map<number, FirstCandidate>();
  for (const l of lines) {
    if (l.is_primary !== 1 || !(l.customer_id > 0)) continue;
    if (!NEW_CUSTOMER_LIFECYCLES.includes(l.lifecycle)) continue;
    const b = best.get(l.customer_id);
    if (b === undefined || earlier(l, b)) best.set(l.customer_id, l);
  }
  if (best.size === 0) return;
  const anyQ = q as unknown as Kysely<any>;
  const stored = new Map<number, CustomerFirst>();
  for (const r of await selectWhereIn<CustomerFirst>(anyQ, 'customer_firsts', 'customer_id', [
    ...best.keys(),
  ]))
    stored.set(Number(r.customer_id), r);
  const rows: CustomerFirst[] = [];
  for (const [customer, l] of best) {
    const s = stored.get(customer);
    if (s !== undefined && !earlier(l, s)) continue;
    const row = {} as CustomerFirst;
    for (const c of COLUMNS) row[c] = l[c];
    rows.push(row);
  }
  if (rows.length === 0) return;
  const replaced = rows.map((r) => Number(r.customer_id)).filter((id) => stored.has(id));
  for (let i = 0; i < replaced.length; i += CHUNK)
    await q
      .deleteFrom('customer_firsts')
      .where('customer_id', 'in', replaced.slice(i, i + CHUNK))
      .execute();
  await bulkInsert(anyQ, 'customer_firsts', rows, 5_000, COLUMNS);
}

/** A member's lines from `fromDate` were re-credited to other units: their first deals follow. */
export async function recreditFirsts(q: Q, memberId: number, fromDate: string): Promise<void> {
  await sql`update customer_firsts set org_unit_id = coalesce((select l.org_unit_id
      from order_lines l where l.ext_id = customer_firsts.ext_id), org_unit_id)
    where member_id = ${memberId} and order_date >= ${fromDate}`.execute(q);
}

const GROUP_KEY: Record<SalesGroupBy, RawBuilder<unknown>> = {
  day: sql.ref('order_date'),
  month: sql`substr(order_date, 1, 7)`,
  product_line: sql.ref('product_line_id'),
  channel: sql.ref('channel_id'),
  lifecycle: sql.ref('lifecycle'),
  region: sql.ref('region_id'),
  segment: sql.ref('segment_id'),
  member: sql.ref('member_id'),
  child_unit: sql.ref('org_unit_id'),
};

const FILTER_COLUMN: Record<SalesFilter['dim'], string> = {
  product_line: 'product_line_id',
  channel: 'channel_id',
  lifecycle: 'lifecycle',
  region: 'region_id',
  segment: 'segment_id',
};

/**
 * New customers of an owner whose first deal falls in [start, end], optionally grouped (keys as
 * the sales rollups give them) and restricted to any of `filters` (a product line's subtree is
 * one filter per line). Every dimension works at any range: the rows are per customer, by day.
 */
export async function newCustomersIn(
  q: Q,
  query: FactOwner & {
    start: string;
    end: string;
    groupBy?: SalesGroupBy;
    filters?: readonly SalesFilter[] | null;
  },
): Promise<{ total: number; rows: { key: string | number; value: number }[] }> {
  const { groupBy, filters } = query;
  if (groupBy === 'child_unit' && !('unitPath' in query))
    throw new AppError('VALIDATION', { field: 'groupBy', reason: 'child_unit needs a unit' });
  const key = groupBy ? GROUP_KEY[groupBy] : sql.lit(0);
  let select = (q as unknown as Kysely<any>)
    .selectFrom('customer_firsts')
    .select((eb) => [key.as('key'), eb.fn.countAll().as('value')])
    .where((eb) => ownerCondition(eb, query))
    .where('order_date', '>=', query.start)
    .where('order_date', '<=', query.end);
  if (filters && filters.length > 0)
    select = select.where((eb) =>
      eb.or(
        filters.map((f) =>
          eb(
            eb.ref(FILTER_COLUMN[f.dim]),
            '=',
            f.dim === 'lifecycle' ? String(f.key) : Number(f.key),
          ),
        ),
      ),
    );
  if (groupBy) select = select.groupBy(key);
  const raw = (await select.execute()).map((r: Record<string, unknown>) => ({
    key:
      groupBy === 'day' || groupBy === 'month' || groupBy === 'lifecycle'
        ? String(r.key)
        : Number(r.key),
    value: Number(r.value ?? 0),
  }));
  const rows =
    groupBy === 'child_unit' && 'unitPath' in query
      ? await toChildUnits(q, query.unitPath, raw)
      : raw;
  return {
    total: rows.reduce((a, r) => a + r.value, 0),
    rows: groupBy
      ? rows
          .filter((r) => r.value !== 0)
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      : [],
  };
}

/** A customer's first deal as a scope check needs it (see `firstDealsOutside`). */
export interface FirstDealOutside {
  ext_id: string;
  order_date: string;
  /** The customer's code, for messages. */
  code: string;
}

/**
 * The first deals of these customers that are credited outside the subtrees `unitPaths`
 * (materialized path prefixes; none means everything is outside), by customer id: what a
 * manager's write must leave where it is (`checkWriteScope`, `deleteBatch`).
 */
export async function firstDealsOutside(
  q: Q,
  customerIds: Iterable<number>,
  unitPaths: readonly string[],
): Promise<Map<number, FirstDealOutside>> {
  const ids = [...new Set(customerIds)].filter((id) => Number.isInteger(id) && id > 0);
  const out = new Map<number, FirstDealOutside>();
  for (let i = 0; i < ids.length; i += CHUNK) {
    let select = q
      .selectFrom('customer_firsts as f')
      .innerJoin('org_units as ou', 'ou.id', 'f.org_unit_id')
      .innerJoin('customers as c', 'c.id', 'f.customer_id')
      .select(['f.customer_id', 'f.ext_id', 'f.order_date', 'c.code'])
      .where('f.customer_id', 'in', ids.slice(i, i + CHUNK));
    if (unitPaths.length > 0)
      select = select.where((eb) =>
        eb.not(eb.or(unitPaths.map((p) => eb('ou.path', 'like', `${p}%`)))),
      );
    for (const r of await select.execute())
      out.set(Number(r.customer_id), { ext_id: r.ext_id, order_date: r.order_date, code: r.code });
  }
  return out;
}
