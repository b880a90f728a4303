import { beforeAll, expect, it } from 'vitest';
import type { Db } from '../../src/db/connect.ts';
import { salesTotals } from '../../src/db/rollups.ts';
import { AppError } from '../../src/domain/errors.ts';
import { factDateRange } from '../../src/domain/fact-dates.ts';
import { deleteBatch } from '../../src/app/facts/delete-batch.ts';
import { preparePool } from '../../src/app/facts/prepare-pool.ts';
import { referenceSnapshot } from '../../src/app/facts/refs.ts';
import {
  importFactFiles,
  importFacts,
  type FactImportResult,
} from '../../src/app/facts/import-facts.ts';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import type { Actor } from '../../src/app/import-master/kind.ts';
import { readTable } from '../../src/app/import/read-table.ts';
import { describeEachDialect } from '../support/databases.ts';
import { csv, opts, seedFacts, type FactsFixture } from './facts-fixture.ts';

const HEAD = '订单行号,订单号,下单日期,销售工号,客户,产品,金额,渠道,客户类别';

/**
 * `n` orders of two lines each (the first is the primary one: the lowest external id), spread
 * over 2026 and both reps, in both channels and lifecycles. In 3-row chunks every other order has one
 * line in each of two chunks.
 */
function orders(
  prefix: string,
  n: number,
  customer: (i: number) => string = (i) => (i % 2 ? 'C1' : 'C2'),
) {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    const date = `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    const rep = i % 3 ? 'R1' : 'R2';
    const channel = i % 2 ? 'OWN' : 'PARTNER';
    const lifecycle = i % 4 ? '老客' : '新客';
    lines.push(
      `${prefix}-${i}-a,${prefix}O-${i},${date},${rep},${customer(i)},P1,${100 + i},${channel},${lifecycle}`,
    );
    lines.push(
      `${prefix}-${i}-b,${prefix}O-${i},${date},${rep},${customer(i)},P2,${500 + i},${channel},${lifecycle}`,
    );
  }
  return lines;
}

/** What the import left: every line as stored (without ids) and the company's year by rollup. */
async function state(db: Db, fx: FactsFixture) {
  const lines = await db
    .selectFrom('order_lines')
    .select([
      'ext_id',
      'order_no',
      'order_date',
      'member_id',
      'org_unit_id',
      'customer_id',
      'product_id',
      'product_line_id',
      'channel_id',
      'lifecycle',
      'amount',
      'is_primary',
    ])
    .orderBy('ext_id')
    .execute();
  const year = { start: '2026-01-01', end: '2026-12-31' };
  const hq = await db
    .selectFrom('org_units')
    .select('path')
    .where('id', '=', fx.units.hq)
    .executeTakeFirstOrThrow();
  const company = await salesTotals(db, { unitPath: hq.path, ...year, groupBy: 'channel' });
  const rep1 = await salesTotals(db, { memberId: fx.members.rep1, ...year, groupBy: 'month' });
  const firsts = await db
    .selectFrom('customer_firsts')
    .selectAll()
    .orderBy('customer_id')
    .execute();
  return {
    lines: lines.map((l) => ({ ...l, amount: Number(l.amount) })),
    company,
    rep1,
    firsts,
  };
}

const worker = { ...opts, worker: true, chunkRows: 3 };

describeEachDialect('fact imports through the import worker', (t) => {
  let fx: FactsFixture;
  beforeAll(async () => {
    fx = await seedFacts(t.db);
  });

  async function clear(): Promise<void> {
    for (const b of await t.db
      .selectFrom('fact_batches')
      .select('id')
      .where('status', '!=', 'deleted')
      .execute())
      await deleteBatch(t.db, b.id, { actor: opts.actor, now: opts.now });
  }

  it('Given orders straddling 3-row chunks, Then lines, primary flags, rollups and new customers equal an in-line import of the same file', async () => {
    const file = csv([HEAD, ...orders('W', 20)]);
    const stages = new Map<string, number>();
    const viaWorker = await importFacts(t.db, 'orders', file, 'w.csv', {
      ...worker,
      stageMs: stages,
    });
    // Only new orders: the rollup rows are the worker's, summed over the whole file.
    expect(stages.has('rollups: the worker’s rows')).toBe(true);
    expect(stages.has('rollups: member deltas')).toBe(false);
    expect(viaWorker).toMatchObject({ rows: 40, inserted: 40, updated: 0, rejected: 0 });
    const a = await state(t.db, fx);
    expect(a.lines.filter((l) => l.is_primary === 1)).toHaveLength(20);
    expect(a.lines.filter((l) => l.is_primary === 1).every((l) => l.ext_id.endsWith('-a'))).toBe(
      true,
    );
    expect(await verifyRollups(t.db)).toEqual([]);
    // The same file again changes nothing.
    expect(await importFacts(t.db, 'orders', file, 'w.csv', worker)).toMatchObject({
      inserted: 0,
      updated: 0,
      unchanged: 40,
    });
    await clear();
    await importFacts(t.db, 'orders', file, 'w.csv', { ...opts, worker: false });
    const b = await state(t.db, fx);
    expect(a).toEqual(b);
    await clear();
  });

  it('reports progress against the whole file from its first chunk, never backwards', async () => {
    const reports: [number, number][] = [];
    await importFacts(t.db, 'orders', csv([HEAD, ...orders('P', 30)]), 'p.csv', {
      ...worker,
      onProgress: (done, total) => reports.push([done, total]),
    });
    expect(reports.length).toBeGreaterThan(1);
    expect(reports.every(([, total]) => total === 60)).toBe(true);
    expect(reports.every(([done], i) => i === 0 || done >= reports[i - 1]![0])).toBe(true);
    expect(reports.at(-1)).toEqual([60, 60]);
    await clear();
  });

  it('Given a correction of stored lines in a later chunk, Then the order is re-flagged and the rollups move by after − before', async () => {
    await importFacts(t.db, 'orders', csv([HEAD, ...orders('K', 6)]), 'k.csv', worker);
    // K-1's first line becomes a refund (so the second counts the deal); K-4's second line moves
    // to September; a line joins K-2.
    const fix = csv([
      HEAD,
      ...orders('N', 3),
      'K-1-a,KO-1,2026-02-02,R1,C1,P1,-101,OWN,老客',
      'K-4-b,KO-4,2026-09-09,R1,C2,P2,504,PARTNER,新客',
      'K-2-c,KO-2,2026-03-03,R1,C2,P1,50,PARTNER,老客',
    ]);
    const stages = new Map<string, number>();
    const r = await importFacts(t.db, 'orders', fix, 'fix.csv', { ...worker, stageMs: stages });
    expect(r).toMatchObject({ inserted: 7, updated: 2, unchanged: 0 });
    // Stored lines changed: the writer sums the chunks' deltas itself.
    expect(stages.has('rollups: the worker’s rows')).toBe(false);
    expect(stages.has('rollups: member deltas')).toBe(true);
    const primary = await t.db
      .selectFrom('order_lines')
      .select('ext_id')
      .where('order_no', '=', 'KO-1')
      .where('is_primary', '=', 1)
      .execute();
    expect(primary).toEqual([{ ext_id: 'K-1-b' }]);
    expect(await verifyRollups(t.db)).toEqual([]);
    await clear();
  });

  it('Given problems in several chunks, When all-or-nothing, Then every problem is listed and nothing is written', async () => {
    const before = await t.db.selectFrom('fact_batches').select('id').execute();
    const lines = orders('B', 10);
    lines[1] = 'B-0-b,BO-0,2026-01-01,NOBODY,C2,P2,500,PARTNER,新客';
    lines[15] = 'B-7-b,BO-7,2026-13-01,R1,C1,P2,507,OWN,老客';
    lines[18] = 'B-2-a,BO-9,2026-10-10,R1,C1,P1,109,OWN,老客';
    // A real date no fact can have (an ERP's "no date"): refused in the worker as in line.
    lines[8] = lines[8]!.replace(/,2026-\d\d-\d\d,/, ',9999-12-31,');
    const e = await importFacts(t.db, 'orders', csv([HEAD, ...lines]), 'b.csv', worker).then(
      () => null,
      (err: unknown) => err,
    );
    expect(e).toBeInstanceOf(AppError);
    expect((e as AppError).code).toBe('IMPORT_INVALID');
    expect((e as AppError).problems.map((p) => [p.row, p.code])).toEqual([
      [3, 'REFERENCE_NOT_FOUND'],
      [10, 'FACT_DATE_OUT_OF_RANGE'],
      [17, 'DATE_INVALID'],
      [20, 'IMPORT_DUPLICATE_KEY'],
    ]);
    expect(await t.db.selectFrom('order_lines').select('id').execute()).toEqual([]);
    expect(await t.db.selectFrom('fact_batches').select('id').execute()).toEqual(before);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('Given problems in several chunks, When apply-valid, Then the good rows are written and the bad ones come back as CSV', async () => {
    const lines = orders('V', 10);
    lines[2] = 'V-1-a,VO-1,2026-02-02,R1,NOPE,P1,101,OWN,老客';
    lines[13] = 'V-6-b,VO-6,2026-07-07,R2,C2,NOPE,506,PARTNER,老客';
    const r = await importFacts(t.db, 'orders', csv([HEAD, ...lines]), 'v.csv', {
      ...worker,
      mode: 'apply-valid',
      lang: 'en',
    });
    expect(r).toMatchObject({ rows: 20, inserted: 18, rejected: 2 });
    expect(r.problems.map((p) => p.row)).toEqual([4, 15]);
    const bad = await readTable(r.badRows!, 'bad.csv');
    expect(bad.rows.map((row) => row.cells[0])).toEqual(['V-1-a', 'V-6-b']);
    expect(bad.headers.at(-1)).toBe('Problem');
    expect(await verifyRollups(t.db)).toEqual([]);
    await clear();
  });

  it('Given customers to create named in several chunks and files, Then each is created once and every row finds it', async () => {
    const files = [
      csv([HEAD, ...orders('M', 4, (i) => (i % 2 ? 'NEW-A' : 'C1'))]),
      csv([HEAD, ...orders('L', 3, () => 'NEW-A')]),
    ];
    const results: FactImportResult[] = [];
    for await (const r of importFactFiles(
      t.db,
      'orders',
      files.map((buffer, i) => ({ fileName: `m${i}.csv`, read: async () => buffer })),
      { ...worker, createMissing: { customers: true } },
    ))
      results.push(r);
    expect(results.map((r) => [r.inserted, r.created.customers])).toEqual([
      [8, ['NEW-A']],
      [6, []],
    ]);
    const created = await t.db
      .selectFrom('customers')
      .select('id')
      .where('code', '=', 'NEW-A')
      .execute();
    expect(created).toHaveLength(1);
    const named = await t.db
      .selectFrom('order_lines')
      .select('ext_id')
      .where('customer_id', '=', created[0]!.id)
      .execute();
    expect(named).toHaveLength(4 + 6);
    expect(await verifyRollups(t.db)).toEqual([]);
    await clear();
  });

  it('Given a file read while the one before created a customer, Then its unit rollups follow the reference data of the write', async () => {
    // File 1 creates NEW-B (the reference data moves on); file 2 was read by the worker before
    // that, against the older snapshot, and names only known customers.
    const files = [csv([HEAD, ...orders('Y', 2, () => 'NEW-B')]), csv([HEAD, ...orders('Z', 5)])];
    const stages = new Map<string, number>();
    const results: FactImportResult[] = [];
    for await (const r of importFactFiles(
      t.db,
      'orders',
      files.map((buffer, i) => ({ fileName: `y${i}.csv`, read: async () => buffer })),
      { ...worker, createMissing: { customers: true }, stageMs: stages },
    ))
      results.push(r);
    expect(results.map((r) => r.inserted)).toEqual([4, 10]);
    expect(stages.has('rollups: the worker’s member rows, unit rows here')).toBe(true);
    expect(await verifyRollups(t.db)).toEqual([]);
    await clear();
  });

  it('Given three files and a bad second one, Then the first stays imported, the run stops there and the third is not read into the database', async () => {
    const bad = orders('F2', 2);
    bad[0] = 'F2-0-a,F2O-0,2026-01-01,NOBODY,C1,P1,1,OWN,老客';
    const files = [orders('F1', 3), bad, orders('F3', 3)].map((lines, i) => ({
      fileName: `f${i}.csv`,
      read: async () => csv([HEAD, ...lines]),
    }));
    const done: string[] = [];
    const run = async () => {
      for await (const r of importFactFiles(t.db, 'orders', files, worker))
        done.push(`${r.batchId !== null}:${r.inserted}`);
    };
    await expect(run()).rejects.toMatchObject({ code: 'IMPORT_INVALID' });
    expect(done).toEqual(['true:6']);
    const stored = await t.db.selectFrom('order_lines').select('ext_id').execute();
    expect(stored.map((l) => l.ext_id.slice(0, 2)).every((p) => p === 'F1')).toBe(true);
    expect(await verifyRollups(t.db)).toEqual([]);
    await clear();
  });

  it('Given a manager asking for the worker, Then the import runs in line with the scope checks: a row outside their region is refused', async () => {
    const west = await t.db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', fx.units.west)
      .executeTakeFirstOrThrow();
    const manager: Actor = {
      userId: null,
      role: 'manager',
      scope: { all: false, unitPaths: [west.path], memberId: null },
    };
    const e = await importFacts(t.db, 'orders', csv([HEAD, ...orders('G', 2)]), 'g.csv', {
      ...worker,
      actor: manager,
    }).then(
      () => null,
      (err: unknown) => err as AppError,
    );
    expect(e?.code).toBe('IMPORT_INVALID');
    expect(e?.problems.every((p) => p.code === 'FORBIDDEN')).toBe(true);
    expect(await t.db.selectFrom('order_lines').select('id').execute()).toEqual([]);
  });

  it('Given the worker stopped in the middle of a file, Then the file fails with an error, and the next import starts a new worker', async () => {
    const snapshot = await referenceSnapshot(t.db);
    const stream = preparePool().prepare(
      {
        kind: 'orders',
        buffer: csv([HEAD, ...orders('S', 20_000)]),
        fileName: 's.csv',
        actor: opts.actor,
        createMissing: {},
        snapshotId: snapshot.id,
        dateRange: factDateRange(opts.today),
        // One row a chunk: 40,000 messages, so the worker is still posting when it is stopped.
        chunkRows: 1,
      },
      snapshot.rows,
    );
    expect((await stream.next()).type).toBe('head');
    await preparePool().close();
    const drain = async () => {
      for (;;) if ((await stream.next()).type === 'end') return 'end';
    };
    await expect(drain()).rejects.toThrow(/import worker/);
    const r = await importFacts(t.db, 'orders', csv([HEAD, ...orders('T', 3)]), 't.csv', worker);
    expect(r.inserted).toBe(6);
    await clear();
  });

  it('Given a file the worker cannot read, Then the error is the same as in line', async () => {
    const empty = Buffer.from('订单行号,订单号\r\n', 'utf8');
    await expect(importFacts(t.db, 'orders', empty, 'e.csv', worker)).rejects.toMatchObject({
      code: 'IMPORT_EMPTY',
    });
    await expect(
      importFacts(t.db, 'orders', empty, 'e.csv', { ...opts, worker: false }),
    ).rejects.toMatchObject({ code: 'IMPORT_EMPTY' });
  });
});
