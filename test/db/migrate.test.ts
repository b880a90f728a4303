import { expect, it } from 'vitest';
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
