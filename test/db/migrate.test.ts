import { sql } from 'kysely';
import { expect, it } from 'vitest';
import * as m0008 from '../../src/db/migrations/0008-member-rollups-member-first.ts';
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

describeEachDialect('migration 0008: member rollups keyed member first', (t) => {
  const row = {
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
  const { day: _day, ...rest } = row;
  const month = { ...rest, month: '2026-03', region_id: 4, segment_id: 6 };

  it('keeps every row down and up again, and the key still refuses a duplicate', async () => {
    await t.db.insertInto('rollup_sales_day').values(row).execute();
    await t.db.insertInto('rollup_sales_month').values(month).execute();
    await m0008.down(t.db);
    await m0008.up(t.db);
    expect(await t.db.selectFrom('rollup_sales_day').selectAll().execute()).toEqual([row]);
    expect(await t.db.selectFrom('rollup_sales_month').selectAll().execute()).toEqual([
      expect.objectContaining(month),
    ]);
    await expect(t.db.insertInto('rollup_sales_day').values(row).execute()).rejects.toThrow();
    await t.db.deleteFrom('rollup_sales_day').execute();
    await t.db.deleteFrom('rollup_sales_month').execute();
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
