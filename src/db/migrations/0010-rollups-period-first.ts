import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.ts';

/**
 * The member rollups and the unit day rollup keyed period first.
 *
 * Orders arrive in time order: an import of a week's export writes that week's rollup rows. Keyed
 * member first (migration 0008), those rows land on every member's pages, so a 50,000-line file
 * dirtied a leaf page per member in each member table, and the commit wrote them all to the WAL
 * and back. Keyed by the period first, a file's new day rows are appended together at the end of
 * the table and its month rows fill one month's stretch of it. Reads name their periods (`day in
 * (…)`, `month in (…)`): one key probe per period and member (or unit), which the dashboards'
 * ranges keep to a few dozen. The unit month rollup keeps its unit-first key: it answers the
 * company-year reads as one key range and a file touches few of its rows.
 *
 * The key's columns are the same set, so every upsert's conflict target is unchanged.
 */
const MEASURES = ['amount', 'gross_profit', 'quantity', 'orders', 'lines'] as const;

interface Table {
  table: string;
  columns: readonly [string, 'integer' | 'text'][];
  up: readonly string[];
  down: readonly string[];
}

const MEMBER_COLUMNS = (period: string): [string, 'integer' | 'text'][] => [
  ['org_unit_id', 'integer'],
  ['member_id', 'integer'],
  [period, 'text'],
  ['product_line_id', 'integer'],
  ['channel_id', 'integer'],
  ['lifecycle', 'text'],
];

const TABLES: readonly Table[] = [
  {
    table: 'rollup_sales_day',
    columns: MEMBER_COLUMNS('day'),
    up: ['day', 'member_id', 'org_unit_id', 'product_line_id', 'channel_id', 'lifecycle'],
    down: ['member_id', 'day', 'org_unit_id', 'product_line_id', 'channel_id', 'lifecycle'],
  },
  {
    table: 'rollup_sales_month',
    columns: [...MEMBER_COLUMNS('month'), ['region_id', 'integer'], ['segment_id', 'integer']],
    up: [
      'month',
      'member_id',
      'org_unit_id',
      'product_line_id',
      'channel_id',
      'lifecycle',
      'region_id',
      'segment_id',
    ],
    down: [
      'member_id',
      'month',
      'org_unit_id',
      'product_line_id',
      'channel_id',
      'lifecycle',
      'region_id',
      'segment_id',
    ],
  },
  {
    table: 'rollup_unit_day',
    columns: [
      ['org_unit_id', 'integer'],
      ['day', 'text'],
      ['dim', 'text'],
      ['key', 'text'],
    ],
    up: ['day', 'org_unit_id', 'dim', 'key'],
    down: ['org_unit_id', 'dim', 'day', 'key'],
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const t of TABLES) await rekey(db, t, t.up);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of TABLES) await rekey(db, t, t.down);
}

/**
 * Gives `t.table` the primary key `key`. PostgreSQL swaps the constraint in place; SQLite, which
 * cannot change a primary key, copies the rows into a new WITHOUT ROWID table in key order and
 * renames it.
 */
async function rekey(db: Kysely<any>, t: Table, key: readonly string[]): Promise<void> {
  const pk = `${t.table}_pk`;
  const keyList = sql.join(key.map((c) => sql.ref(c)));
  if (isPostgres(db)) {
    await sql`alter table ${sql.table(t.table)} drop constraint ${sql.ref(pk)}`.execute(db);
    await sql`alter table ${sql.table(t.table)} add constraint ${sql.ref(pk)} primary key (${keyList})`.execute(
      db,
    );
    return;
  }
  const next = `${t.table}_next`;
  let create = db.schema.createTable(next);
  for (const [name, type] of t.columns) create = create.addColumn(name, type, (c) => c.notNull());
  for (const m of MEASURES)
    create = create.addColumn(m, m === 'orders' || m === 'lines' ? 'integer' : 'bigint', (c) =>
      c.notNull(),
    );
  await create
    .addPrimaryKeyConstraint(pk, key as never[])
    .modifyEnd(sql`without rowid`)
    .execute();
  const columns = sql.join([...t.columns.map(([c]) => c), ...MEASURES].map((c) => sql.ref(c)));
  await sql`insert into ${sql.table(next)} (${columns}) select ${columns} from ${sql.table(
    t.table,
  )} order by ${keyList}`.execute(db);
  await db.schema.dropTable(t.table).execute();
  await sql`alter table ${sql.table(next)} rename to ${sql.table(t.table)}`.execute(db);
}
