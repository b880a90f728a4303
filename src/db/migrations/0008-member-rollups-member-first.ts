import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.ts';

/**
 * The member-level rollups keyed member first, each one B-tree.
 *
 * `rollup_sales_day` and `rollup_sales_month` were keyed (org_unit_id, period, member_id, …) with
 * a second (member_id, period) index for the members' reads; on SQLite each was a rowid table as
 * well, so a new rollup row was written into three B-trees and an update looked up two. Since
 * migration 0005 units read their own rollups, and every remaining read of these tables is by
 * member: a member's own range, or a unit's members (listed by the unit month rollup's 'member'
 * dim) within the subtree. So the key now leads with the member and the period, the extra index
 * goes, and on SQLite the table is the key (WITHOUT ROWID): one B-tree per write.
 *
 * The key's columns are the same set, so every upsert's conflict target is unchanged.
 */
const TABLES = [
  {
    table: 'rollup_sales_day',
    period: 'day',
    rest: ['org_unit_id', 'product_line_id', 'channel_id', 'lifecycle'],
    extra: [],
  },
  {
    table: 'rollup_sales_month',
    period: 'month',
    rest: ['org_unit_id', 'product_line_id', 'channel_id', 'lifecycle', 'region_id', 'segment_id'],
    extra: ['region_id', 'segment_id'],
  },
] as const;

const MEASURES = ['amount', 'gross_profit', 'quantity', 'orders', 'lines'] as const;

export async function up(db: Kysely<any>): Promise<void> {
  for (const t of TABLES) {
    const key = ['member_id', t.period, ...t.rest];
    await rekey(db, t.table, t.period, t.extra, key, false);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TABLES) {
    const key = ['org_unit_id', t.period, 'member_id', ...t.rest.slice(1)];
    await rekey(db, t.table, t.period, t.extra, key, true);
  }
}

/**
 * Gives `table` the primary key `key`. PostgreSQL swaps the constraint in place; SQLite, which
 * cannot change a primary key, copies the rows into a new table in key order and renames it.
 * `withMemberIndex` recreates the old (member_id, period) index (the down migration).
 */
async function rekey(
  db: Kysely<any>,
  table: string,
  period: string,
  extra: readonly string[],
  key: readonly string[],
  withMemberIndex: boolean,
): Promise<void> {
  const pk = `${table}_pk`;
  const memberIndex = `${table}_member`;
  if (isPostgres(db)) {
    await sql`alter table ${sql.table(table)} drop constraint ${sql.ref(pk)}`.execute(db);
    await sql`alter table ${sql.table(table)} add constraint ${sql.ref(pk)} primary key (${sql.join(
      key.map((c) => sql.ref(c)),
    )})`.execute(db);
  } else {
    const next = `${table}_next`;
    let create = db.schema
      .createTable(next)
      .addColumn('org_unit_id', 'integer', (c) => c.notNull())
      .addColumn('member_id', 'integer', (c) => c.notNull())
      .addColumn(period, 'text', (c) => c.notNull())
      .addColumn('product_line_id', 'integer', (c) => c.notNull())
      .addColumn('channel_id', 'integer', (c) => c.notNull())
      .addColumn('lifecycle', 'text', (c) => c.notNull());
    for (const m of MEASURES)
      create = create.addColumn(m, m === 'orders' || m === 'lines' ? 'integer' : 'bigint', (c) =>
        c.notNull(),
      );
    for (const c of extra) create = create.addColumn(c, 'integer', (col) => col.notNull());
    create = create.addPrimaryKeyConstraint(pk, key as string[]);
    await (withMemberIndex ? create : create.modifyEnd(sql`without rowid`)).execute();
    const columns = sql.join(
      ['org_unit_id', 'member_id', period, 'product_line_id', 'channel_id', 'lifecycle']
        .concat(MEASURES, extra)
        .map((c) => sql.ref(c)),
    );
    await sql`insert into ${sql.table(next)} (${columns}) select ${columns} from ${sql.table(
      table,
    )} order by ${sql.join(key.map((c) => sql.ref(c)))}`.execute(db);
    await db.schema.dropTable(table).execute();
    await sql`alter table ${sql.table(next)} rename to ${sql.table(table)}`.execute(db);
  }
  if (withMemberIndex)
    await db.schema.createIndex(memberIndex).on(table).columns(['member_id', period]).execute();
  else await db.schema.dropIndex(memberIndex).ifExists().execute();
}
