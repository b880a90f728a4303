import ExcelJS from 'exceljs';
import iconv from 'iconv-lite';
import { beforeAll, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { deleteBatch } from '../../src/app/facts/delete-batch.ts';
import { importFactRows, importFacts } from '../../src/app/facts/import-facts.ts';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { readTable } from '../../src/app/import/read-table.ts';
import { describeEachDialect } from '../support/databases.ts';
import { csv, now, opts, seedFacts, type FactsFixture } from './facts-fixture.ts';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const HEAD = '订单行号,订单号,下单日期,销售工号,客户,产品,金额,渠道,客户类别';
/** R1 sells 1 000 元 of P1 on the 15th of every month of 2026; R1 moved T1 → T2 on 1 July. */
const yearFile = csv([
  HEAD,
  ...Array.from(
    { length: 12 },
    (_, i) =>
      `Y-${String(i + 1).padStart(2, '0')},YO-${i + 1},2026-${String(i + 1).padStart(2, '0')}-15,R1,C1,P1,1000,OWN,老客`,
  ),
]);

describeEachDialect('fact imports', (t) => {
  let fx: FactsFixture;
  beforeAll(async () => {
    fx = await seedFacts(t.db);
  });

  const monthByUnit = async (memberId: number) =>
    (
      await t.db
        .selectFrom('rollup_sales_month')
        .select([
          'month',
          'org_unit_id',
          'amount',
          'gross_profit',
          'orders',
          'lines',
          'region_id',
          'segment_id',
          'product_line_id',
          'lifecycle',
        ])
        .where('member_id', '=', memberId)
        .orderBy('month')
        .execute()
    ).map((r) => ({ ...r, amount: Number(r.amount), gross_profit: Number(r.gross_profit) }));

  const rollupSnapshot = async () => ({
    day: await t.db
      .selectFrom('rollup_sales_day')
      .selectAll()
      .orderBy('org_unit_id')
      .orderBy('day')
      .orderBy('member_id')
      .orderBy('product_line_id')
      .orderBy('channel_id')
      .orderBy('lifecycle')
      .execute(),
    month: await t.db
      .selectFrom('rollup_sales_month')
      .selectAll()
      .orderBy('org_unit_id')
      .orderBy('month')
      .orderBy('member_id')
      .orderBy('product_line_id')
      .orderBy('channel_id')
      .orderBy('lifecycle')
      .execute(),
  });

  it('Given R1 moved from T1 to T2 on 1 July, When a year of orders is imported, Then January–June credit T1 and July on T2', async () => {
    const res = await importFacts(t.db, 'orders', yearFile, 'year.csv', opts);
    expect(res).toMatchObject({
      rows: 12,
      inserted: 12,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      badRows: null,
    });
    const months = await monthByUnit(fx.members.rep1);
    expect(months.map((m) => [m.month, m.org_unit_id])).toEqual(
      Array.from({ length: 12 }, (_, i) => [
        `2026-${String(i + 1).padStart(2, '0')}`,
        i < 6 ? fx.units.t1 : fx.units.t2,
      ]),
    );
    // P1 has a 30% margin and no profit column was given: profit = 30% × amount.
    expect(months[0]).toMatchObject({
      amount: 100_000,
      gross_profit: 30_000,
      orders: 1,
      lines: 1,
      region_id: fx.regions.east,
      segment_id: fx.segments.ka,
      product_line_id: fx.lines.app,
      lifecycle: 'existing',
    });
    expect(await verifyRollups(t.db)).toEqual([]);
    const batches = await t.db.selectFrom('fact_batches').selectAll().execute();
    expect(batches).toHaveLength(1);
    expect(batches[0]).toMatchObject({
      kind: 'orders',
      row_count: 12,
      inserted_count: 12,
      status: 'applied',
    });
    const audits = await t.db
      .selectFrom('audit_log')
      .select('entity')
      .where('entity', '=', 'fact_batch')
      .execute();
    expect(audits).toHaveLength(1);
  });

  it('When the same file is imported again, Then every row is unchanged and the rollups do not move', async () => {
    const before = await rollupSnapshot();
    const res = await importFacts(t.db, 'orders', yearFile, 'year.csv', opts);
    expect(res).toMatchObject({ inserted: 0, updated: 0, unchanged: 12 });
    expect(await rollupSnapshot()).toEqual(before);
  });

  it('Given a correction (changed amount) and a refund line, Then the rollups move by exactly the delta', async () => {
    const res = await importFacts(
      t.db,
      'orders',
      csv([
        HEAD,
        'Y-03,YO-3,2026-03-15,R1,C1,P1,1500,OWN,老客',
        'Y-03-R,YO-3,2026-03-20,R1,C1,P1,-200,OWN,老客',
      ]),
      'fix.csv',
      opts,
    );
    expect(res).toMatchObject({ inserted: 1, updated: 1, unchanged: 0 });
    const march = (await monthByUnit(fx.members.rep1)).find((m) => m.month === '2026-03')!;
    // 1 500 − 200 元; still one deal (the refund is never primary); two lines.
    expect(march).toMatchObject({
      amount: 130_000,
      gross_profit: 39_000,
      orders: 1,
      lines: 2,
      org_unit_id: fx.units.t1,
    });
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('Deleting a batch removes exactly the rows it last wrote and their rollup contribution', async () => {
    const res = await importFacts(
      t.db,
      'orders',
      csv([
        HEAD,
        'D-1,DO-1,2026-08-01,R2,C2,P2,300,PARTNER,新客',
        'D-2,DO-1,2026-08-01,R2,C2,P1,100,PARTNER,新客',
      ]),
      'd.csv',
      opts,
    );
    const totalBefore = await t.db
      .selectFrom('order_lines')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const out = await deleteBatch(t.db, res.batchId!, opts);
    expect(out.deleted).toBe(2);
    const totalAfter = await t.db
      .selectFrom('order_lines')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(totalBefore.n) - Number(totalAfter.n)).toBe(2);
    expect(await monthByUnit(fx.members.rep2)).toEqual([]);
    expect(await verifyRollups(t.db)).toEqual([]);
    const batch = await t.db
      .selectFrom('fact_batches')
      .select('status')
      .where('id', '=', res.batchId!)
      .executeTakeFirstOrThrow();
    expect(batch.status).toBe('deleted');
    expect((await rejection(deleteBatch(t.db, res.batchId!, opts))).code).toBe(
      'FACT_BATCH_DELETED',
    );
  });

  it('Given an unknown member and a date before any membership, Then each is a row/column problem and nothing is applied', async () => {
    const before = await rollupSnapshot();
    const err = await rejection(
      importFacts(
        t.db,
        'orders',
        csv([
          HEAD,
          'U-1,UO-1,2026-02-01,NOBODY,C1,P1,100,OWN,新客',
          'U-2,UO-2,2023-02-01,R1,C1,P1,100,OWN,新客',
          'U-3,UO-3,2026-02-01,R1,C1,P1,100,OWN,新客',
        ]),
        'u.csv',
        opts,
      ),
    );
    expect(err.code).toBe('IMPORT_INVALID');
    expect(err.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [2, '销售工号', 'REFERENCE_NOT_FOUND'],
      [3, '销售工号', 'FACT_NO_MEMBERSHIP'],
    ]);
    expect(
      await t.db.selectFrom('order_lines').select('id').where('ext_id', 'like', 'U-%').execute(),
    ).toEqual([]);
    expect(await rollupSnapshot()).toEqual(before);
  });

  it('In apply-valid mode, the good rows are applied and the bad ones come back as a CSV with a Problem column', async () => {
    const res = await importFacts(
      t.db,
      'orders',
      csv([
        HEAD,
        'V-1,VO-1,2026-02-01,R2,C1,P1,100,OWN,新客',
        'V-2,VO-2,2026-02-01,R2,NOPE,P1,100,OWN,新客',
        'V-3,VO-3,2026-13-01,R2,C1,P1,100,OWN,新客',
      ]),
      'v.csv',
      { ...opts, mode: 'apply-valid', lang: 'en' },
    );
    expect(res).toMatchObject({ rows: 3, inserted: 1, rejected: 2 });
    expect(res.problems.map((p) => [p.row, p.column, p.code])).toEqual([
      [3, '客户', 'REFERENCE_NOT_FOUND'],
      [4, '下单日期', 'DATE_INVALID'],
    ]);
    const bad = await readTable(res.badRows!, 'bad.csv');
    expect(bad.headers).toEqual([...HEAD.split(','), 'Problem']);
    expect(bad.rows.map((r) => r.cells[0])).toEqual(['V-2', 'V-3']);
    expect(String(bad.rows[0]!.cells[9])).toContain('NOPE');
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('With createMissing, unknown customers and products are created and listed', async () => {
    const res = await importFacts(
      t.db,
      'orders',
      csv([HEAD, 'N-1,NO-1,2026-02-02,R2,新客户甲,NEW-SKU,100,OWN,新客']),
      'n.csv',
      {
        ...opts,
        createMissing: { customers: true, products: true },
      },
    );
    expect(res.created).toEqual({ customers: ['新客户甲'], products: ['NEW-SKU'] });
    const customer = await t.db
      .selectFrom('customers')
      .selectAll()
      .where('code', '=', '新客户甲')
      .executeTakeFirstOrThrow();
    expect(customer.name_zh).toBe('新客户甲');
    const product = await t.db
      .selectFrom('products')
      .innerJoin('product_lines as l', 'l.id', 'products.product_line_id')
      .select(['l.code', 'products.id'])
      .where('products.code', '=', 'NEW-SKU')
      .executeTakeFirstOrThrow();
    expect(product.code).toBe('UNASSIGNED');
    const line = await t.db
      .selectFrom('order_lines')
      .selectAll()
      .where('ext_id', '=', 'N-1')
      .executeTakeFirstOrThrow();
    expect([line.customer_id, line.product_id]).toEqual([customer.id, product.id]);
  });

  it('Given a customer the importer did not know, When it is created by any write path, Then the next import sees it; a dry run creates nothing it keeps', async () => {
    const file = csv([HEAD, 'K-1,KO-1,2026-02-03,R2,LATER-C,P1,100,OWN,新客']);
    const unknown = await rejection(importFacts(t.db, 'orders', file, 'k.csv', opts));
    expect(unknown.problems.map((p) => [p.row, p.code])).toEqual([[2, 'REFERENCE_NOT_FOUND']]);

    // Not through the importer's or the API's code: the triggers move the counter.
    const { id } = await t.db
      .insertInto('customers')
      .values({
        code: 'LATER-C',
        name_zh: '后来的客户',
        name_en: 'Later',
        annual_purchase: 0,
        tier: 'C',
        updated_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    expect(await importFacts(t.db, 'orders', file, 'k.csv', opts)).toMatchObject({ inserted: 1 });
    const line = await t.db
      .selectFrom('order_lines')
      .select('customer_id')
      .where('ext_id', '=', 'K-1')
      .executeTakeFirstOrThrow();
    expect(line.customer_id).toBe(id);

    const dry = csv([HEAD, 'K-2,KO-2,2026-02-03,R2,DRY-C,P1,100,OWN,新客']);
    const preview = await importFacts(t.db, 'orders', dry, 'k2.csv', {
      ...opts,
      dryRun: true,
      createMissing: { customers: true },
    });
    expect(preview.created.customers).toEqual(['DRY-C']);
    const again = await rejection(importFacts(t.db, 'orders', dry, 'k2.csv', opts));
    expect(again.problems.map((p) => p.code)).toEqual(['REFERENCE_NOT_FOUND']);
  });

  it('moves the reference generation on every insert, update and delete of the data imports resolve against', async () => {
    const generation = async () =>
      Number(
        (await t.db.selectFrom('reference_generation').select('n').executeTakeFirstOrThrow()).n,
      );
    for (const table of [
      'members',
      'member_units',
      'org_units',
      'customers',
      'products',
      'dimension_members',
    ] as const) {
      const before = await generation();
      // An update that changes nothing still counts: the importer cannot tell it apart cheaply.
      await t.db
        .updateTable(table)
        .set((eb) => ({ id: eb.ref('id') }) as never)
        .where('id', '=', (await t.db.selectFrom(table).select('id').executeTakeFirstOrThrow()).id)
        .execute();
      expect(await generation(), table).toBeGreaterThan(before);
    }
    const before = await generation();
    const { id } = await t.db
      .insertInto('dimension_members')
      .values({
        dimension: 'channel',
        code: 'GEN-CH',
        name_zh: '临时',
        name_en: 'Temp',
        sort_order: 0,
        attrs: '{}',
        updated_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const inserted = await generation();
    await t.db.deleteFrom('dimension_members').where('id', '=', id).execute();
    expect([inserted > before, (await generation()) > inserted]).toEqual([true, true]);
  });

  it('takes the member code from a column headed 销售人员 or Sales rep, as CRM exports name it', async () => {
    const zh = Buffer.from(['订单行号,下单日期,销售人员,金额', 'H-1,2026-04-03,R3,100'].join('\n'));
    expect(await importFacts(t.db, 'orders', zh, 'crm.csv', opts)).toMatchObject({ inserted: 1 });
    const en = Buffer.from(
      ['Line id,Order date,Sales rep,Amount', 'H-2,2026-04-03,R3,100'].join('\n'),
    );
    expect(await importFacts(t.db, 'orders', en, 'crm.csv', opts)).toMatchObject({ inserted: 1 });
    const rows = await t.db
      .selectFrom('order_lines')
      .select(['ext_id', 'member_id'])
      .where('ext_id', 'in', ['H-1', 'H-2'])
      .orderBy('ext_id')
      .execute();
    expect(rows).toEqual([
      { ext_id: 'H-1', member_id: fx.members.rep3 },
      { ext_id: 'H-2', member_id: fx.members.rep3 },
    ]);
  });

  it('reads a GBK CSV with Chinese headers and an xlsx with English headers', async () => {
    const gbk = iconv.encode(
      ['订单行号,下单日期,销售工号,金额（万元）,数量,毛利', 'G-1,2026年4月2日,R3,1.5,3,2000'].join(
        '\r\n',
      ),
      'gbk',
    );
    expect(await importFacts(t.db, 'orders', gbk, '订单.csv', opts)).toMatchObject({ inserted: 1 });
    const g = await t.db
      .selectFrom('order_lines')
      .selectAll()
      .where('ext_id', '=', 'G-1')
      .executeTakeFirstOrThrow();
    expect(g).toMatchObject({
      order_no: 'G-1',
      order_date: '2026-04-02',
      amount: 1_500_000,
      quantity: 3,
      gross_profit: 200_000,
      org_unit_id: fx.units.t2,
    });

    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Orders');
    ws.addRow([
      'Line id',
      'Order no',
      'Order date',
      'Unit code',
      'Customer',
      'Product',
      'Amount',
      'Gross profit',
      'Lifecycle',
    ]);
    ws.addRow([
      'X-1',
      'XO-1',
      new Date('2026-05-06T00:00:00Z'),
      'T3',
      'C2',
      'P2',
      1234.56,
      100,
      'referral',
    ]);
    const xlsx = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect(await importFacts(t.db, 'orders', xlsx, 'orders.xlsx', opts)).toMatchObject({
      inserted: 1,
    });
    const x = await t.db
      .selectFrom('order_lines')
      .selectAll()
      .where('ext_id', '=', 'X-1')
      .executeTakeFirstOrThrow();
    expect(x).toMatchObject({
      order_date: '2026-05-06',
      member_id: 0,
      org_unit_id: fx.units.t3,
      amount: 123_456,
      gross_profit: 10_000,
      lifecycle: 'referral',
      product_line_id: fx.lines.acc,
    });
  });

  it('counts one deal per order: the lowest positive line is primary, and flips follow corrections', async () => {
    await importFacts(
      t.db,
      'orders',
      csv([
        HEAD,
        'P-2,PO-1,2026-09-01,R2,C1,P1,100,OWN,新客',
        'P-1,PO-1,2026-09-01,R2,C1,P2,100,OWN,新客',
        'P-3,PO-1,2026-09-01,R2,C1,P1,-50,OWN,新客',
      ]),
      'p.csv',
      opts,
    );
    const flags = async () =>
      Object.fromEntries(
        (
          await t.db
            .selectFrom('order_lines')
            .select(['ext_id', 'is_primary'])
            .where('order_no', '=', 'PO-1')
            .execute()
        ).map((r) => [r.ext_id, r.is_primary]),
      );
    expect(await flags()).toEqual({ 'P-1': 1, 'P-2': 0, 'P-3': 0 });
    // P-1 becomes a refund: P-2 takes over; the order still counts once.
    await importFacts(
      t.db,
      'orders',
      csv([HEAD, 'P-1,PO-1,2026-09-01,R2,C1,P2,-100,OWN,新客']),
      'p2.csv',
      opts,
    );
    expect(await flags()).toEqual({ 'P-1': 0, 'P-2': 1, 'P-3': 0 });
    const sept = await t.db
      .selectFrom('rollup_sales_month')
      .select((eb) => eb.fn.sum<number>('orders').as('orders'))
      .where('month', '=', '2026-09')
      .where('member_id', '=', fx.members.rep2)
      .executeTakeFirstOrThrow();
    expect(Number(sept.orders)).toBe(1);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('refuses rows a manager cannot write, by row', async () => {
    const east = await t.db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', fx.units.east)
      .executeTakeFirstOrThrow();
    const manager = {
      userId: null,
      role: 'manager' as const,
      scope: { all: false, unitPaths: [east.path], memberId: null },
    };
    const err = await rejection(
      importFacts(
        t.db,
        'orders',
        csv([
          HEAD,
          'M-1,MO-1,2026-02-01,R2,C1,P1,1,OWN,新客',
          'M-2,MO-2,2026-02-01,R4,C1,P1,1,OWN,新客',
        ]),
        'm.csv',
        { ...opts, actor: manager },
      ),
    );
    expect(err.problems).toEqual([
      expect.objectContaining({ row: 3, column: '销售工号', code: 'FORBIDDEN' }),
    ]);
    // X-1 is credited to T3 (West): an East manager cannot take it over by reusing its id.
    const takeover = await rejection(
      importFacts(t.db, 'orders', csv([HEAD, 'X-1,XO-1,2026-05-06,R2,C1,P1,1,OWN,新客']), 'x.csv', {
        ...opts,
        actor: manager,
      }),
    );
    expect(takeover.problems).toEqual([
      expect.objectContaining({ row: 2, column: '订单行号', code: 'FORBIDDEN' }),
    ]);
  });

  it('imports collections, leads, opportunities and activities, idempotently', async () => {
    const files: [string, string[]][] = [
      [
        'collections',
        ['回款编号,回款日期,回款金额,订单号,客户,销售工号', 'RC-1,2026-03-20,1000,YO-3,C1,R1'],
      ],
      [
        'leads',
        [
          'Lead id,Created date,Owner code,Channel,Status,Converted date',
          'L-1,2026-03-01,R1,OWN,converted,2026-03-05',
          'L-2,2026-08-01,R1,OWN,open,',
        ],
      ],
      [
        'opportunities',
        [
          '商机编号,创建日期,销售工号,客户,商机金额,阶段,赢率,预计成交日期,状态,阶段历史',
          'OP-1,2026-03-02,R1,C1,50000,方案,40%,2026-04-30,进行中,需求确认:2026-03-02;方案：2026-03-10',
        ],
      ],
      [
        'activities',
        [
          '活动编号,活动日期,销售工号,活动类型,客户',
          'A-1,2026-03-03,R1,拜访,C1',
          'A-2,2026-07-03,R1,电话,C1',
        ],
      ],
    ];
    for (const [kind, lines] of files) {
      expect(await importFacts(t.db, kind, csv(lines), `${kind}.csv`, opts)).toMatchObject({
        inserted: lines.length - 1,
      });
      expect(await importFacts(t.db, kind, csv(lines), `${kind}.csv`, opts)).toMatchObject({
        inserted: 0,
        updated: 0,
        unchanged: lines.length - 1,
      });
    }
    const op = await t.db
      .selectFrom('opportunities')
      .selectAll()
      .where('ext_id', '=', 'OP-1')
      .executeTakeFirstOrThrow();
    expect(op).toMatchObject({
      probability_bp: 4000,
      status: 'open',
      amount: 5_000_000,
      org_unit_id: fx.units.t1,
    });
    expect(JSON.parse(op.stage_history)).toEqual([
      { stage: '需求确认', date: '2026-03-02' },
      { stage: '方案', date: '2026-03-10' },
    ]);
    const acts = await t.db
      .selectFrom('activities')
      .select(['ext_id', 'kind', 'org_unit_id'])
      .orderBy('ext_id')
      .execute();
    expect(acts).toEqual([
      { ext_id: 'A-1', kind: 'visit', org_unit_id: fx.units.t1 },
      { ext_id: 'A-2', kind: 'call', org_unit_id: fx.units.t2 },
    ]);
  });

  it('takes JSON rows keyed by field names through the same checks', async () => {
    const res = await importFactRows(
      t.db,
      'orders',
      [
        { extId: 'J-1', date: '2026-10-01', ownerCode: 'R2', amount: '88.80' },
        { extId: 'J-2', date: '2026-10-01', ownerCode: 'ZZ', amount: 1 },
      ],
      { ...opts, mode: 'apply-valid' },
    );
    expect(res).toMatchObject({ inserted: 1, rejected: 1 });
    expect(res.problems).toEqual([
      expect.objectContaining({ row: 2, column: 'ownerCode', code: 'REFERENCE_NOT_FOUND' }),
    ]);
  });
});
