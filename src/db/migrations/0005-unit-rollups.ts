import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.ts';

/**
 * Member-free sales rollups per org unit, for the dashboards' company, region and team reads.
 *
 * `rollup_unit_month` and `rollup_unit_day` hold, for every unit U, the sales of U's whole subtree
 * (a line credited to a unit counts for that unit and every ancestor on its current path), keyed by
 * (org_unit_id, period, dim, key): dim '' is the total (key ''), and 'product_line', 'channel',
 * 'lifecycle' each split the same total by one dimension (key = the id as text, or the lifecycle).
 * The month table also splits by 'region', 'segment' and 'member'; the day table does not (it
 * would multiply its size for reads that only the ragged edges of custom ranges need).
 *
 * A company-year read is then 12 rows of one primary-key range instead of every member × product
 * line × channel × … row below it. The tables are filled here from the member-level rollups, so
 * an existing database needs no rebuild.
 */
export async function up(db: Kysely<any>): Promise<void> {
  for (const [table, period] of [
    ['rollup_unit_month', 'month'],
    ['rollup_unit_day', 'day'],
  ] as const) {
    // The key leads with (unit, dim, period) so that every read — one unit or its children, one
    // dim, a period range — is one contiguous primary-key range. On SQLite the table *is* that
    // index (WITHOUT ROWID), so the range carries the measures too; PostgreSQL reads few enough
    // rows per query that the heap lookups do not matter.
    const create = db.schema
      .createTable(table)
      .addColumn('org_unit_id', 'integer', (c) => c.notNull())
      .addColumn(period, 'text', (c) => c.notNull())
      .addColumn('dim', 'text', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('gross_profit', 'bigint', (c) => c.notNull())
      .addColumn('quantity', 'bigint', (c) => c.notNull())
      .addColumn('orders', 'integer', (c) => c.notNull())
      .addColumn('lines', 'integer', (c) => c.notNull())
      .addPrimaryKeyConstraint(`${table}_pk`, ['org_unit_id', 'dim', period, 'key']);
    await (isPostgres(db) ? create : create.modifyEnd(sql`without rowid`)).execute();
  }

  // Member owners read the fact tables by member and date; these had only unit-keyed indexes.
  await db.schema
    .createIndex('opportunities_member')
    .on('opportunities')
    .columns(['member_id', 'status'])
    .execute();
  await db.schema
    .createIndex('collections_member_date')
    .on('collections')
    .columns(['member_id', 'collected_date'])
    .execute();
  await db.schema
    .createIndex('leads_member_date')
    .on('leads')
    .columns(['member_id', 'created_date'])
    .execute();

  // Fill from the member-level rollups: every (unit, ancestor) pair by materialized path, in a
  // keyed temporary table (a LIKE join per rollup row would be re-run for every row).
  await sql`create temporary table tf_unit_ancestors (unit_id integer not null,
    ancestor_id integer not null, primary key (unit_id, ancestor_id))`.execute(db);
  await sql`insert into tf_unit_ancestors (unit_id, ancestor_id)
    select u.id, a.id from org_units u join org_units a on u.path like a.path || '%'`.execute(db);
  const ancestors = sql`tf_unit_ancestors`;
  const measures = sql`sum(r.amount), sum(r.gross_profit), sum(r.quantity), sum(r.orders), sum(r.lines)`;
  const cols = sql`amount, gross_profit, quantity, orders, lines`;
  const dims: [string, string | null, boolean][] = [
    ['', null, false],
    ['product_line', 'cast(r.product_line_id as text)', false],
    ['channel', 'cast(r.channel_id as text)', false],
    ['lifecycle', 'r.lifecycle', false],
    ['region', 'cast(r.region_id as text)', true],
    ['segment', 'cast(r.segment_id as text)', true],
    ['member', 'cast(r.member_id as text)', true],
  ];
  for (const [dim, key, monthOnly] of dims) {
    for (const [table, source, period] of [
      ['rollup_unit_month', 'rollup_sales_month', 'month'],
      ['rollup_unit_day', 'rollup_sales_day', 'day'],
    ] as const) {
      if (monthOnly && period === 'day') continue;
      await sql`insert into ${sql.table(table)} (org_unit_id, ${sql.ref(period)}, dim, key, ${cols})
        select x.ancestor_id, r.${sql.ref(period)}, ${sql.lit(dim)}, ${key ? sql.raw(key) : sql.lit('')}, ${measures}
        from ${sql.table(source)} r join ${ancestors} x on x.unit_id = r.org_unit_id
        group by x.ancestor_id, r.${sql.ref(period)}${key ? sql`, ${sql.raw(key)}` : sql``}
        having sum(r.lines) <> 0 or sum(r.amount) <> 0 or sum(r.gross_profit) <> 0
          or sum(r.quantity) <> 0 or sum(r.orders) <> 0`.execute(db);
    }
  }
  await sql`drop table tf_unit_ancestors`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['leads_member_date', 'collections_member_date', 'opportunities_member']) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
  await db.schema.dropTable('rollup_unit_day').ifExists().execute();
  await db.schema.dropTable('rollup_unit_month').ifExists().execute();
}
