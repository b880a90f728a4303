/**
 * `npm run bench:track [-- --rows N] [--members M] [--file-rows N] [--queries N] [--api-queries N]
 *   [--dialect sqlite|postgres|both] [--skip-pg] [--ingest-limit-min N] [--skip-verify]`
 *
 * Actuals and tracking at scale. Generates `rows` order lines (default 10,000,000) for `members`
 * members (default 1,000) over the two years up to 2026-11-22 as CSV files of `file-rows` lines
 * (default 50,000 — the importer's own per-file limit, DEFAULT_MAX_ROWS), streamed to a temp
 * directory one file at a time, then on each database:
 *
 * 1. imports every file through the product's path — `importFactFiles` (read, decode, parse, map
 *    and validate every cell, resolve codes, credit by effective-dated membership, write lines,
 *    primary-line flags and rollup deltas, batch record and audit, all-or-nothing per file; the
 *    row pass of the next file in the import worker while one is written) — and,
 *    in the same run, writes the same rows, resolved to ids, with a raw insert (one prepared
 *    INSERT per row on SQLite, 3,000-row INSERTs on PostgreSQL; one transaction per file). The
 *    ratio raw time ÷ import time is the goal (≥ 0.5);
 * 2. times random dashboard reads — node (company, region, team, member) × period (year, quarter,
 *    month, ISO week, custom) × grouping (none, product line, channel, lifecycle, member/child
 *    unit) — through `salesTotals`, and the tracking overview through `buildApp().inject`;
 * 3. checks `verifyRollups` (rollups = a full recomputation from the lines).
 * Peak RSS and heap of this process (the server) are reported for the import and the reads.
 *
 * `--ingest-limit-min` stops importing after the file that crosses the limit; everything after
 * (raw baseline, reads, verification) then runs on the rows imported so far, and says so.
 *
 * PostgreSQL runs when BENCH_DATABASE_URL / DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * answers; every run creates and drops its own databases.
 */
import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildApp } from '../src/api/build-app.ts';
import { connect, type Connection, type Db } from '../src/db/connect.ts';
import { salesTotals } from '../src/db/rollups.ts';
import { importFactFiles } from '../src/app/facts/import-facts.ts';
import { rebuildRollups, verifyRollups } from '../src/app/facts/rebuild-rollups.ts';
import type { Actor } from '../src/app/import-master/kind.ts';
import { pgBenchDb, pgReachable, sqliteBenchDb, type BenchDb } from './support/databases.ts';
import { MemoryPeak, maxRssMb } from './support/track-memory.ts';
import { fileCount, orderChunk, orderCsv, type OrderSpec } from './support/track-orders.ts';
import {
  BENCH_SHAPE,
  daysBetween,
  seedTrackOrg,
  type TrackOrg,
  type TrackOrgOptions,
} from './support/track-org.ts';
import {
  GROUPINGS,
  latency,
  NODE_KINDS,
  PERIOD_KINDS,
  randomQueries,
  type DashQuery,
  type Latency,
} from './support/track-queries.ts';
import { rawPgWriter, rawSqliteWriter, type RawOrderWriter } from './support/track-raw.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    members: { type: 'string', default: '1000' },
    'file-rows': { type: 'string', default: '50000' },
    queries: { type: 'string', default: '1000' },
    'api-queries': { type: 'string', default: '300' },
    dialect: { type: 'string', default: 'both' },
    'skip-pg': { type: 'boolean', default: false },
    'ingest-limit-min': { type: 'string' },
    'skip-verify': { type: 'boolean', default: false },
  },
});

const FROM = '2024-11-23';
const TO = '2026-11-22';
const NOW = new Date('2026-11-23T02:00:00.000Z');
const TODAY = '2026-11-23';
const ACTOR: Actor = {
  userId: null,
  role: 'admin',
  scope: { all: true, unitPaths: [], memberId: null },
};
const WARM_UP = 100;

const MEMBERS = Number(args.members);
const ORG: Omit<TrackOrgOptions, 'now'> = { members: MEMBERS, ...BENCH_SHAPE, from: FROM, to: TO };
const SPEC: OrderSpec = {
  rows: Number(args.rows),
  fileRows: Number(args['file-rows']),
  members: MEMBERS,
  productLines: ORG.productLines,
  productsPerLine: ORG.productsPerLine,
  channels: ORG.channels,
  customersPerMember: ORG.customersPerMember,
  from: FROM,
  days: daysBetween(FROM, TO),
  seed: 20261123,
};
const LIMIT_MS = args['ingest-limit-min'] ? Number(args['ingest-limit-min']) * 60_000 : Infinity;

interface Result {
  dialect: string;
  rows: number;
  files: number;
  importMs: number;
  rawMs: number;
  /** This process's CPU (user + system): on SQLite all of the work, on PostgreSQL the client's share. */
  importCpuMs: number;
  rawCpuMs: number;
  /** Import seconds of the first and last tenth of the files: does a file get slower as tables grow? */
  firstTenthMs: number;
  lastTenthMs: number;
  ingestMem: { rssMb: number; heapMb: number; maxRssMb: number };
  /** Day / month rollup rows the importer maintained. */
  importedRollups: string;
  /** Order lines and rollups the reads ran on. */
  readRows: number;
  readNote: string;
  dayRollupRows: number;
  monthRollupRows: number;
  unitDayRollupRows: number;
  unitMonthRollupRows: number;
  queries: Latency;
  byNode: Record<string, Latency>;
  byPeriod: Record<string, Latency>;
  byGrouping: Record<string, Latency>;
  queryMem: { rssMb: number; heapMb: number };
  api: Latency | null;
  apiNote: string;
  verifyMs: number | null;
  verifyDiffs: number | null;
  verifyMem: { rssMb: number; heapMb: number } | null;
}

function writeCsvFiles(dir: string): { files: string[]; ms: number; bytes: number } {
  const files: string[] = [];
  let bytes = 0;
  const t0 = performance.now();
  const total = fileCount(SPEC);
  for (let f = 0; f < total; f++) {
    const path = join(dir, `orders-${String(f).padStart(4, '0')}.csv`);
    writeFileSync(path, orderCsv(orderChunk(SPEC, f)));
    bytes += statSync(path).size;
    files.push(path);
    if ((f + 1) % 20 === 0 || f + 1 === total) log(`csv: ${f + 1}/${total} files`);
  }
  return { files, ms: performance.now() - t0, bytes };
}

async function runOne(
  dialect: 'sqlite' | 'postgres',
  files: string[],
  open: (name: string) => Promise<BenchDb>,
): Promise<Result> {
  const main = await open('track');
  const raw = await open('raw');
  let mainDropped = false;
  let reopened: Connection | null = null;
  try {
    const { db } = main.conn;
    const org = await seedTrackOrg(db, { ...ORG, now: NOW });
    const rawOrg = await seedTrackOrg(raw.conn.db, { ...ORG, now: NOW });
    if (JSON.stringify(rawOrg) !== JSON.stringify(org))
      throw new Error('the two databases gave the org different ids');
    log(
      `${dialect}: ${1 + org.regions.length + org.teams.length} units, ${org.members.length} members, ${org.customers.length} customers seeded; importing ${files.length} files…`,
    );

    // 1. The product's import path for many files: `importFactFiles`, each file its own batch,
    // the next file's row pass in the import worker while this one is written.
    const ingestPeak = new MemoryPeak().start();
    const perFile: number[] = [];
    let rows = 0;
    const cpu0 = process.cpuUsage();
    const list = files.map((path) => ({
      fileName: path.slice(path.lastIndexOf('/') + 1),
      read: () => readFile(path),
    }));
    let t0 = performance.now();
    for await (const r of importFactFiles(db, 'orders', list, {
      actor: ACTOR,
      now: NOW,
      today: TODAY,
      mode: 'all-or-nothing',
      onProgress: ingestPeak.sample,
    })) {
      const f = perFile.length;
      perFile.push(performance.now() - t0);
      if (r.inserted !== r.rows)
        throw new Error(`file ${f}: ${r.inserted} of ${r.rows} rows inserted`);
      rows += r.rows;
      const spent = sum(perFile);
      if ((f + 1) % 10 === 0 || f + 1 === files.length) {
        log(
          `${dialect}: imported ${f + 1}/${files.length} files, ${rows.toLocaleString('en')} rows, ${rate(rows, spent)} rows/s, last file ${fmtS(perFile[f]!)}, rss ${mbNow()} MiB`,
        );
      }
      if (spent > LIMIT_MS && f + 1 < files.length) {
        log(
          `${dialect}: --ingest-limit-min reached after ${f + 1} files (${rows.toLocaleString('en')} rows)`,
        );
        break;
      }
      t0 = performance.now();
    }
    const importCpuMs = cpuMs(process.cpuUsage(cpu0));
    const ingestMem = { ...ingestPeak.stop(), maxRssMb: maxRssMb() };
    const importMs = sum(perFile);
    const tenth = Math.max(1, Math.floor(perFile.length / 10));
    const imported = perFile.length;

    // 2. The same rows, raw, into the second database (same org, same ids).
    const writer = await rawWriter(dialect, raw, org);
    let rawMs = 0;
    const rawCpu0 = process.cpuUsage();
    for (let f = 0; f < imported; f++) rawMs += await writer.write(orderChunk(SPEC, f), f + 1);
    const rawCpuMs = cpuMs(process.cpuUsage(rawCpu0));
    log(
      `${dialect}: import ${fmtS(importMs)} (${rate(rows, importMs)} rows/s, cpu ${fmtS(importCpuMs)}), raw ${fmtS(rawMs)} (${rate(rows, rawMs)} rows/s, cpu ${fmtS(rawCpuMs)})`,
    );

    const count = async (
      q: Db,
      t:
        | 'rollup_sales_day'
        | 'rollup_sales_month'
        | 'rollup_unit_day'
        | 'rollup_unit_month'
        | 'order_lines',
    ) =>
      Number(
        (
          await q
            .selectFrom(t)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const stored = await count(db, 'order_lines');
    if (stored !== rows) throw new Error(`${stored} order lines stored, ${rows} imported`);

    // 3. The importer's rollups = a full recomputation.
    let verifyMs: number | null = null;
    let verifyDiffs: number | null = null;
    let verifyMem: { rssMb: number; heapMb: number } | null = null;
    const importedRollups = `${(await count(db, 'rollup_sales_day')).toLocaleString('en')} / ${(await count(db, 'rollup_sales_month')).toLocaleString('en')}`;
    if (!args['skip-verify']) {
      log(`${dialect}: verifying the importer's rollups (day / month rows ${importedRollups})…`);
      const peak = new MemoryPeak().start();
      const t0 = performance.now();
      verifyDiffs = (await verifyRollups(db)).length;
      verifyMs = performance.now() - t0;
      verifyMem = peak.stop();
      log(`${dialect}: verifyRollups ${fmtS(verifyMs)}, ${verifyDiffs} differences`);
    }

    // 4. Reads run on all the rows: when the import stopped early, the rest is loaded raw and the
    // rollups rebuilt with the product's own `rebuildRollups` (what a bulk load would do).
    let readDb = db;
    let readNote = 'the imported database';
    let rebuildMs: number | null = null;
    if (imported < files.length) {
      await main.drop();
      mainDropped = true;
      const t0 = performance.now();
      for (let f = imported; f < files.length; f++) {
        await writer.write(orderChunk(SPEC, f), f + 1);
        if ((f + 1) % 20 === 0) log(`${dialect}: raw-loaded ${f + 1}/${files.length} files`);
      }
      await writer.close();
      log(
        `${dialect}: raw-loaded the remaining ${files.length - imported} files in ${fmtS(performance.now() - t0)}; rebuilding rollups…`,
      );
      reopened = dialect === 'sqlite' ? connect({ sqliteFile: raw.target }) : raw.conn;
      readDb = reopened.db;
      const t1 = performance.now();
      await rebuildRollups(readDb);
      rebuildMs = performance.now() - t1;
      readNote = `all ${SPEC.rows.toLocaleString('en')} rows: ${imported} files imported, the rest raw-loaded + rebuildRollups (${fmtS(rebuildMs)})`;
      log(`${dialect}: rebuildRollups ${fmtS(rebuildMs)}`);
    } else {
      await writer.close();
    }
    const readRows = await count(readDb, 'order_lines');
    const dayRollupRows = await count(readDb, 'rollup_sales_day');
    const monthRollupRows = await count(readDb, 'rollup_sales_month');
    const unitDayRollupRows = await count(readDb, 'rollup_unit_day');
    const unitMonthRollupRows = await count(readDb, 'rollup_unit_month');

    // 5. Dashboard reads through salesTotals.
    const to = orderChunk(SPEC, fileCount(SPEC) - 1).day.at(-1) ?? TO;
    const queryCount = Number(args.queries);
    const warm = randomQueries(org, FROM, to, WARM_UP, 7);
    const timed = randomQueries(org, FROM, to, queryCount, 11);
    for (const q of warm) await runQuery(readDb, q);
    const queryPeak = new MemoryPeak().start();
    const ms: number[] = [];
    for (const q of timed) {
      const t0 = performance.now();
      await runQuery(readDb, q);
      ms.push(performance.now() - t0);
      queryPeak.sample();
    }
    const byKind = <K extends string>(kinds: readonly K[], of: (q: DashQuery) => K) =>
      Object.fromEntries(
        kinds.map((k) => [k, latency(ms.filter((_, i) => of(timed[i]!) === k))]),
      ) as Record<K, Latency>;
    const queries = latency(ms);
    log(
      `${dialect}: salesTotals p50 ${queries.p50.toFixed(1)} ms, p95 ${queries.p95.toFixed(1)} ms, p99 ${queries.p99.toFixed(1)} ms`,
    );

    // 5b. Drill-down by one dimension value: the same nodes and periods, filtered to one product
    // line, channel or lifecycle, by month (a trend line) or in total.
    const filteredMs: number[] = [];
    const lifecycles = ['new', 'existing', 'referral'];
    for (const [i, q] of timed.entries()) {
      const filter =
        i % 3 === 0
          ? { dim: 'product_line' as const, key: org.productLines[i % org.productLines.length]! }
          : i % 3 === 1
            ? { dim: 'channel' as const, key: org.channels[i % org.channels.length]!.id }
            : { dim: 'lifecycle' as const, key: lifecycles[i % lifecycles.length]! };
      const groupBy = i % 2 === 0 ? ('month' as const) : undefined;
      const t0 = performance.now();
      await salesTotals(readDb, { ...q.owner, start: q.start, end: q.end, groupBy, filter });
      filteredMs.push(performance.now() - t0);
    }
    const filtered = latency(filteredMs);
    const filteredByNode = NODE_KINDS.map(
      (k) => `${k} ${latency(filteredMs.filter((_, i) => timed[i]!.node === k)).p95.toFixed(1)}`,
    ).join(', ');
    log(
      `${dialect}: salesTotals with a dimension filter p50 ${filtered.p50.toFixed(1)} ms, p95 ${filtered.p95.toFixed(1)} ms, p99 ${filtered.p99.toFixed(1)} ms (p95 by node: ${filteredByNode})`,
    );

    // 6. The tracking API's overview, in-process.
    const { api, apiNote } = await overviewLatency(readDb, dialect, org, to, queryPeak);
    const queryMem = queryPeak.stop();

    return {
      dialect,
      rows,
      files: imported,
      importMs,
      rawMs,
      importCpuMs,
      rawCpuMs,
      firstTenthMs: sum(perFile.slice(0, tenth)) / tenth,
      lastTenthMs: sum(perFile.slice(-tenth)) / tenth,
      ingestMem,
      importedRollups,
      readRows,
      readNote,
      dayRollupRows,
      monthRollupRows,
      unitDayRollupRows,
      unitMonthRollupRows,
      queries,
      byNode: byKind(NODE_KINDS, (q) => q.node),
      byPeriod: byKind(PERIOD_KINDS, (q) => q.period),
      byGrouping: byKind(GROUPINGS, (q) => q.grouping),
      queryMem,
      api,
      apiNote,
      verifyMs,
      verifyDiffs,
      verifyMem,
    };
  } finally {
    if (!mainDropped) await main.drop();
    if (reopened && reopened !== raw.conn) await reopened.close();
    await raw.drop().catch(() => undefined);
  }
}

async function rawWriter(
  dialect: 'sqlite' | 'postgres',
  raw: BenchDb,
  org: TrackOrg,
): Promise<RawOrderWriter> {
  if (dialect === 'postgres') return rawPgWriter(raw.target, org);
  // The baseline opens the file itself; Kysely's connection is closed first so nothing else holds it.
  await raw.conn.close();
  return rawSqliteWriter(raw.target, org);
}

function cpuMs(u: NodeJS.CpuUsage): number {
  return (u.user + u.system) / 1000;
}

async function runQuery(db: Db, q: DashQuery): Promise<void> {
  await salesTotals(db, { ...q.owner, start: q.start, end: q.end, groupBy: q.groupBy });
}

/** GET /api/tracking/overview for random nodes and periods (no grouping: the overview has none), as an admin. */
async function overviewLatency(
  db: Db,
  dialect: 'sqlite' | 'postgres',
  org: TrackOrg,
  to: string,
  peak: MemoryPeak,
): Promise<{ api: Latency | null; apiNote: string }> {
  const count = Number(args['api-queries']);
  if (count === 0) return { api: null, apiNote: 'skipped' };
  const app = await buildApp({ db, dialect, now: () => NOW });
  try {
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: org.adminUser, password: org.adminPassword },
    });
    const session = login.cookies.find((c) => c.name === 'tf_session');
    if (login.statusCode !== 200 || !session)
      return {
        api: null,
        apiNote: `login failed: ${login.statusCode} ${login.body.slice(0, 200)}`,
      };
    const cookie = `tf_session=${session.value}`;
    const url = (q: DashQuery) =>
      `/api/tracking/overview?${q.nodeParam}&${q.periodId ? `period=${q.periodId}` : `start=${q.start}&end=${q.end}`}&asOf=${to}`;
    const get = async (q: DashQuery) => {
      const res = await app.inject({ method: 'GET', url: url(q), headers: { cookie } });
      if (res.statusCode !== 200)
        throw new Error(`${url(q)}: ${res.statusCode} ${res.body.slice(0, 300)}`);
    };
    for (const q of randomQueries(org, FROM, to, 30, 13)) await get(q);
    const ms: number[] = [];
    for (const q of randomQueries(org, FROM, to, count, 17)) {
      const t0 = performance.now();
      await get(q);
      ms.push(performance.now() - t0);
      peak.sample();
    }
    const api = latency(ms);
    log(
      `${dialect}: overview p50 ${api.p50.toFixed(1)} ms, p95 ${api.p95.toFixed(1)} ms, p99 ${api.p99.toFixed(1)} ms`,
    );
    return { api, apiNote: `${count} requests after 30 warm-up, no active plan (targets 0)` };
  } catch (e) {
    return { api: null, apiNote: `failed: ${(e as Error).message}` };
  } finally {
    await app.close();
  }
}

function sum(list: readonly number[]): number {
  return list.reduce((a, b) => a + b, 0);
}

function rate(rows: number, ms: number): string {
  return Math.round(rows / (ms / 1000)).toLocaleString('en');
}

function fmtS(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function ms1(l: Latency): string {
  return `${l.p50.toFixed(1)} / ${l.p95.toFixed(1)} / ${l.p99.toFixed(1)} / ${l.max.toFixed(0)}`;
}

function mbNow(): number {
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
}

function log(s: string): void {
  console.error(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-track-csv-'));
  const results: Result[] = [];
  try {
    log(
      `generating ${SPEC.rows.toLocaleString('en')} order lines for ${MEMBERS} members, ${SPEC.days} days, ${fileCount(SPEC)} files of ≤ ${SPEC.fileRows.toLocaleString('en')} rows in ${dir}`,
    );
    const csv = writeCsvFiles(dir);
    log(`csv: ${(csv.bytes / 1024 / 1024).toFixed(0)} MiB in ${fmtS(csv.ms)}`);
    if (args.dialect === 'sqlite' || args.dialect === 'both')
      results.push(await runOne('sqlite', csv.files, (name) => sqliteBenchDb(name)));
    if ((args.dialect === 'postgres' || args.dialect === 'both') && !args['skip-pg']) {
      const url =
        process.env.BENCH_DATABASE_URL ??
        process.env.DATABASE_URL ??
        'postgres://postgres@127.0.0.1:5432/test';
      const why = await pgReachable(url);
      if (why) log(`postgres: skipped, ${url.replace(/:[^:@/]*@/, ':***@')} unreachable (${why})`);
      else results.push(await runOne('postgres', csv.files, (name) => pgBenchDb(url, name)));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  console.log(
    `\nnode ${process.version}, ${SPEC.rows.toLocaleString('en')} lines generated, ${MEMBERS} members, files of ${SPEC.fileRows.toLocaleString('en')} rows\n`,
  );
  console.log(
    '| dialect | rows imported | files | import | raw insert | ratio raw÷import (goal ≥ 0.5) | rows/s import | rows/s raw | CPU import / raw (this process) | CPU ratio | s/file first → last tenth | rollup rows day / month |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.dialect} | ${r.rows.toLocaleString('en')} | ${r.files} | ${fmtS(r.importMs)} | ${fmtS(r.rawMs)} | ${(r.rawMs / r.importMs).toFixed(3)} | ` +
        `${rate(r.rows, r.importMs)} | ${rate(r.rows, r.rawMs)} | ${fmtS(r.importCpuMs)} / ${fmtS(r.rawCpuMs)} | ${(r.rawCpuMs / r.importCpuMs).toFixed(3)} | ` +
        `${(r.firstTenthMs / 1000).toFixed(2)} → ${(r.lastTenthMs / 1000).toFixed(2)} | ${r.importedRollups} |`,
    );
  }
  for (const r of results)
    console.log(
      `\n${r.dialect} reads on ${r.readRows.toLocaleString('en')} order lines (${r.readNote}), rollup rows day ${r.dayRollupRows.toLocaleString('en')} / month ${r.monthRollupRows.toLocaleString('en')}, unit rollup rows day ${r.unitDayRollupRows.toLocaleString('en')} / month ${r.unitMonthRollupRows.toLocaleString('en')}`,
    );
  console.log(
    '\nLatency in ms, p50 / p95 / p99 / max; the per node / period / grouping columns are salesTotals p95:\n',
  );
  console.log(
    `| dialect | salesTotals (${args.queries}) | overview API (${args['api-queries']}) | company | region | team | member | year | quarter | month | week | custom | none | product_line | channel | lifecycle | member/child_unit |`,
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    const p95 = (l: Latency | undefined) => (l ? `${l.p95.toFixed(1)}` : '–');
    console.log(
      `| ${r.dialect} | ${Number(args.queries) === 0 ? 'skipped' : ms1(r.queries)} | ${r.api ? ms1(r.api) : r.apiNote.split(':')[0]} | ` +
        [
          ...NODE_KINDS.map((k) => p95(r.byNode[k])),
          ...PERIOD_KINDS.map((k) => p95(r.byPeriod[k])),
          ...GROUPINGS.map((k) => p95(r.byGrouping[k])),
        ].join(' | ') +
        ' |',
    );
  }
  console.log(
    '\n| dialect | import peak RSS / heap (MiB) | process max RSS after import | reads peak RSS / heap | verifyRollups (imported rows) | verify peak RSS / heap |',
  );
  console.log('|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.dialect} | ${r.ingestMem.rssMb} / ${r.ingestMem.heapMb} | ${r.ingestMem.maxRssMb} | ${r.queryMem.rssMb} / ${r.queryMem.heapMb} | ` +
        `${r.verifyMs === null ? 'skipped' : `${fmtS(r.verifyMs)}, ${r.verifyDiffs} differences`} | ${r.verifyMem ? `${r.verifyMem.rssMb} / ${r.verifyMem.heapMb}` : '–'} |`,
    );
  }
  if (results.some((r) => r.api === null))
    for (const r of results) console.log(`\n${r.dialect} overview: ${r.apiNote}`);
}

await main();
