import { sql } from 'kysely';
import { expect, it } from 'vitest';
import * as m0008 from '../../src/db/migrations/0008-member-rollups-member-first.ts';
import * as m0009 from '../../src/db/migrations/0009-customer-firsts.ts';
import * as m0010 from '../../src/db/migrations/0010-rollups-period-first.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { describeEachDialect } from '../support/databases.ts';

describeEachDialect('migrations', (t) => {
  it('are applied once and a second run is a no-op', async () => {
    expect(await migrateToLatest(t.db)).toEqual([]);
  });

  it('store money as exact integers beyond 2^31 fen', async () => {
    const now = '2026-01-01T00:00:00.000Z';
    await t.db
      .insertInto('dimension_members')
      .values({
        dimension: 'segment',
        code: 'KA',
        name_zh: '大客户',
        name_en: 'Key account',
        attrs: '{}',
        updated_at: now,
      })
      .execute();
    const { id } = await t.db
      .insertInto('customers')
      .values({
        code: 'C1',
        name_zh: '甲',
        name_en: 'A',
        annual_purchase: 123_456_789_012,
        tier: 'A',
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const row = await t.db
      .selectFrom('customers')
      .select(['annual_purchase'])
      .where('id', '=', id)
      .executeTakeFirstOrThrow();
    expect(row.annual_purchase).toBe(123_456_789_012);
  });
});

/** One member day rollup row and its month row, for the migrations that re-key those tables. */
const day = {
  org_unit_id: 3,
  member_id: 7,
  day: '2026-03-04',
  product_line_id: 2,
  channel_id: 1,
  lifecycle: 'new',
  amount: 123_456_789_012,
  gross_profit: 5,
  quantity: 2,
  orders: 1,
  lines: 3,
};
const { day: _day, ...rest } = day;
const month = { ...rest, month: '2026-03', region_id: 4, segment_id: 6 };

describeEachDialect('migration 0008: member rollups keyed member first', (t) => {
  const row = day;

  it('keeps every row down and up again, and the key still refuses a duplicate', async () => {
    await t.db.insertInto('rollup_sales_day').values(row).execute();
    await t.db.insertInto('rollup_sales_month').values(month).execute();
    await m0010.down(t.db);
    await m0008.down(t.db);
    await m0008.up(t.db);
    await m0010.up(t.db);
    expect(await t.db.selectFrom('rollup_sales_day').selectAll().execute()).toEqual([row]);
    expect(await t.db.selectFrom('rollup_sales_month').selectAll().execute()).toEqual([
      expect.objectContaining(month),
    ]);
    await expect(t.db.insertInto('rollup_sales_day').values(row).execute()).rejects.toThrow();
    await t.db.deleteFrom('rollup_sales_day').execute();
    await t.db.deleteFrom('rollup_sales_month').execute();
  });
});

describeEachDialect('migration 0009: customer_firsts', (t) => {
  it('fills each customer’s first new or referral deal from the lines already there', async () => {
    let n = 0;
    const line = (
      customer: number,
      date: string,
      lifecycle: 'new' | 'referral' | 'existing',
      ext: string,
      primary = 1,
    ) => ({
      ext_id: ext,
      batch_id: 1,
      order_no: `M9-${++n}`,
      is_primary: primary,
      order_date: date,
      member_id: 5,
      org_unit_id: 3,
      customer_id: customer,
      lifecycle,
      amount: 100,
    });
    await t.db
      .insertInto('order_lines')
      .values([
        line(11, '2026-03-02', 'existing', 'M9-A'), // not a new-customer deal
        line(11, '2026-03-05', 'new', 'M9-C'),
        line(11, '2026-03-05', 'referral', 'M9-B'), // same day, lower id: this one
        line(12, '2026-01-01', 'new', 'M9-D', 0), // not primary
        line(12, '2026-02-01', 'new', 'M9-E'),
        line(0, '2026-01-01', 'new', 'M9-F'), // no customer
      ])
      .execute();
    await m0009.down(t.db);
    await m0009.up(t.db);
    const firsts = await t.db
      .selectFrom('customer_firsts')
      .select(['customer_id', 'ext_id', 'order_date', 'lifecycle'])
      .orderBy('customer_id')
      .execute();
    expect(firsts).toEqual([
      { customer_id: 11, ext_id: 'M9-B', order_date: '2026-03-05', lifecycle: 'referral' },
      { customer_id: 12, ext_id: 'M9-E', order_date: '2026-02-01', lifecycle: 'new' },
    ]);
    await t.db.deleteFrom('order_lines').where('ext_id', 'like', 'M9-%').execute();
    await t.db.deleteFrom('customer_firsts').execute();
  });
});

describeEachDialect('connections', (t) => {
  it('are set up as designed: PostgreSQL without JIT on every pooled connection, SQLite with foreign keys and synchronous NORMAL', async () => {
    if (t.dialect === 'postgres') {
      // Several at once, so the pool opens more than one connection.
      const settings = await Promise.all(
        Array.from({ length: 4 }, () => sql<{ jit: string }>`show jit`.execute(t.db)),
      );
      expect(settings.map((r) => r.rows[0]?.jit)).toEqual(['off', 'off', 'off', 'off']);
    } else {
      const fk = await sql<{ foreign_keys: number }>`pragma foreign_keys`.execute(t.db);
      const sync = await sql<{ synchronous: number }>`pragma synchronous`.execute(t.db);
      expect([fk.rows[0]?.foreign_keys, sync.rows[0]?.synchronous]).toEqual([1, 1]);
    }
  });
});

describeEachDialect('migration 0010: rollups keyed period first', (t) => {
  const unitDay = {
    org_unit_id: 3,
    day: '2026-03-04',
    dim: 'channel',
    key: '1',
    amount: 9,
    gross_profit: 1,
    quantity: 1,
    orders: 1,
    lines: 1,
  };
  const primaryKey = async (table: string): Promise<string[]> =>
    t.dialect === 'postgres'
      ? (
          await sql<{ column: string }>`select a.attname as column
            from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
            where i.indrelid = ${table}::regclass and i.indisprimary
            order by array_position(i.indkey, a.attnum)`.execute(t.db)
        ).rows.map((r) => r.column)
      : (
          await sql<{
            name: string;
            pk: number;
          }>`select name, pk from pragma_table_info(${table})`.execute(t.db)
        ).rows
          .filter((r) => r.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((r) => r.name);

  it('leads each key with the period, keeps every row down and up again, and still refuses a duplicate', async () => {
    await t.db.insertInto('rollup_sales_day').values(day).execute();
    await t.db.insertInto('rollup_sales_month').values(month).execute();
    await t.db.insertInto('rollup_unit_day').values(unitDay).execute();
    expect(await primaryKey('rollup_sales_day')).toEqual([
      'day',
      'member_id',
      'org_unit_id',
      'product_line_id',
      'channel_id',
      'lifecycle',
    ]);
    expect((await primaryKey('rollup_sales_month')).slice(0, 2)).toEqual(['month', 'member_id']);
    expect(await primaryKey('rollup_unit_day')).toEqual(['day', 'org_unit_id', 'dim', 'key']);
    await m0010.down(t.db);
    expect((await primaryKey('rollup_sales_day')).slice(0, 2)).toEqual(['member_id', 'day']);
    expect(await primaryKey('rollup_unit_day')).toEqual(['org_unit_id', 'dim', 'day', 'key']);
    await m0010.up(t.db);
    expect(await t.db.selectFrom('rollup_sales_day').selectAll().execute()).toEqual([day]);
    expect(await t.db.selectFrom('rollup_sales_month').selectAll().execute()).toEqual([
      expect.objectContaining(month),
    ]);
    expect(await t.db.selectFrom('rollup_unit_day').selectAll().execute()).toEqual([unitDay]);
    await expect(t.db.insertInto('rollup_sales_day').values(day).execute()).rejects.toThrow();
    await expect(t.db.insertInto('rollup_unit_day').values(unitDay).execute()).rejects.toThrow();
    await t.db.deleteFrom('rollup_sales_day').execute();
    await t.db.deleteFrom('rollup_sales_month').execute();
    await t.db.deleteFrom('rollup_unit_day').execute();
  });
});
