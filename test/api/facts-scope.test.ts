import { beforeAll, describe, expect, it } from 'vitest';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { FIXED_NOW, useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';

/**
 * Issue 11, scope holes: a manager's facts import or batch deletion never changes another
 * region's numbers — orders (deals, primary lines), customers' first-deal credit, rollups — and
 * dates no fact can have are row errors. East (mgrEast: R1, R2, R3) and West (mgrWest: R4).
 */
describeEachDialect('facts: a manager cannot change another scope’s numbers', (t) => {
  const h = useApp(t);
  const HEAD = '订单行号,订单号,下单日期,销售工号,客户,金额,客户类别';
  const upload = async (user: string, content: string, query = '', lang = 'zh-CN') => {
    const { payload, headers } = multipartFile('orders.csv', Buffer.from(content, 'utf8'));
    return h.app.inject({
      method: 'POST',
      url: `/api/facts/orders/import${query}`,
      payload,
      headers: { ...headers, cookie: await h.login(user), 'x-locale': lang },
    });
  };
  const csv = (...rows: string[]) => [HEAD, ...rows].join('\n') + '\n';
  /** Deals (primary lines) of a unit's subtree, from its month rollup. */
  const deals = async (unit: number) =>
    Number(
      (
        await t.db
          .selectFrom('rollup_unit_month')
          .select((eb) => eb.fn.sum<number>('orders').as('n'))
          .where('org_unit_id', '=', unit)
          .where('dim', '=', '')
          .executeTakeFirst()
      )?.n ?? 0,
    );
  const flags = async (orderNo: string) =>
    (
      await t.db
        .selectFrom('order_lines')
        .select(['ext_id', 'is_primary'])
        .where('order_no', '=', orderNo)
        .orderBy('ext_id')
        .execute()
    ).map((l) => `${l.ext_id}:${l.is_primary}`);
  const firstDeal = async (code: string) =>
    (await t.db
      .selectFrom('customer_firsts as f')
      .innerJoin('customers as c', 'c.id', 'f.customer_id')
      .select(['f.ext_id', 'f.member_id', 'f.order_date'])
      .where('c.code', '=', code)
      .executeTakeFirst()) ?? null;
  const lines = async () =>
    (await t.db.selectFrom('order_lines').select('ext_id').orderBy('ext_id').execute()).map(
      (l) => l.ext_id,
    );
  const batchOf = async (extId: string) =>
    (
      await t.db
        .selectFrom('order_lines')
        .select('batch_id')
        .where('ext_id', '=', extId)
        .executeTakeFirstOrThrow()
    ).batch_id;
  const del = async (user: string, batch: number) =>
    h.app.inject({
      method: 'DELETE',
      url: `/api/facts/batches/${batch}`,
      headers: { cookie: await h.login(user), 'x-locale': 'en' },
    });

  beforeAll(async () => {
    for (const code of ['C1', 'C2', 'C3', 'C4'])
      await t.db
        .insertInto('customers')
        .values({
          code,
          name_zh: `客户${code}`,
          name_en: `Customer ${code}`,
          annual_purchase: 0,
          tier: 'B',
          updated_at: FIXED_NOW.toISOString(),
        })
        .execute();
    // West's own orders: W-1 (two lines) wins C1 as a new customer on 5 March; W-3 wins C3.
    const res = await upload(
      'mgrWest',
      csv(
        'W-1-1,W-1,2026-03-05,R4,C1,500,新客',
        'W-1-2,W-1,2026-03-05,R4,C1,200,新客',
        'W-3-1,W-3,2026-03-01,R4,C3,300,新客',
      ),
    );
    expect(res.statusCode).toBe(200);
  });

  describe('Given West’s order W-1 and West’s first deal with C1', () => {
    it('When East’s manager names W-1 in a line, Then the row is an error on the order-number column and West’s deals stay', async () => {
      const westDeals = await deals(h.fx.units.west);
      const before = await flags('W-1');
      expect(before).toEqual(['W-1-1:1', 'W-1-2:0']);
      // 'A-0' sorts before 'W-1-1': applied, it would take W-1's primary flag (West's deal).
      const res = await upload('mgrEast', csv('A-0,W-1,2026-03-05,R1,C2,100,老客'));
      expect(res.statusCode).toBe(422);
      expect(res.json().problems).toEqual([
        expect.objectContaining({
          row: 2,
          column: '订单号',
          code: 'FACT_ORDER_OUTSIDE_SCOPE',
          message:
            '订单 W-1 有归属于您管理范围之外的订单行：该订单的行只能由管理员添加、修改或删除',
        }),
      ]);
      expect(await flags('W-1')).toEqual(before);
      expect(await deals(h.fx.units.west)).toBe(westDeals);
      expect(await lines()).not.toContain('A-0');
      expect(await verifyRollups(t.db)).toEqual([]);
    });

    it('When the file has no order-number column, Then the line id names the order and the error is on it', async () => {
      const res = await upload(
        'mgrEast',
        '订单行号,下单日期,销售工号,金额\nW-3,2026-03-05,R1,100\n',
        '',
        'en',
      );
      expect(res.statusCode).toBe(422);
      expect(res.json().problems).toEqual([
        expect.objectContaining({
          row: 2,
          column: '订单行号',
          code: 'FACT_ORDER_OUTSIDE_SCOPE',
          message:
            'Order W-3 has lines credited outside your scope: only an administrator can add, change or delete its lines',
        }),
      ]);
    });

    it('When East’s manager imports a backdated new order for C1, Then the row is an error on the date column and C1’s credit stays with West', async () => {
      const first = await firstDeal('C1');
      expect(first).toMatchObject({ ext_id: 'W-1-1', member_id: h.fx.members.rep4 });
      const res = await upload(
        'mgrEast',
        csv(
          'E-1-1,E-1,2026-02-01,R1,C1,100,新客',
          // An existing-customer order before it, and a new one after it, take nothing.
          'E-2-1,E-2,2026-02-02,R1,C1,100,老客',
          'E-3-1,E-3,2026-03-10,R1,C1,100,新客',
        ),
        '?mode=apply-valid',
        'en',
      );
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ inserted: 2, rejected: 1 });
      expect(body.problems).toEqual([
        expect.objectContaining({
          row: 2,
          column: '下单日期',
          code: 'FACT_FIRST_DEAL_OUTSIDE_SCOPE',
          message: expect.stringContaining("Customer C1's first new-customer deal (2026-03-05)"),
        }),
      ]);
      expect(await firstDeal('C1')).toEqual(first);
      expect(await lines()).toEqual(expect.arrayContaining(['E-2-1', 'E-3-1']));
      expect(await lines()).not.toContain('E-1-1');
      // The bad-rows file says why, in the importer's language.
      const file = await h.app.inject({
        method: 'GET',
        url: `/api/facts/bad-rows/${body.badRowsFileId}`,
        headers: { cookie: await h.login('mgrEast') },
      });
      const text = file.body.replace(/^\uFEFF/, '').split('\r\n');
      expect(text[0]).toBe(`${HEAD},Problem`);
      expect(text[1]).toMatch(/^E-1-1,E-1,2026-02-01,R1,C1,100,新客,"?下单日期: Customer C1's/);
      expect(await verifyRollups(t.db)).toEqual([]);
    });

    it('When the import is a dry run, Then the same errors are reported and nothing is written', async () => {
      const res = await upload(
        'mgrEast',
        csv('A-0,W-1,2026-03-05,R1,C2,100,老客', 'E-1-1,E-1,2026-02-01,R1,C1,100,新客'),
        '?dryRun=true',
      );
      expect(res.statusCode).toBe(422);
      expect(
        res.json().problems.map((p: { row: number; code: string }) => [p.row, p.code]),
      ).toEqual([
        [2, 'FACT_ORDER_OUTSIDE_SCOPE'],
        [3, 'FACT_FIRST_DEAL_OUTSIDE_SCOPE'],
      ]);
      const dry = await upload(
        'mgrEast',
        csv('A-0,W-1,2026-03-05,R1,C2,100,老客', 'E-4-1,E-4,2026-03-06,R1,C2,100,新客'),
        '?dryRun=true&mode=apply-valid',
      );
      expect(dry.statusCode).toBe(200);
      expect(dry.json()).toMatchObject({ dryRun: true, inserted: 1, rejected: 1 });
      expect(await lines()).not.toContain('E-4-1');
    });

    it('When the import runs as a background job, Then the job fails with the same row errors', async () => {
      const res = await upload('mgrEast', csv('A-0,W-1,2026-03-05,R1,C2,100,老客'), '?async=true');
      expect(res.statusCode).toBe(202);
      const { jobId } = res.json();
      const poll = async () =>
        (
          await h.app.inject({
            method: 'GET',
            url: `/api/facts/jobs/${jobId}`,
            headers: { cookie: await h.login('mgrEast'), 'x-locale': 'en' },
          })
        ).json();
      let job = await poll();
      // Polls on the job's state; the bound only keeps a hung job from reaching the test timeout.
      const deadline = Date.now() + 60_000;
      while (job.status === 'running' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 50));
        job = await poll();
      }
      expect(job).toMatchObject({
        status: 'failed',
        error: {
          code: 'IMPORT_INVALID',
          problems: [
            expect.objectContaining({
              row: 2,
              column: '订单号',
              code: 'FACT_ORDER_OUTSIDE_SCOPE',
            }),
          ],
        },
      });
      expect(await flags('W-1')).toEqual(['W-1-1:1', 'W-1-2:0']);
    });

    it('When the JSON door is used, Then the same rule holds', async () => {
      const res = await h.call('mgrEast', 'POST', '/api/facts/orders/batch', {
        rows: [
          {
            extId: 'A-0',
            orderNo: 'W-1',
            date: '2026-03-05',
            ownerCode: 'R1',
            amount: '100',
          },
        ],
      });
      expect(res.statusCode).toBe(422);
      expect(res.json().problems).toEqual([
        expect.objectContaining({ row: 1, column: 'orderNo', code: 'FACT_ORDER_OUTSIDE_SCOPE' }),
      ]);
    });

    it('When East’s manager tries to delete West’s batch, Then it is refused and West’s lines stay', async () => {
      const batch = await batchOf('W-1-1');
      const res = await del('mgrEast', batch!);
      expect(res.statusCode).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
      expect(await flags('W-1')).toEqual(['W-1-1:1', 'W-1-2:0']);
    });
  });

  describe('Given an order an administrator made across both regions', () => {
    it('Then the admin’s import of the rows East could not import works as before, and East can neither change nor delete its line there', async () => {
      const westDeals = await deals(h.fx.units.west);
      const res = await upload('admin', csv('A-0,W-1,2026-03-05,R1,C2,100,老客'));
      expect(res.statusCode).toBe(200);
      // A-0 is W-1's primary line now: the deal moved to East, as an administrator decided.
      expect(await flags('W-1')).toEqual(['A-0:1', 'W-1-1:0', 'W-1-2:0']);
      expect(await deals(h.fx.units.west)).toBe(westDeals - 1);

      const change = await upload('mgrEast', csv('A-0,W-1,2026-03-05,R1,C2,-100,老客'));
      expect(change.statusCode).toBe(422);
      expect(change.json().problems[0]).toMatchObject({ code: 'FACT_ORDER_OUTSIDE_SCOPE' });
      // Moving the line to another order would leave W-1 too.
      const move = await upload('mgrEast', csv('A-0,E-9,2026-03-05,R1,C2,100,老客'));
      expect(move.json().problems[0]).toMatchObject({
        code: 'FACT_ORDER_OUTSIDE_SCOPE',
        message: expect.stringContaining('W-1'),
      });
      // The admin's batch holds only East's line, but deleting it would hand W-1 back to West.
      const batch = (await batchOf('A-0'))!;
      const refused = await del('mgrEast', batch);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({
        code: 'FACT_ORDER_OUTSIDE_SCOPE',
        message:
          'Order W-1 has lines credited outside your scope: only an administrator can add, change or delete its lines',
      });
      expect(await flags('W-1')).toEqual(['A-0:1', 'W-1-1:0', 'W-1-2:0']);

      expect((await del('admin', batch)).statusCode).toBe(200);
      expect(await flags('W-1')).toEqual(['W-1-1:1', 'W-1-2:0']);
      expect(await deals(h.fx.units.west)).toBe(westDeals);
      expect(await verifyRollups(t.db)).toEqual([]);
    });

    it('Then an admin’s backdated new order for C1 takes the credit, as before', async () => {
      const res = await upload('admin', csv('E-1-1,E-1,2026-02-01,R1,C1,100,新客'));
      expect(res.statusCode).toBe(200);
      expect(await firstDeal('C1')).toMatchObject({
        ext_id: 'E-1-1',
        member_id: h.fx.members.rep1,
      });
      expect((await del('admin', (await batchOf('E-1-1'))!)).statusCode).toBe(200);
      expect(await firstDeal('C1')).toMatchObject({ ext_id: 'W-1-1' });
      expect(await verifyRollups(t.db)).toEqual([]);
    });
  });

  describe('Given an East order whose new-customer line is not its primary line', () => {
    // E-5: E-5-1 (existing customer, primary) and E-5-2 (new, 10 February), before West's first
    // deal with C3 (1 March). Whatever makes E-5-2 primary would take C3 from West.
    it('Then neither a correction of E-5-1 nor deleting its batch may make E-5-2 the first deal', async () => {
      const first = await firstDeal('C3');
      expect(first).toMatchObject({ ext_id: 'W-3-1', member_id: h.fx.members.rep4 });
      const one = await upload(
        'mgrEast',
        csv('E-5-1,E-5,2026-02-10,R1,C3,100,老客', 'E-5-2,E-5,2026-02-10,R1,C3,100,新客'),
      );
      expect(one.statusCode).toBe(200);
      // E-5-2 again, changed: it now belongs to a second batch.
      const two = await upload('mgrEast', csv('E-5-2,E-5,2026-02-10,R1,C3,120,新客'));
      expect(two.json()).toMatchObject({ updated: 1 });
      expect(await flags('E-5')).toEqual(['E-5-1:1', 'E-5-2:0']);
      expect(await firstDeal('C3')).toEqual(first);

      const refund = await upload('mgrEast', csv('E-5-1,E-5,2026-02-10,R1,C3,-100,老客'), '', 'en');
      expect(refund.statusCode).toBe(422);
      expect(refund.json().problems).toEqual([
        expect.objectContaining({
          row: 2,
          column: '订单号',
          code: 'FACT_FIRST_DEAL_OUTSIDE_SCOPE',
        }),
      ]);

      const batch = (await batchOf('E-5-1'))!;
      const refused = await del('mgrEast', batch);
      expect(refused.statusCode).toBe(403);
      expect(refused.json()).toMatchObject({
        code: 'FACT_BATCH_FIRST_DEAL_OUTSIDE_SCOPE',
        message: `Deleting batch ${batch} would move customer C3's first new-customer deal (2026-03-01, credited outside your scope) to a deal in your scope; only an administrator can delete it`,
      });
      expect(await flags('E-5')).toEqual(['E-5-1:1', 'E-5-2:0']);
      expect(await firstDeal('C3')).toEqual(first);
      expect(await verifyRollups(t.db)).toEqual([]);

      // East's own batch of the second line goes: it takes nothing from West.
      expect((await del('mgrEast', (await batchOf('E-5-2'))!)).statusCode).toBe(200);
      expect(await verifyRollups(t.db)).toEqual([]);
    });

    it('Then East may correct away its own first deal, and the credit falls to West’s next one', async () => {
      const res = await upload('mgrEast', csv('E-6-1,E-6,2026-02-20,R1,C4,100,新客'));
      expect(res.statusCode).toBe(200);
      const west = await upload('mgrWest', csv('W-6-1,W-6,2026-03-02,R4,C4,100,新客'));
      expect(west.statusCode).toBe(200);
      expect(await firstDeal('C4')).toMatchObject({ ext_id: 'E-6-1' });
      const fix = await upload('mgrEast', csv('E-6-1,E-6,2026-02-20,R1,C4,100,老客'));
      expect(fix.json()).toMatchObject({ updated: 1 });
      expect(await firstDeal('C4')).toMatchObject({
        ext_id: 'W-6-1',
        member_id: h.fx.members.rep4,
      });
      expect(await verifyRollups(t.db)).toEqual([]);
    });
  });

  describe('Given dates no fact can have', () => {
    it('Then each is a row error naming the row and the date column, for managers and admins', async () => {
      const res = await upload(
        'admin',
        csv(
          'D-1,D-1,9999-12-31,R1,C2,100,老客',
          'D-2,D-2,0000-00-00,R1,C2,100,老客',
          'D-3,D-3,2026-02-30,R1,C2,100,老客',
          'D-4,D-4,1999-12-31,R1,C2,100,老客',
          'D-5,D-5,2028-01-01,R1,C2,100,老客',
          // The last day of next year is still a fact's date (a booked order).
          'D-6,D-6,2027-12-31,R1,C2,100,老客',
        ),
        '?mode=apply-valid',
        'en',
      );
      expect(res.statusCode).toBe(200);
      const body = res.json();
      expect(body).toMatchObject({ inserted: 1, rejected: 5 });
      expect(
        body.problems.map((p: { row: number; column: string; code: string }) => [
          p.row,
          p.column,
          p.code,
        ]),
      ).toEqual([
        [2, '下单日期', 'FACT_DATE_OUT_OF_RANGE'],
        [3, '下单日期', 'DATE_INVALID'],
        [4, '下单日期', 'DATE_INVALID'],
        [5, '下单日期', 'FACT_DATE_OUT_OF_RANGE'],
        [6, '下单日期', 'FACT_DATE_OUT_OF_RANGE'],
      ]);
      expect(body.problems[0].message).toBe(
        'Date 9999-12-31 is outside the range a fact may have (2000-01-01 to 2027-12-31: from 2000 to the end of next year)',
      );
      const zh = await upload('mgrEast', csv('D-7,D-7,9999-12-31,R1,C2,100,老客'));
      expect(zh.statusCode).toBe(422);
      expect(zh.json().problems).toEqual([
        expect.objectContaining({
          row: 2,
          column: '下单日期',
          message:
            '日期 9999-12-31 超出业绩日期的范围（2000-01-01 至 2027-12-31，即 2000 年起至明年年底）',
        }),
      ]);
      expect(await lines()).not.toContain('D-1');
      expect(await verifyRollups(t.db)).toEqual([]);
    });
  });
});
