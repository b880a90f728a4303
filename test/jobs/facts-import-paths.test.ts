import { beforeAll, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { importFacts } from '../../src/app/facts/import-facts.ts';
import { primaryLines } from '../../src/app/facts/primary-lines.ts';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { describeEachDialect } from '../support/databases.ts';
import { csv, opts, seedFacts } from './facts-fixture.ts';

const HEAD = '订单行号,订单号,下单日期,销售工号,客户,产品,金额,渠道,客户类别';

/**
 * The orders import computes the primary-line flags of orders it creates in memory and recomputes
 * only orders that already had stored lines; these tests hold both paths, and a file mixing them,
 * to the one rule and to a full recomputation of the rollups.
 */
describeEachDialect('orders import paths', (t) => {
  beforeAll(async () => {
    await seedFacts(t.db);
  });

  const flags = async (orderNos: string[]) =>
    Object.fromEntries(
      (
        await t.db
          .selectFrom('order_lines')
          .select(['ext_id', 'is_primary'])
          .where('order_no', 'in', orderNos)
          .execute()
      ).map((r) => [r.ext_id, r.is_primary]),
    );

  /** Every stored line's flag is what the rule gives for the lines stored now. */
  const expectFlagsFollowTheRule = async () => {
    const lines = (
      await t.db
        .selectFrom('order_lines')
        .select(['ext_id', 'order_no', 'amount', 'is_primary'])
        .execute()
    ).map((l) => ({ ...l, amount: Number(l.amount) }));
    const primary = primaryLines(lines);
    const wrong = lines.filter(
      (l) => l.is_primary !== (primary.get(l.order_no) === l.ext_id ? 1 : 0),
    );
    expect(wrong).toEqual([]);
  };

  const dealsIn = async (month: string) =>
    Number(
      (
        await t.db
          .selectFrom('rollup_sales_month')
          .select((eb) => eb.fn.sum<number>('orders').as('orders'))
          .where('month', '=', month)
          .executeTakeFirstOrThrow()
      ).orders ?? 0,
    );

  it('Given an order stored by an earlier file, When a later file adds a lower positive line and a refund to it, Then the new line takes the flag and the order still counts once', async () => {
    await importFacts(
      t.db,
      'orders',
      csv([HEAD, 'E-2,EO-1,2026-01-10,R2,C1,P1,100,OWN,新客']),
      'e1.csv',
      opts,
    );
    expect(await flags(['EO-1'])).toEqual({ 'E-2': 1 });

    const res = await importFacts(
      t.db,
      'orders',
      csv([
        HEAD,
        'E-3,EO-1,2026-01-10,R2,C1,P1,-20,OWN,新客',
        'E-1,EO-1,2026-01-10,R2,C1,P2,50,OWN,新客',
      ]),
      'e2.csv',
      opts,
    );

    expect(res).toMatchObject({ inserted: 2, updated: 0, unchanged: 0 });
    expect(await flags(['EO-1'])).toEqual({ 'E-1': 1, 'E-2': 0, 'E-3': 0 });
    expect(await dealsIn('2026-01')).toBe(1);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('Given stored orders, When one file brings new orders, lines for stored orders, a line moved out of a stored order into a new one and a refund-only order, Then every flag follows the rule and the rollups equal a recomputation', async () => {
    await importFacts(
      t.db,
      'orders',
      csv([
        HEAD,
        'M-1,MO-1,2026-02-03,R2,C1,P1,100,OWN,老客',
        'M-2,MO-1,2026-02-03,R2,C1,P2,100,OWN,老客',
        'M-3,MO-2,2026-02-04,R3,C2,P1,100,PARTNER,新客',
      ]),
      'm1.csv',
      opts,
    );
    expect(await dealsIn('2026-02')).toBe(2);

    const mixed = csv([
      HEAD,
      // A new order whose first line is a refund: the positive line counts it.
      'N-1,NO-1,2026-02-05,R2,C1,P1,-10,OWN,新客',
      'N-2,NO-1,2026-02-05,R2,C1,P2,40,OWN,新客',
      // M-1 moves from MO-1 to a new order: MO-1 falls back to M-2, MO-9 is made of M-1.
      'M-1,MO-9,2026-02-06,R1,C1,P1,100,OWN,老客',
      // A lower line joins the stored MO-2 and takes its flag.
      'M-0,MO-2,2026-02-04,R3,C2,P2,30,PARTNER,新客',
      // Only a refund: no deal.
      'N-3,NO-2,2026-02-07,R3,C2,P1,-5,PARTNER,转介绍',
    ]);
    const res = await importFacts(t.db, 'orders', mixed, 'm2.csv', opts);

    expect(res).toMatchObject({ inserted: 4, updated: 1, unchanged: 0 });
    expect(await flags(['MO-1', 'MO-2', 'MO-9', 'NO-1', 'NO-2'])).toEqual({
      'M-0': 1,
      'M-1': 1,
      'M-2': 1,
      'M-3': 0,
      'N-1': 0,
      'N-2': 1,
      'N-3': 0,
    });
    await expectFlagsFollowTheRule();
    // MO-1, MO-2, MO-9, NO-1 (NO-2 is only a refund).
    expect(await dealsIn('2026-02')).toBe(4);
    expect(await verifyRollups(t.db)).toEqual([]);

    // The same file again changes nothing.
    const again = await importFacts(t.db, 'orders', mixed, 'm2.csv', opts);
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 5 });
    expect(await dealsIn('2026-02')).toBe(4);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('Given 3,000 rows whose last one names an unknown member, When imported all-or-nothing, Then nothing is written and the problem names that row; apply-valid writes the other 2,999', async () => {
    const rows = Array.from(
      { length: 3000 },
      (_, i) =>
        `B-${String(i).padStart(5, '0')},BO-${Math.floor(i / 3)},2026-03-${String(1 + (i % 28)).padStart(2, '0')},${i === 2999 ? 'NOBODY' : 'R4'},C1,P1,${10 + (i % 7)},OWN,老客`,
    );
    const file = csv([HEAD, ...rows]);
    const linesBefore = await t.db
      .selectFrom('order_lines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const batchesBefore = await t.db.selectFrom('fact_batches').select('id').execute();

    const e = await importFacts(t.db, 'orders', file, 'b.csv', opts).catch((err: unknown) => err);

    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).problems).toEqual([
      expect.objectContaining({ row: 3001, column: '销售工号', code: 'REFERENCE_NOT_FOUND' }),
    ]);
    const linesAfter = await t.db
      .selectFrom('order_lines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(linesAfter.n)).toBe(Number(linesBefore.n));
    expect(await t.db.selectFrom('fact_batches').select('id').execute()).toEqual(batchesBefore);

    const progress: [number, number][] = [];
    const res = await importFacts(t.db, 'orders', file, 'b.csv', {
      ...opts,
      mode: 'apply-valid',
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(res).toMatchObject({ rows: 3000, inserted: 2999, rejected: 1 });
    expect(res.badRows?.toString('utf8')).toContain('B-02999');
    expect(progress.at(-1)).toEqual([2999, 2999]);
    expect(progress.every(([done], i) => i === 0 || done >= progress[i - 1]![0])).toBe(true);
    // Orders of three lines, all positive: the lowest ext id of each is primary, 1,000 deals.
    await expectFlagsFollowTheRule();
    expect(await dealsIn('2026-03')).toBe(1000);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('Given 12,000 lines whose orders straddle the write slices, When imported, Then each order counts once and a re-import changes nothing', async () => {
    const rows = Array.from(
      { length: 12_000 },
      (_, i) =>
        `S-${String(i).padStart(6, '0')},SO-${Math.floor((i + 1) / 4)},2026-04-${String(1 + (Math.floor((i + 1) / 4) % 30)).padStart(2, '0')},R4,C2,P${1 + (i % 2)},${i % 11 === 0 ? -3 : 25},${i % 3 === 0 ? 'PARTNER' : 'OWN'},新客`,
    );
    const file = csv([HEAD, ...rows]);

    const res = await importFacts(t.db, 'orders', file, 's.csv', opts);
    const again = await importFacts(t.db, 'orders', file, 's.csv', opts);

    expect(res).toMatchObject({ rows: 12_000, inserted: 12_000 });
    expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: 12_000 });
    await expectFlagsFollowTheRule();
    const ordersWithASale = new Set(
      rows.filter((r) => !r.includes(',-3,')).map((r) => r.split(',')[1]),
    );
    expect(await dealsIn('2026-04')).toBe(ordersWithASale.size);
    expect(await verifyRollups(t.db)).toEqual([]);
  });
});
