import { beforeAll, expect, it } from 'vitest';
import { importFacts } from '../../src/app/facts/import-facts.ts';
import { describeEachDialect } from '../support/databases.ts';
import { csv, opts, seedFacts } from './facts-fixture.ts';

describeEachDialect('rounding amounts and deciding dates in the import worker', (t) => {
  beforeAll(async () => {
    await seedFacts(t.db);
  });

  it('Given amounts with 4 decimals across 3-row chunks, When imported half-up in the worker, Then the result counts every rounded amount across chunks', async () => {
    const lines = ['订单行号,下单日期,销售工号,客户,产品,金额'];
    // 7 rows, each 0.0025 元 = 0.25 fen over a whole fen (rounded down: -0.25 fen each).
    for (let i = 0; i < 7; i++) lines.push(`WR-${i},2026-03-0${i + 1},R1,C1,P1,10.0025`);
    const result = await importFacts(t.db, 'orders', csv(lines), 'r.csv', {
      ...opts,
      worker: true,
      chunkRows: 3,
      rounding: 'half-up',
    });
    expect(result).toMatchObject({
      rows: 7,
      inserted: 7,
      rounded: { count: 7, differenceFen: '-1.75' },
    });
    const amounts = await t.db
      .selectFrom('order_lines')
      .select('amount')
      .where('ext_id', 'like', 'WR-%')
      .execute();
    expect(amounts.map((a) => Number(a.amount))).toEqual(Array(7).fill(1000));
  });

  it('refuses the same file in the worker without a rounding choice', async () => {
    const file = csv([
      '订单行号,下单日期,销售工号,客户,产品,金额',
      'WX-1,2026-03-02,R1,C1,P1,1.001',
    ]);
    await expect(
      importFacts(t.db, 'orders', file, 'x.csv', { ...opts, worker: true }),
    ).rejects.toMatchObject({ code: 'IMPORT_INVALID' });
  });

  it('Given two-way dates in the first chunk and a day-first one in the last, When imported in the worker, Then the whole file reads DMY', async () => {
    const lines = ['订单行号,下单日期,销售工号,客户,产品,金额'];
    for (let i = 1; i <= 7; i++) lines.push(`WD-${i},${i}/3/2026,R1,C1,P1,1`);
    lines.push('WD-8,14/3/2026,R1,C1,P1,1');
    const result = await importFacts(t.db, 'orders', csv(lines), 'd.csv', {
      ...opts,
      worker: true,
      chunkRows: 3,
    });
    expect(result).toMatchObject({ rows: 8, inserted: 8, rejected: 0 });
    const dates = await t.db
      .selectFrom('order_lines')
      .select(['ext_id', 'order_date'])
      .where('ext_id', 'like', 'WD-%')
      .orderBy('ext_id')
      .execute();
    expect(dates.map((d) => d.order_date)).toEqual([
      '2026-03-01',
      '2026-03-02',
      '2026-03-03',
      '2026-03-04',
      '2026-03-05',
      '2026-03-06',
      '2026-03-07',
      '2026-03-14',
    ]);
  });
});
