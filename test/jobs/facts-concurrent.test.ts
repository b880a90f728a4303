import { sql } from 'kysely';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { preparePool } from '../../src/app/facts/prepare-pool.ts';
import {
  importFactFiles,
  importFacts,
  type FactImportResult,
} from '../../src/app/facts/import-facts.ts';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { describeEachDialect, type TestDb } from '../support/databases.ts';
import { csv, opts, seedFacts } from './facts-fixture.ts';

const HEAD = '订单行号,订单号,下单日期,销售工号,客户,产品,金额,渠道,客户类别';

/** `n` orders of two lines, the customer of every fifth order `newCustomer` when given. */
function orders(prefix: string, n: number, newCustomer?: string): Buffer {
  const lines = [HEAD];
  for (let i = 0; i < n; i++) {
    const date = `2026-${String((i % 12) + 1).padStart(2, '0')}-${String((i % 27) + 1).padStart(2, '0')}`;
    const customer = newCustomer && i % 5 === 0 ? newCustomer : i % 2 ? 'C1' : 'C2';
    const rep = i % 3 ? 'R1' : 'R2';
    lines.push(
      `${prefix}-${i}-a,${prefix}O-${i},${date},${rep},${customer},P1,${100 + i},OWN,老客`,
    );
    lines.push(
      `${prefix}-${i}-b,${prefix}O-${i},${date},${rep},${customer},P2,${500 + i},OWN,新客`,
    );
  }
  return csv(lines);
}

async function linesOf(t: TestDb, prefix: string): Promise<number> {
  const r = await t.db
    .selectFrom('order_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('ext_id', 'like', `${prefix}-%`)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Both outcomes a concurrent import may have: it landed after the other one and found every
 * line unchanged, or it was refused with the translated conflict. Never both inserting, never
 * another error.
 */
function expectOnce(settled: PromiseSettledResult<FactImportResult>[], lines: number): void {
  for (const s of settled)
    if (s.status === 'rejected') {
      expect(s.reason).toBeInstanceOf(AppError);
      expect((s.reason as AppError).code).toBe('IMPORT_CONFLICT');
    }
  const done = settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value] : []));
  expect(done.length).toBeGreaterThanOrEqual(1);
  expect(done.reduce((n, r) => n + r.inserted, 0)).toBe(lines);
  for (const r of done) expect(r.inserted === lines || r.unchanged === lines).toBe(true);
}

/**
 * Imports `file` twice at once. On PostgreSQL the rollup table is locked meanwhile from another
 * connection, so whichever import gets there first holds its transaction open after inserting the
 * lines, until the other one has run into them (the race two users or two CLI processes meet):
 * without the per-kind lock the second one inserts the same external ids and fails on the key.
 */
async function twice(
  t: TestDb,
  file: Buffer,
  options: Parameters<typeof importFacts>[4],
): Promise<PromiseSettledResult<FactImportResult>[]> {
  const both = () =>
    Promise.allSettled([
      importFacts(t.db, 'orders', file, 'same.csv', options),
      importFacts(t.db, 'orders', file, 'same.csv', options),
    ]);
  if (t.dialect !== 'postgres') return both();
  return t.db.connection().execute(async (blocker) => {
    await sql`begin`.execute(blocker);
    await sql`lock table rollup_sales_day in share mode`.execute(blocker);
    const running = both();
    await new Promise((r) => setTimeout(r, 1500));
    await sql`commit`.execute(blocker);
    return running;
  });
}

describeEachDialect('two imports of one file at once', (t) => {
  beforeAll(async () => {
    await seedFacts(t.db);
  });
  afterAll(async () => {
    await preparePool().close();
  });

  it('Given the same file imported twice at once, in line, Then its lines land once and the rollups match', async () => {
    const file = orders('CC1', 1000);
    const settled = await Promise.allSettled([
      importFacts(t.db, 'orders', file, 'a.csv', { ...opts, worker: false }),
      importFacts(t.db, 'orders', file, 'a.csv', { ...opts, worker: false }),
    ]);
    expectOnce(settled, 2000);
    const racing = await twice(t, orders('CC1b', 100), { ...opts, worker: false });
    expectOnce(racing, 200);
    expect(await linesOf(t, 'CC1b')).toBe(200);
    expect(await linesOf(t, 'CC1')).toBe(2000);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('Given the same file twice at once through the import worker, small chunks, Then once', async () => {
    const file = orders('CC2', 40);
    const worker = { ...opts, worker: true, chunkRows: 7 };
    const settled = await twice(t, file, worker);
    expectOnce(settled, 80);
    expect(await linesOf(t, 'CC2')).toBe(80);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('Given two runs of importFactFiles of the same files at once, Then each file lands once', async () => {
    const files = [orders('CC3', 10), orders('CC4', 10)].map((b, i) => ({
      fileName: `f${i}.csv`,
      read: async () => b,
    }));
    const run = async () => {
      const out: FactImportResult[] = [];
      for await (const r of importFactFiles(t.db, 'orders', files, { ...opts, worker: true }))
        out.push(r);
      return out;
    };
    const [a, b] = await Promise.all([run(), run()]);
    for (let i = 0; i < 2; i++) {
      expect(a[i]!.inserted + b[i]!.inserted).toBe(20);
      expect(a[i]!.unchanged + b[i]!.unchanged).toBe(20);
    }
    expect(await linesOf(t, 'CC3')).toBe(20);
    expect(await linesOf(t, 'CC4')).toBe(20);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('Given both imports create the same missing customer, Then it is created once and the lines land once', async () => {
    const file = orders('CC5', 20, '并发新客户');
    const create = { ...opts, worker: false, createMissing: { customers: true } };
    const settled = await twice(t, file, create);
    expectOnce(settled, 40);
    const customers = await t.db
      .selectFrom('customers')
      .select('id')
      .where('name_zh', '=', '并发新客户')
      .execute();
    expect(customers).toHaveLength(1);
    expect(await linesOf(t, 'CC5')).toBe(40);
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('Given an aborted signal, Then the import throws IMPORT_CANCELLED and writes nothing', async () => {
    const file = orders('CC6', 10);
    const ctl = new AbortController();
    ctl.abort();
    await expect(
      importFacts(t.db, 'orders', file, 'd.csv', { ...opts, signal: ctl.signal }),
    ).rejects.toMatchObject({ code: 'IMPORT_CANCELLED' });
    const worker = new AbortController();
    const running = importFacts(t.db, 'orders', file, 'd.csv', {
      ...opts,
      worker: true,
      chunkRows: 3,
      signal: worker.signal,
      // Cancelled while the writes run: the progress reports come from inside the transaction.
      onProgress: () => worker.abort(),
    });
    await expect(running).rejects.toMatchObject({ code: 'IMPORT_CANCELLED' });
    expect(await linesOf(t, 'CC6')).toBe(0);
    const batches = await t.db
      .selectFrom('fact_batches')
      .select('id')
      .where('file_name', '=', 'd.csv')
      .execute();
    expect(batches).toHaveLength(0);
  });
});
