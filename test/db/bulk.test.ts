import { expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { bulkDelete, bulkInsert, bulkUpsert, selectWhereIn } from '../../src/db/sqlite-bulk.ts';
import { describeEachDialect } from '../support/databases.ts';

/** Texts that break naive array literals, JSON or CSV: quotes, backslashes, braces, commas, NULL. */
const AWKWARD = [
  'a"b',
  'back\\slash',
  '{braces}',
  'x,y',
  'NULL',
  'null',
  '',
  ' padded ',
  '中文',
  "'",
  'line\nbreak',
];

describeEachDialect('bulkInsert and selectWhereIn', (t) => {
  const q = () => t.db as unknown as Kysely<any>;
  const rows = Array.from({ length: 12_345 }, (_, i) => ({
    dimension: 'channel',
    code: `K${i}`,
    name_zh: AWKWARD[i % AWKWARD.length]!,
    name_en: `${i}`,
    sort_order: i % 2 === 0 ? i : -i,
    updated_at: '2026-01-01T00:00:00.000Z',
  }));

  it('Given 12,345 rows with awkward texts, When bulk inserted in chunks, Then every row is stored exactly', async () => {
    await t.db
      .transaction()
      .execute((trx) =>
        bulkInsert(trx as unknown as Kysely<any>, 'dimension_members', rows, 1_000),
      );

    const stored = await t.db
      .selectFrom('dimension_members')
      .select(['code', 'name_zh', 'name_en', 'sort_order', 'attrs', 'version'])
      .where('code', 'like', 'K%')
      .execute();
    expect(stored).toHaveLength(rows.length);
    const byCode = new Map(stored.map((r) => [r.code, r]));
    for (const r of rows)
      expect(byCode.get(r.code)).toEqual({
        code: r.code,
        name_zh: r.name_zh,
        name_en: r.name_en,
        sort_order: r.sort_order,
        attrs: '{}',
        version: 1,
      });
  });

  it('Given keys beyond one statement, with repeats and unknown ones, When looked up, Then each stored match comes back once per stored row', async () => {
    const keys = [...rows.map((r) => r.code), 'K0', 'K12344', 'missing', ...AWKWARD];

    const found = await selectWhereIn<{ code: string; name_zh: string }>(
      q(),
      'dimension_members',
      'code',
      keys,
      ['code', 'name_zh'],
    );
    const byName = await selectWhereIn(q(), 'dimension_members', 'name_zh', AWKWARD);

    expect(found).toHaveLength(rows.length);
    expect(new Set(found.map((r) => r.code)).size).toBe(rows.length);
    expect(found.find((r) => r.code === 'K1')?.name_zh).toBe(AWKWARD[1]);
    expect(byName).toHaveLength(rows.length);
    expect(byName[0]).toHaveProperty('updated_at');
    expect(await selectWhereIn(q(), 'dimension_members', 'code', [])).toEqual([]);
  });

  it('Given a row that breaks a constraint, When bulk inserted in a transaction, Then none of the batch stays', async () => {
    const batch = [
      { ...rows[0]!, code: 'NEW-1' },
      { ...rows[0]!, code: 'K5' },
    ];

    const e = await t.db
      .transaction()
      .execute((trx) => bulkInsert(trx as unknown as Kysely<any>, 'dimension_members', batch, 10))
      .catch((err: unknown) => err);

    expect(e).toBeInstanceOf(Error);
    expect(
      await t.db.selectFrom('dimension_members').select('id').where('code', '=', 'NEW-1').execute(),
    ).toEqual([]);
  });

  it('Given stored rollup rows, When rows are upserted in chunks with half the keys already stored, Then stored keys add their measures and new keys are inserted', async () => {
    const key = ['org_unit_id', 'day', 'member_id', 'product_line_id', 'channel_id', 'lifecycle'];
    const measures = ['amount', 'gross_profit', 'quantity', 'orders', 'lines'];
    const row = (i: number, amount: number) => ({
      org_unit_id: 1 + (i % 3),
      day: `2026-01-${String(1 + (i % 28)).padStart(2, '0')}`,
      member_id: i,
      product_line_id: 0,
      channel_id: 0,
      lifecycle: i % 2 === 0 ? 'new' : '',
      amount,
      gross_profit: -amount,
      quantity: 1,
      orders: 1,
      lines: 1,
    });
    const first = Array.from({ length: 3_000 }, (_, i) => row(i, 100 + i));
    const second = Array.from({ length: 3_000 }, (_, i) => row(i + 1_500, 7));

    await t.db.transaction().execute(async (trx) => {
      await bulkUpsert(
        trx as unknown as Kysely<any>,
        'rollup_sales_day',
        first,
        key,
        measures,
        1_000,
      );
      await bulkUpsert(
        trx as unknown as Kysely<any>,
        'rollup_sales_day',
        second,
        key,
        measures,
        1_000,
      );
    });

    const stored = await t.db
      .selectFrom('rollup_sales_day')
      .select(['member_id', 'amount', 'gross_profit', 'lines'])
      .orderBy('member_id')
      .execute();
    expect(stored).toHaveLength(4_500);
    const at = (m: number) => stored.find((r) => r.member_id === m);
    expect(at(0)).toEqual({ member_id: 0, amount: 100, gross_profit: -100, lines: 1 });
    expect(at(1_500)).toEqual({ member_id: 1_500, amount: 1_607, gross_profit: -1_607, lines: 2 });
    expect(at(4_499)).toEqual({ member_id: 4_499, amount: 7, gross_profit: -7, lines: 1 });
  });

  it('Given keys in chunks, When bulk deleted with a condition, Then exactly the keyed rows that meet it are gone', async () => {
    const stored = await t.db
      .selectFrom('rollup_sales_day')
      .select(['org_unit_id', 'day', 'member_id', 'product_line_id', 'channel_id', 'lifecycle'])
      .orderBy('member_id')
      .execute();
    // Zero the measures of every third row, then ask to delete every other row if it is all zero.
    const third = stored.filter((_, i) => i % 3 === 0).map((r) => r.member_id);
    for (let i = 0; i < third.length; i += 500)
      await t.db
        .updateTable('rollup_sales_day')
        .set({ amount: 0, gross_profit: 0, quantity: 0, orders: 0, lines: 0 })
        .where('member_id', 'in', third.slice(i, i + 500))
        .execute();
    const asked = stored.filter((_, i) => i % 2 === 0);
    const key = ['org_unit_id', 'day', 'member_id', 'product_line_id', 'channel_id', 'lifecycle'];
    await t.db
      .transaction()
      .execute((trx) =>
        bulkDelete(
          trx as unknown as Kysely<any>,
          'rollup_sales_day',
          key,
          asked,
          '"lines" = 0 and "amount" = 0',
          700,
        ),
      );

    const left = new Set(
      (await t.db.selectFrom('rollup_sales_day').select('member_id').execute()).map(
        (r) => r.member_id,
      ),
    );
    const gone = stored.filter((_, i) => i % 6 === 0).map((r) => r.member_id);
    expect(left.size).toBe(stored.length - gone.length);
    for (const m of gone) expect(left.has(m)).toBe(false);
  });
});
