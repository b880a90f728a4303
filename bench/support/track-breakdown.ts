/**
 * `npx tsx bench/support/track-breakdown.ts [--files N] [--skip N] [--rows N] [--dialect D]` —
 * where an import's time goes.
 *
 * Imports N files of the `bench:track` data (same density as a 10M-row run, after `--skip` files
 * imported unmeasured) into a throw-away SQLite (default) or PostgreSQL (`--dialect postgres`)
 * database through `importFactFiles` (the import worker reads the next file while one is
 * written; `--worker off` keeps the row pass in line), and prints the wall time per file of each
 * stage the importer reports (`stageMs`): decode, reference data, the row pass or the wait for
 * the worker, the lookups, the line insert, the rollup deltas and each rollup table's writes,
 * the commit.
 *
 * `--raw` also writes the same files with `bench:track`'s raw insert into a second database and
 * prints the raw time of the measured files and the ratio raw ÷ import: a quick estimate of the
 * full run's ratio at the same density.
 */
import { parseArgs } from 'node:util';
import { importFactFiles } from '../../src/app/facts/import-facts.ts';
import { pgBenchDb, sqliteBenchDb, type BenchDb } from './databases.ts';
import { rawPgWriter, rawSqliteWriter } from './track-raw.ts';
import { BENCH_SHAPE, daysBetween, seedTrackOrg } from './track-org.ts';
import { orderChunk, orderCsv, type OrderSpec } from './track-orders.ts';
import { maxRssMb, MemoryPeak } from './track-memory.ts';

const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '3' },
    /** Files imported first and not measured (a bigger database to import into). */
    skip: { type: 'string', default: '0' },
    rows: { type: 'string', default: '10000000' },
    dialect: { type: 'string', default: 'sqlite' },
    raw: { type: 'boolean', default: false },
    /** on | off: force the import worker on or off (default: the importer decides). */
    worker: { type: 'string' },
  },
});
const FROM = '2024-11-23';
const TO = '2026-11-22';
const NOW = new Date('2026-11-23T02:00:00.000Z');
const spec: OrderSpec = {
  rows: Number(args.rows),
  fileRows: 50_000,
  members: 1000,
  productLines: BENCH_SHAPE.productLines,
  productsPerLine: BENCH_SHAPE.productsPerLine,
  channels: BENCH_SHAPE.channels,
  customersPerMember: BENCH_SHAPE.customersPerMember,
  from: FROM,
  days: daysBetween(FROM, TO),
  seed: 20261123,
};

const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';
const bench =
  args.dialect === 'postgres'
    ? await pgBenchDb(PG_URL, 'breakdown')
    : await sqliteBenchDb('breakdown');
const db = bench.conn.db;
const ORG = { members: 1000, ...BENCH_SHAPE, from: FROM, to: TO, now: NOW };
let rawBench: BenchDb | undefined;
try {
  await seedTrackOrg(db, ORG);
  const files = Number(args.files);
  const skip = Number(args.skip);
  const stageMs = new Map<string, number>();
  let total = 0;
  let cpu = 0;
  // The product's multi-file import: the worker reads file f + 1 while file f is written.
  // The measured files are generated up front, so their clock sees only the import.
  const ready = new Map<number, Buffer>();
  for (let f = skip; f < skip + files; f++)
    ready.set(f, Buffer.from(orderCsv(orderChunk(spec, f))));
  const list = Array.from({ length: skip + files }, (_, f) => ({
    fileName: `orders-${f}.csv`,
    read: async () => ready.get(f) ?? Buffer.from(orderCsv(orderChunk(spec, f))),
  }));
  let f = 0;
  const peak = new MemoryPeak().start();
  let c0 = process.cpuUsage();
  let t0 = performance.now();
  for await (const r of importFactFiles(db, 'orders', list, {
    actor: { userId: null, role: 'admin', scope: { all: true, unitPaths: [], memberId: null } },
    now: NOW,
    today: '2026-11-23',
    stageMs,
    onProgress: peak.sample,
    ...(args.worker ? { worker: args.worker === 'on' } : {}),
  })) {
    if (r.inserted !== r.rows) throw new Error(`file ${f}: ${r.inserted} of ${r.rows} inserted`);
    if (f >= skip) {
      total += performance.now() - t0;
      const u = process.cpuUsage(c0);
      cpu += (u.user + u.system) / 1000;
    }
    f++;
    // The stages of the measured files only.
    if (f === skip) stageMs.clear();
    c0 = process.cpuUsage();
    t0 = performance.now();
  }
  const per = (ms: number) => `${Math.round(ms / files)} ms`;
  const pct = (ms: number) => `${((100 * ms) / total).toFixed(0)}%`;
  console.log(
    `files ${skip + 1}–${skip + files} × 50,000 rows: import ${per(total)} per file wall, ${per(cpu)} CPU\n`,
  );
  console.log('| stage | per file | share |\n|---|---|---|');
  for (const [k, ms] of stageMs) console.log(`| ${k} | ${per(ms)} | ${pct(ms)} |`);
  const rest = total - [...stageMs.values()].reduce((a, b) => a + b, 0);
  console.log(
    `| outside the stages (transaction start, GC between files) | ${per(rest)} | ${pct(rest)} |`,
  );
  // The kernel's peak covers the worker thread too; the sampled heap is this thread's only.
  const mem = peak.stop();
  console.log(
    `\nmemory over the import: peak RSS ${maxRssMb()} MiB (kernel, whole process, files generated up front included), sampled RSS ${mem.rssMb} MiB, main-thread heap ${mem.heapMb} MiB`,
  );
  if (args.raw) {
    rawBench =
      args.dialect === 'postgres'
        ? await pgBenchDb(PG_URL, 'breakdown_raw')
        : await sqliteBenchDb('breakdown_raw');
    const org = await seedTrackOrg(rawBench.conn.db, ORG);
    let writer;
    if (args.dialect === 'postgres') writer = await rawPgWriter(rawBench.target, org);
    else {
      await rawBench.conn.close();
      writer = rawSqliteWriter(rawBench.target, org);
    }
    let rawMs = 0;
    for (let f = 0; f < skip + files; f++) {
      const ms = await writer.write(orderChunk(spec, f), f + 1);
      if (f >= skip) rawMs += ms;
    }
    await writer.close();
    console.log(
      `\nraw insert of the same files: ${per(rawMs)} per file; ratio raw ÷ import ${(rawMs / total).toFixed(3)}`,
    );
  }
} finally {
  await bench.drop();
  await rawBench?.drop().catch(() => undefined);
}
