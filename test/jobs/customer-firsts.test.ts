import { beforeAll, expect, it } from 'vitest';
import { newCustomersIn } from '../../src/db/customer-firsts.ts';
import { salesTotals } from '../../src/db/rollups.ts';
import { deleteBatch } from '../../src/app/facts/delete-batch.ts';
import { importFacts } from '../../src/app/facts/import-facts.ts';
import { rebuildRollups, verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { describeEachDialect } from '../support/databases.ts';
import { admin, csv, now, opts, seedFacts, type FactsFixture } from './facts-fixture.ts';

const HEAD = '订单行号,订单号,下单日期,销售工号,客户,产品,金额,渠道,客户类别';

/**
 * New customers are people: a customer counts once, in the period and for the member of their
 * first deal tagged new or referral, however many such deals follow.
 */
describeEachDialect('new customers', (t) => {
  let fx: FactsFixture;
  let hq: string;
  beforeAll(async () => {
    fx = await seedFacts(t.db);
    hq = (
      await t.db
        .selectFrom('org_units')
        .select('path')
        .where('id', '=', fx.units.hq)
        .executeTakeFirstOrThrow()
    ).path;
  });

  const count = async (start: string, end: string) =>
    (await newCustomersIn(t.db, { unitPath: hq, start, end })).total;
  const firstOf = (customer: number) =>
    t.db
      .selectFrom('customer_firsts')
      .select(['ext_id', 'order_date', 'member_id', 'lifecycle'])
      .where('customer_id', '=', customer)
      .executeTakeFirst();

  it('counts a customer once, where and when their first new or referral deal fell', async () => {
    // Given C1 buys as a new customer on 2 March and again on 9 March, C2 as an existing one
    await importFacts(
      t.db,
      'orders',
      csv([
        HEAD,
        'N-1,NO-1,2026-03-02,R1,C1,P1,100,OWN,新客',
        'N-2,NO-2,2026-03-09,R1,C1,P1,200,OWN,新客',
        'N-3,NO-3,2026-03-10,R2,C2,P1,300,OWN,老客',
      ]),
      'march.csv',
      opts,
    );
    // Then March has one new customer (two deals tagged new), C1, on the 2nd, for R1
    expect(await count('2026-03-01', '2026-03-31')).toBe(1);
    const byLifecycle = await salesTotals(t.db, {
      unitPath: hq,
      start: '2026-03-01',
      end: '2026-03-31',
      groupBy: 'lifecycle',
    });
    expect(byLifecycle.rows.find((r) => r.key === 'new')?.orders).toBe(2);
    expect(await firstOf(fx.customers.c1)).toEqual({
      ext_id: 'N-1',
      order_date: '2026-03-02',
      member_id: fx.members.rep1,
      lifecycle: 'new',
    });
    expect(await firstOf(fx.customers.c2)).toBeUndefined();
    const byMember = await newCustomersIn(t.db, {
      unitPath: hq,
      start: '2026-03-01',
      end: '2026-03-31',
      groupBy: 'member',
    });
    expect(byMember.rows).toEqual([{ key: fx.members.rep1, value: 1 }]);
  });

  it('moves to an earlier deal imported later, and back when that batch is deleted', async () => {
    // When a referral deal of C1 dated 20 February arrives afterwards, for R2
    const feb = await importFacts(
      t.db,
      'orders',
      csv([HEAD, 'N-0,NO-0,2026-02-20,R2,C1,P1,100,OWN,转介绍']),
      'feb.csv',
      opts,
    );
    // Then C1 became a customer in February, through R2, and March has none
    expect(await firstOf(fx.customers.c1)).toMatchObject({
      ext_id: 'N-0',
      member_id: fx.members.rep2,
      lifecycle: 'referral',
    });
    expect([
      await count('2026-02-01', '2026-02-28'),
      await count('2026-03-01', '2026-03-31'),
    ]).toEqual([1, 0]);
    expect(await verifyRollups(t.db)).toEqual([]);
    // When that batch is deleted, the 2 March deal is the first again
    await deleteBatch(t.db, feb.batchId!, { actor: admin, now });
    expect(await firstOf(fx.customers.c1)).toMatchObject({ ext_id: 'N-1' });
    expect([
      await count('2026-02-01', '2026-02-28'),
      await count('2026-03-01', '2026-03-31'),
    ]).toEqual([0, 1]);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('follows a correction of the first deal, and counts a customer whose only deal turns new', async () => {
    // When the 2 March line is corrected to an existing customer's deal, and C2's to a new one
    await importFacts(
      t.db,
      'orders',
      csv([
        HEAD,
        'N-1,NO-1,2026-03-02,R1,C1,P1,100,OWN,老客',
        'N-3,NO-3,2026-03-10,R2,C2,P1,300,OWN,新客',
      ]),
      'fix.csv',
      opts,
    );
    // Then C1's first is the 9 March deal, C2 is new on the 10th: two new customers in March
    expect(await firstOf(fx.customers.c1)).toMatchObject({
      ext_id: 'N-2',
      order_date: '2026-03-09',
    });
    expect(await firstOf(fx.customers.c2)).toMatchObject({
      ext_id: 'N-3',
      member_id: fx.members.rep2,
    });
    expect(await count('2026-03-01', '2026-03-31')).toBe(2);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('is caught by the verification when it drifts, and repaired by the rebuild', async () => {
    await t.db
      .updateTable('customer_firsts')
      .set({ order_date: '2026-01-01' })
      .where('customer_id', '=', fx.customers.c2)
      .execute();
    const diffs = await verifyRollups(t.db);
    expect(diffs).toEqual([
      expect.objectContaining({
        table: 'customer_firsts',
        key: { customer_id: fx.customers.c2 },
        stored: expect.objectContaining({ order_date: '2026-01-01' }),
        expected: expect.objectContaining({ order_date: '2026-03-10' }),
      }),
    ]);
    await rebuildRollups(t.db);
    expect(await verifyRollups(t.db)).toEqual([]);
  });
});
