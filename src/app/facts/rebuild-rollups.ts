import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { bumpDataGeneration } from '../../db/generations.ts';
import { customerFirstsDifferences, rebuildCustomerFirsts } from '../../db/customer-firsts.ts';
import { DIM_COLUMN, UNIT_DAY_DIMS, UNIT_MONTH_DIMS } from '../../db/unit-rollups.ts';
import { addDays } from '../../domain/dates.ts';
import type { Q } from './kind.ts';
import { DAY_KEY, MONTH_KEY, UNIT_DAY_KEY, UNIT_MONTH_KEY } from './rollup-deltas.ts';

const MEASURES = ['amount', 'gross_profit', 'quantity', 'orders', 'lines'] as const;
type Measures = Record<(typeof MEASURES)[number], number>;

type RollupTable =
  'rollup_sales_day' | 'rollup_sales_month' | 'rollup_unit_day' | 'rollup_unit_month';

export interface RollupDifference {
  table: RollupTable | 'customer_firsts';
  key: Record<string, string | number>;
  /** The measures (or, for customer_firsts, the first deal) stored and recomputed; null when absent. */
  stored: Record<string, string | number> | null;
  expected: Record<string, string | number> | null;
}

const KEY_OF: Record<RollupTable, readonly string[]> = {
  rollup_sales_day: DAY_KEY,
  rollup_sales_month: MONTH_KEY,
  rollup_unit_day: UNIT_DAY_KEY,
  rollup_unit_month: UNIT_MONTH_KEY,
};

const sums = sql`sum(r.amount) as amount, sum(r.gross_profit) as gross_profit,
  sum(r.quantity) as quantity, sum(r.orders) as orders, sum(r.lines) as lines`;

/**
 * Every (unit, ancestor-or-self) pair by materialized path, as a temporary table with a primary
 * key: joined per rollup row, a `LIKE` join over org_units would be re-run for every row.
 */
const ANCESTORS = sql`tf_unit_ancestors`;

async function createAncestors(trx: Q): Promise<void> {
  await sql`drop table if exists tf_unit_ancestors`.execute(trx);
  await sql`create temporary table tf_unit_ancestors (unit_id integer not null,
    ancestor_id integer not null, primary key (unit_id, ancestor_id))`.execute(trx);
  await sql`insert into tf_unit_ancestors (unit_id, ancestor_id)
    select u.id, a.id from org_units u join org_units a on u.path like a.path || '%'`.execute(trx);
}

async function dropAncestors(trx: Q): Promise<void> {
  await sql`drop table tf_unit_ancestors`.execute(trx);
}

/**
 * The member-level day rollup as the lines of `source` say (order_lines, or the verify's
 * per-chunk sum of them): one GROUP BY.
 */
function memberDay(source: RawBuilder<unknown>) {
  return sql`select r.org_unit_id, r.day, r.member_id, r.product_line_id, r.channel_id,
    r.lifecycle, ${sums} from ${source} r
    group by r.org_unit_id, r.day, r.member_id, r.product_line_id, r.channel_id, r.lifecycle`;
}

function memberMonth(source: RawBuilder<unknown>) {
  const month = sql`substr(r.day, 1, 7)`;
  return sql`select r.org_unit_id, ${month} as month, r.member_id, r.product_line_id, r.channel_id,
    r.lifecycle, r.region_id, r.segment_id, ${sums} from ${source} r
    group by r.org_unit_id, ${month}, r.member_id, r.product_line_id, r.channel_id, r.lifecycle,
      r.region_id, r.segment_id`;
}

/**
 * The lines of these members in a date range, summed by the finest rollup key (day × every
 * dimension). `member_id IN (…) AND order_date BETWEEN` is a set of range seeks on the
 * (member_id, order_date) index, so a chunk reads its own lines, not the whole table.
 */
function lineSums(memberIds: readonly number[], range: [string, string]) {
  const members = memberIds.length > 0 ? sql.join(memberIds.map((id) => sql.lit(id))) : sql`null`;
  return sql`(select org_unit_id, order_date as day, member_id, product_line_id, channel_id,
    lifecycle, region_id, segment_id, sum(amount) as amount, sum(gross_profit) as gross_profit,
    sum(quantity) as quantity, sum(is_primary) as orders, count(*) as lines
    from order_lines
    where member_id in (${members}) and order_date >= ${range[0]} and order_date <= ${range[1]}
    group by org_unit_id, order_date, member_id, product_line_id, channel_id, lifecycle,
      region_id, segment_id)`;
}

/**
 * A unit rollup from a member-level source: each source row counts for its unit and every
 * ancestor, once per dim (UNION ALL of one two-level GROUP BY per dim). `period` is the source's period
 * expression (`r.day`, `r.month`, or `substr(r.day, 1, 7)` to make months out of days).
 */
function unitRollup(
  source: RawBuilder<unknown>,
  grain: 'day' | 'month',
  period: RawBuilder<unknown>,
): RawBuilder<unknown> {
  const dims = grain === 'day' ? UNIT_DAY_DIMS : UNIT_MONTH_DIMS;
  return sql.join(
    dims.map((dim) => {
      const key =
        dim === ''
          ? null
          : dim === 'lifecycle'
            ? sql`r.lifecycle`
            : sql`cast(${sql.ref(`r.${DIM_COLUMN[dim]}`)} as text)`;
      // Summed per unit first, so the ancestor join multiplies unit × period × key rows, not
      // every member-level row. PostgreSQL refuses a constant in GROUP BY, so the total's key
      // ('') is left out of the inner one.
      return sql`select x.ancestor_id as org_unit_id, ${sql.lit(dim)} as dim, u.p as ${sql.ref(grain)},
        u.k as key, sum(u.amount) as amount, sum(u.gross_profit) as gross_profit,
        sum(u.quantity) as quantity, sum(u.orders) as orders, sum(u.lines) as lines
        from (select r.org_unit_id, ${period} as p, ${key ?? sql.lit('')} as k, ${sums}
          from ${source} r group by r.org_unit_id, ${period}${key ? sql`, ${key}` : sql``}) u
        join ${ANCESTORS} x on x.unit_id = u.org_unit_id
        group by x.ancestor_id, u.p, u.k`;
    }),
    sql` union all `,
  );
}

/**
 * The key columns in the order the recomputing SELECTs produce them (`memberDay`, `memberMonth`,
 * `unitRollup`), which INSERT … SELECT matches by position; the tables' primary keys order the
 * same columns differently (`KEY_OF`).
 */
const COLUMN_ORDER: Record<RollupTable, readonly string[]> = {
  rollup_sales_day: [
    'org_unit_id',
    'day',
    'member_id',
    'product_line_id',
    'channel_id',
    'lifecycle',
  ],
  rollup_sales_month: [
    'org_unit_id',
    'month',
    'member_id',
    'product_line_id',
    'channel_id',
    'lifecycle',
    'region_id',
    'segment_id',
  ],
  rollup_unit_day: ['org_unit_id', 'dim', 'day', 'key'],
  rollup_unit_month: ['org_unit_id', 'dim', 'month', 'key'],
};

function columnList(table: RollupTable): RawBuilder<unknown> {
  return sql.join([...COLUMN_ORDER[table], ...MEASURES].map((c) => sql.ref(c)));
}

async function count(q: Q, table: RollupTable): Promise<number> {
  const row = await (q as unknown as Kysely<any>)
    .selectFrom(table)
    .select((eb) => eb.fn.countAll().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Recomputes every rollup with INSERT … SELECT … GROUP BY, in one transaction: the member-level
 * ones from the order lines, then the unit ones from the member-level ones. The repair for
 * whatever `verifyRollups` reports, and the way to fill the rollups after a bulk load that
 * bypassed the importer.
 */
export async function rebuildRollups(db: Db): Promise<{
  dayRows: number;
  monthRows: number;
  unitDayRows: number;
  unitMonthRows: number;
}> {
  return db.transaction().execute(async (trx) => {
    for (const t of Object.keys(KEY_OF) as RollupTable[]) await trx.deleteFrom(t).execute();
    // Straight from the lines: one GROUP BY each (the verify's two-level sums cost more here).
    await sql`insert into rollup_sales_day (${columnList('rollup_sales_day')})
      ${memberDay(sql`(select org_unit_id, order_date as day, member_id, product_line_id,
        channel_id, lifecycle, amount, gross_profit, quantity, is_primary as orders, 1 as lines
        from order_lines)`)}`.execute(trx);
    await sql`insert into rollup_sales_month (${columnList('rollup_sales_month')})
      ${memberMonth(sql`(select org_unit_id, order_date as day, member_id, product_line_id,
        channel_id, lifecycle, region_id, segment_id, amount, gross_profit, quantity,
        is_primary as orders, 1 as lines from order_lines)`)}`.execute(trx);
    await createAncestors(trx);
    await sql`insert into rollup_unit_day (${columnList('rollup_unit_day')})
      select ${columnList('rollup_unit_day')} from (${unitRollup(sql`rollup_sales_day`, 'day', sql`r.day`)}) u`.execute(
      trx,
    );
    await sql`insert into rollup_unit_month (${columnList('rollup_unit_month')})
      select ${columnList('rollup_unit_month')} from (${unitRollup(sql`rollup_sales_month`, 'month', sql`r.month`)}) u`.execute(
      trx,
    );
    await dropAncestors(trx);
    await rebuildCustomerFirsts(trx);
    // Every rollup was rewritten without a fact batch: cached dashboard answers must go.
    await bumpDataGeneration(trx);
    return {
      dayRows: await count(trx, 'rollup_sales_day'),
      monthRows: await count(trx, 'rollup_sales_month'),
      unitDayRows: await count(trx, 'rollup_unit_day'),
      unitMonthRows: await count(trx, 'rollup_unit_month'),
    };
  });
}

export interface VerifyOptions {
  /** Months of facts compared per step (bounds the temporary table and each EXCEPT). */
  monthsPerChunk?: number;
  /** At most this many differences are returned. */
  limit?: number;
}

/**
 * Compares every stored rollup with a full recomputation from the order lines and returns the
 * keys where they differ (missing, extra, or different sums), at most `limit` of them. Empty
 * means the rollups are right.
 *
 * The comparison runs in SQL, a range of months at a time, inside one transaction (one
 * consistent snapshot): the chunk's order lines are summed once into a temporary table at the
 * finest key (day × every dimension), each rollup's expected rows are grouped from it, and
 * `stored EXCEPT expected` / `expected EXCEPT stored` return only the differing rows — so memory
 * stays constant however many lines there are. The unit rollups' expectation is computed from
 * the lines with its own ancestor join, independently of the member-level rollups.
 */
export async function verifyRollups(
  db: Db,
  options: VerifyOptions = {},
): Promise<RollupDifference[]> {
  const chunk = Math.max(1, options.monthsPerChunk ?? 3);
  const limit = Math.max(1, options.limit ?? 1000);
  const diffs: RollupDifference[] = [];
  return db.transaction().execute(async (trx) => {
    const scope = await verifyScope(trx);
    if (!scope.range) {
      await compareCustomerFirsts(trx, diffs, limit);
      return diffs;
    }
    await createAncestors(trx);
    for (let from = scope.range[0]; from <= scope.range[1]; from = addMonths(from, chunk)) {
      const to = minMonth(addMonths(from, chunk - 1), scope.range[1]);
      const days: [string, string] = [`${from}-01`, lastDay(to)];
      await sql`drop table if exists tf_verify_lines`.execute(trx);
      await sql`drop table if exists tf_verify_expected`.execute(trx);
      await sql`create temporary table tf_verify_lines as
        select * from ${lineSums(scope.memberIds, days)} l`.execute(trx);
      const lines = sql`tf_verify_lines`;
      const expected: Record<RollupTable, RawBuilder<unknown>> = {
        rollup_sales_day: memberDay(lines),
        rollup_sales_month: memberMonth(lines),
        rollup_unit_day: unitRollup(lines, 'day', sql`r.day`),
        rollup_unit_month: unitRollup(lines, 'month', sql`substr(r.day, 1, 7)`),
      };
      for (const table of Object.keys(KEY_OF) as RollupTable[]) {
        const room = limit - diffs.length;
        if (room <= 0) break;
        const period = table.endsWith('_day') ? 'day' : 'month';
        const [lo, hi] = period === 'day' ? days : [from, to];
        // Units (and dims) listed so the range is a set of primary-key seeks, not a table scan.
        const { units, dims } = scope.tables[table];
        const stored = sql`select ${columnList(table)} from ${sql.table(table)}
          where org_unit_id in (${inList(units)})
            ${dims ? sql`and dim in (${inList(dims)})` : sql``}
            and ${sql.ref(period)} >= ${lo} and ${sql.ref(period)} <= ${hi}`;
        // Computed once into a temporary table, read by both EXCEPTs.
        await sql`create temporary table tf_verify_expected as
          select ${columnList(table)} from (${expected[table]}) e`.execute(trx);
        const want = sql`select ${columnList(table)} from tf_verify_expected`;
        const extra = await sql<
          Record<string, unknown>
        >`${stored} except ${want} limit ${sql.lit(room)}`.execute(trx);
        const missing = await sql<
          Record<string, unknown>
        >`${want} except ${stored} limit ${sql.lit(room)}`.execute(trx);
        await sql`drop table tf_verify_expected`.execute(trx);
        pair(table, extra.rows, missing.rows, diffs, limit);
      }
      await sql`drop table tf_verify_lines`.execute(trx);
      if (diffs.length >= limit) break;
    }
    await dropAncestors(trx);
    await compareCustomerFirsts(trx, diffs, limit);
    return diffs.slice(0, limit);
  });
}

/** Appends the differences of `customer_firsts` from a recomputation, up to `limit` in all. */
async function compareCustomerFirsts(
  q: Q,
  diffs: RollupDifference[],
  limit: number,
): Promise<void> {
  if (diffs.length >= limit) return;
  const { extra, missing } = await customerFirstsDifferences(q, limit - diffs.length);
  const want = new Map(missing.map((r) => [Number(r.customer_id), r]));
  const push = (d: RollupDifference) => {
    if (diffs.length < limit) diffs.push(d);
  };
  for (const r of extra) {
    const id = Number(r.customer_id);
    push({
      table: 'customer_firsts',
      key: { customer_id: id },
      stored: r,
      expected: want.get(id) ?? null,
    });
    want.delete(id);
  }
  for (const e of want.values())
    push({
      table: 'customer_firsts',
      key: { customer_id: Number(e.customer_id) },
      stored: null,
      expected: e,
    });
}

function inList(values: readonly (string | number)[]): RawBuilder<unknown> {
  return values.length > 0 ? sql.join(values.map((v) => sql.lit(v))) : sql`null`;
}

interface VerifyScope {
  /** The first and last month holding lines or stored rollup rows; null when there are none. */
  range: [string, string] | null;
  /** Every member id on a line (0: unit-owned lines). */
  memberIds: number[];
  /** The unit ids (and, in the unit rollups, the dims) stored in each rollup. */
  tables: Record<RollupTable, { units: number[]; dims: string[] | null }>;
}

/**
 * What the chunks have to cover, in one pass over each index: the members with lines and their
 * first and last dates (the (member_id, order_date) index answers it without reading a line),
 * and the unit ids, dims and period bounds of what is stored.
 */
async function verifyScope(q: Q): Promise<VerifyScope> {
  const anyQ = q as unknown as Kysely<any>;
  const bounds: string[] = [];
  const members = await anyQ
    .selectFrom('order_lines')
    .select((eb) => [
      'member_id',
      eb.fn.min('order_date').as('lo'),
      eb.fn.max('order_date').as('hi'),
    ])
    .groupBy('member_id')
    .execute();
  for (const m of members) bounds.push(String(m.lo).slice(0, 7), String(m.hi).slice(0, 7));
  const tables = {} as VerifyScope['tables'];
  for (const table of Object.keys(KEY_OF) as RollupTable[]) {
    const period = table.endsWith('_day') ? 'day' : 'month';
    const unit = table.startsWith('rollup_unit');
    const rows = await anyQ
      .selectFrom(table)
      .select((eb) => [
        'org_unit_id',
        ...(unit ? ['dim'] : []),
        eb.fn.min(period).as('lo'),
        eb.fn.max(period).as('hi'),
      ])
      .groupBy(unit ? ['org_unit_id', 'dim'] : ['org_unit_id'])
      .execute();
    for (const r of rows) bounds.push(String(r.lo).slice(0, 7), String(r.hi).slice(0, 7));
    tables[table] = {
      units: [...new Set(rows.map((r) => Number(r.org_unit_id)))],
      dims: unit ? [...new Set(rows.map((r) => String(r.dim)))] : null,
    };
  }
  bounds.sort();
  return {
    range: bounds.length > 0 ? [bounds[0]!, bounds[bounds.length - 1]!] : null,
    memberIds: members.map((m) => Number(m.member_id)),
    tables,
  };
}

/** Rows only in the stored rollup and rows only in the expectation, paired by key. */
function pair(
  table: RollupTable,
  extra: readonly Record<string, unknown>[],
  missing: readonly Record<string, unknown>[],
  out: RollupDifference[],
  limit: number,
): void {
  const keyCols = KEY_OF[table];
  const keyOf = (r: Record<string, unknown>) => keyCols.map((k) => String(r[k])).join('\u0001');
  const measures = (r: Record<string, unknown>): Measures => ({
    amount: Number(r.amount),
    gross_profit: Number(r.gross_profit),
    quantity: Number(r.quantity),
    orders: Number(r.orders),
    lines: Number(r.lines),
  });
  const want = new Map(missing.map((r) => [keyOf(r), r]));
  for (const r of extra) {
    if (out.length >= limit) return;
    const k = keyOf(r);
    const e = want.get(k);
    want.delete(k);
    out.push({
      table,
      key: keyFields(keyCols, r),
      stored: measures(r),
      expected: e ? measures(e) : null,
    });
  }
  for (const e of want.values()) {
    if (out.length >= limit) return;
    out.push({ table, key: keyFields(keyCols, e), stored: null, expected: measures(e) });
  }
}

function keyFields(
  cols: readonly string[],
  r: Record<string, unknown>,
): Record<string, string | number> {
  return Object.fromEntries(cols.map((c) => [c, r[c] as string | number]));
}

function addMonths(month: string, n: number): string {
  const i = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`;
}

function minMonth(a: string, b: string): string {
  return a < b ? a : b;
}

function lastDay(month: string): string {
  return addDays(`${addMonths(month, 1)}-01`, -1);
}
