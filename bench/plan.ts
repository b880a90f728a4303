/**
 * `npm run bench:plan [-- --members N] [--lines N] [--dialect sqlite|postgres|both]`
 *
 * Decomposes one year target over members × 12 months × product lines through the planner's own
 * set-based path (`cascadePlan`: year → months → company → regions → teams → members → product
 * lines, persisted with `insertSplits`/`insertCells` in one transaction), then, in the same run,
 * writes exactly the same cells with the plainest fast insert the database offers (a prepared
 * statement in one transaction on SQLite; 4,000-row multi-row INSERTs in one transaction on
 * PostgreSQL) and reports both times, their ratio (goal ≤ 2×) and cells per second.
 *
 * `--sqlite-statement-cache` is an experiment: the planner's SQLite connection reuses prepared INSERTs.
 *
 * PostgreSQL runs when BENCH_DATABASE_URL / DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * answers; every run creates and drops its own databases.
 */
import { parseArgs } from 'node:util';
import { cascadePlan } from '../src/db/plans/cascade.ts';
import { insertCell } from '../src/db/plans/cells.ts';
import type { SplitContext } from '../src/db/plans/decompose-cell.ts';
import { withDims } from '../src/db/plans/keys.ts';
import { ensureBuiltinMetrics, metricByCode } from '../src/db/plans/metrics.ts';
import { createPlan } from '../src/db/plans/versions.ts';
import { pgBenchDb, pgReachable, sqliteBenchDb, type BenchDb } from './support/databases.ts';
import { rawInsertPg, rawInsertSqlite, readCellColumns } from './support/raw-insert.ts';
import { seedBenchOrg } from './support/seed-org.ts';

const { values: args } = parseArgs({
  options: {
    members: { type: 'string', default: '10000' },
    lines: { type: 'string', default: '20' },
    dialect: { type: 'string', default: 'both' },
    /** Experiment: SQLite with prepared INSERTs reused by SQL text (see bench/support/databases.ts). */
    'sqlite-statement-cache': { type: 'boolean', default: false },
  },
});
const MEMBERS = Number(args.members);
const LINES = Number(args.lines);
const FISCAL_YEAR = 2026;
const NOW = new Date('2026-01-05T02:00:00.000Z');
/** 120万元 a member: a 100亿元 company at 10,000 members, far inside the safe-integer range of fen. */
const PER_MEMBER = 120 * 10_000 * 100;

interface Result {
  dialect: string;
  members: number;
  units: number;
  cells: number;
  leafCells: number;
  splits: number;
  decomposeMs: number;
  rawMs: number;
  /** This process's CPU time (user + system) for each side: steadier than wall time on a shared machine; the whole story on SQLite, the client side only on PostgreSQL. */
  decomposeCpuMs: number;
  rawCpuMs: number;
}

async function runOne(
  dialect: 'sqlite' | 'postgres',
  open: (name: string) => Promise<BenchDb>,
): Promise<Result> {
  // 1. The planner's path.
  const main = await open('plan');
  const raw = await open('raw');
  try {
    const org = await seedBenchOrg(main.conn.db, {
      members: MEMBERS,
      productLines: LINES,
      fiscalYear: FISCAL_YEAR,
      now: NOW,
    });
    const parent = withDims({ ownerType: 'unit', ownerId: org.rootId, period: `FY${FISCAL_YEAR}` });
    await insertCell(main.conn.db, {
      versionId: org.versionId,
      metricId: org.metricId,
      key: parent,
      value: MEMBERS * PER_MEMBER,
      splitId: null,
    });
    const ctx: SplitContext = {
      versionId: org.versionId,
      metricId: org.metricId,
      frozenBefore: null,
      fiscalStartMonth: 1,
      lensesJson: '{}',
      userId: 1,
      now: NOW,
    };
    // Product lines weighted 1…20, so the split is not trivially even.
    const weights = Object.fromEntries(org.productLineIds.map((id, i) => [String(id), i + 1]));
    log(
      `${dialect}: ${org.units} units, ${MEMBERS} members, ${LINES} product lines seeded; decomposing…`,
    );
    const t0 = performance.now();
    const c0 = process.cpuUsage();
    const r = await main.conn.db.transaction().execute((trx) =>
      cascadePlan(trx, ctx, {
        parent,
        time: { method: 'seasonality', inputs: { quarterPercentsBp: [2200, 2500, 2600, 2700] } },
        org: { method: 'even', inputs: {} },
        productLines: { method: 'weights', inputs: { weights } },
      }),
    );
    const decomposeMs = performance.now() - t0;
    const decomposeCpuMs = cpuMsSince(c0);
    log(
      `${dialect}: decompose+persist ${fmtMs(decomposeMs)} (${r.cellsWritten} cells, ${r.splitsWritten} splits); reading the cells back…`,
    );

    // 2. The same cells, raw, into a fresh database with the same schema.
    const cells = await readCellColumns(main.conn.db, org.versionId);
    if (cells.count !== r.cellsWritten + 1)
      throw new Error(`${cells.count} cells stored, ${r.cellsWritten + 1} expected`);
    const leafCells = countLeaves(cells.productLineId);
    await ensureBuiltinMetrics(raw.conn.db, NOW);
    const metric = await metricByCode(raw.conn.db, 'revenue');
    const { version } = await createPlan(
      raw.conn.db,
      { fiscalYear: FISCAL_YEAR, nameZh: '基准', nameEn: 'Raw' },
      1,
      NOW,
    );
    let rawMs: number;
    const c1 = process.cpuUsage();
    if (dialect === 'sqlite') {
      // The baseline opens the file itself; Kysely's connection is closed first so nothing else holds it.
      await raw.conn.close();
      rawMs = rawInsertSqlite(raw.target, version.id, metric.id, cells);
    } else {
      rawMs = await rawInsertPg(raw.target, version.id, metric.id, cells);
    }
    const rawCpuMs = cpuMsSince(c1);
    log(`${dialect}: raw insert ${fmtMs(rawMs)}`);
    return {
      dialect,
      members: MEMBERS,
      units: org.units,
      cells: cells.count,
      leafCells,
      splits: r.splitsWritten,
      decomposeMs,
      rawMs,
      decomposeCpuMs,
      rawCpuMs,
    };
  } finally {
    await main.drop();
    await raw.drop().catch(() => undefined);
  }
}

function countLeaves(productLineId: Int32Array): number {
  let n = 0;
  for (const id of productLineId) if (id !== 0) n++;
  return n;
}

function fmtMs(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(start);
  return (u.user + u.system) / 1000;
}

function log(s: string): void {
  console.error(`[${new Date().toISOString().slice(11, 19)}] ${s}`);
}

async function main(): Promise<void> {
  const results: Result[] = [];
  if (args.dialect === 'sqlite' || args.dialect === 'both')
    results.push(
      await runOne('sqlite', (name) =>
        sqliteBenchDb(name, { statementCache: args['sqlite-statement-cache'] }),
      ),
    );
  if (args.dialect === 'postgres' || args.dialect === 'both') {
    const url =
      process.env.BENCH_DATABASE_URL ??
      process.env.DATABASE_URL ??
      'postgres://postgres@127.0.0.1:5432/test';
    const why = await pgReachable(url);
    if (why) log(`postgres: skipped, ${url.replace(/:[^:@/]*@/, ':***@')} unreachable (${why})`);
    else results.push(await runOne('postgres', (name) => pgBenchDb(url, name)));
  }
  console.log(`\nnode ${process.version}, members ${MEMBERS}, product lines ${LINES}\n`);
  console.log(
    '| dialect | cells (leaf) | splits | decompose+persist | raw insert | ratio | CPU decompose / raw | CPU ratio | cells/s (decompose) | cells/s (raw) |',
  );
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const r of results) {
    console.log(
      `| ${r.dialect} | ${r.cells.toLocaleString('en')} (${r.leafCells.toLocaleString('en')}) | ${r.splits.toLocaleString('en')} | ${fmtMs(r.decomposeMs)} | ${fmtMs(r.rawMs)} | ` +
        `${(r.decomposeMs / r.rawMs).toFixed(2)}× | ${fmtMs(r.decomposeCpuMs)} / ${fmtMs(r.rawCpuMs)} | ${(r.decomposeCpuMs / r.rawCpuMs).toFixed(2)}× | ${Math.round(r.cells / (r.decomposeMs / 1000)).toLocaleString('en')} | ${Math.round(r.cells / (r.rawMs / 1000)).toLocaleString('en')} |`,
    );
  }
}

await main();
