/**
 * `npx tsx bench/support/track-breakdown.ts [--files N] [--rows N]` — where an import's time goes.
 *
 * Imports the first N files of the `bench:track` data (same density as a 10M-row run) into a temp
 * SQLite database through `importFacts`, on a Kysely whose `log` hook sums execution time per
 * statement kind, and times the reading and mapping stages on their own. Prints per-file averages:
 * SQL time by statement, read + map, and the rest (row building, crediting, rollup deltas in JS,
 * Kysely query building and compiling, garbage collection). The bulk writes and lookups run on the
 * better-sqlite3 handle itself (`sqlite-bulk.ts`), past Kysely's log, so they count in the rest; a
 * CPU profile (`--cpu-prof`) splits them.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect, type LogEvent } from 'kysely';
import type { Database } from '../../src/db/schema.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { SqliteHandle } from '../../src/db/sqlite-bulk.ts';
import { importFacts } from '../../src/jobs/facts/import-facts.ts';
import { ordersKind } from '../../src/jobs/facts/orders.ts';
import { mapTable } from '../../src/jobs/import/columns.ts';
import { readTable } from '../../src/jobs/import/read-table.ts';
import { daysBetween, seedTrackOrg } from './track-org.ts';
import { orderChunk, orderCsv, type OrderSpec } from './track-orders.ts';

const { values: args } = parseArgs({
  options: {
    files: { type: 'string', default: '3' },
    rows: { type: 'string', default: '10000000' },
  },
});
const FROM = '2024-11-23';
const TO = '2026-11-22';
const NOW = new Date('2026-11-23T02:00:00.000Z');
const spec: OrderSpec = {
  rows: Number(args.rows),
  fileRows: 50_000,
  members: 1000,
  productLines: 20,
  productsPerLine: 10,
  channels: 4,
  customersPerMember: 40,
  from: FROM,
  days: daysBetween(FROM, TO),
  seed: 20261123,
};

const sqlMs = new Map<string, { ms: number; n: number }>();
function kindOf(sql: string): string {
  const s = sql.replace(/\s+/g, ' ').toLowerCase();
  if (s.startsWith('insert into "order_lines"')) return 'insert order_lines (200-row INSERT)';
  if (s.startsWith('insert into "rollup_sales_day"')) return 'upsert rollup_sales_day (400 rows)';
  if (s.startsWith('insert into "rollup_sales_month"'))
    return 'upsert rollup_sales_month (400 rows)';
  if (s.startsWith('delete from "rollup_sales')) return 'delete zero rollup rows';
  if (s.startsWith('update "order_lines" set "is_primary"'))
    return 'update is_primary (500 ext_ids)';
  if (s.startsWith('select "ext_id", "order_no"'))
    return 'select lines by order_no (orderLinesOf, 500)';
  if (s.startsWith('select * from "order_lines"')) return 'select stored by ext_id (500)';
  return s.slice(0, 40);
}
const log = (e: LogEvent) => {
  const k = kindOf(e.query.sql);
  const cur = sqlMs.get(k) ?? { ms: 0, n: 0 };
  cur.ms += e.queryDurationMillis;
  cur.n++;
  sqlMs.set(k, cur);
};

const dir = mkdtempSync(join(tmpdir(), 'tf-track-breakdown-'));
const sqlite = new SQLite(join(dir, 'b.sqlite'));
for (const p of [
  'journal_mode = WAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'synchronous = NORMAL',
])
  sqlite.pragma(p);
const db = new Kysely<Database>({
  dialect: new SqliteDialect({ database: sqlite }),
  plugins: [new SqliteHandle(sqlite)],
  log,
});
try {
  await migrateToLatest(db);
  await seedTrackOrg(db, {
    members: 1000,
    teamSize: 12,
    regions: 8,
    productLines: 20,
    productsPerLine: 10,
    channels: 4,
    segments: 4,
    customersPerMember: 40,
    transferEvery: 20,
    from: FROM,
    to: TO,
    now: NOW,
  });
  sqlMs.clear();
  const files = Number(args.files);
  let total = 0;
  let cpu = 0;
  let readMap = 0;
  for (let f = 0; f < files; f++) {
    const buffer = Buffer.from(orderCsv(orderChunk(spec, f)));
    const r0 = performance.now();
    mapTable(await readTable(buffer, 'x.csv'), ordersKind.columns);
    readMap += performance.now() - r0;
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    await importFacts(db, 'orders', buffer, `orders-${f}.csv`, {
      actor: { userId: null, role: 'admin', scope: { all: true, unitPaths: [], memberId: null } },
      now: NOW,
      today: '2026-11-23',
    });
    total += performance.now() - t0;
    const u = process.cpuUsage(c0);
    cpu += (u.user + u.system) / 1000;
  }
  const sqlTotal = [...sqlMs.values()].reduce((a, b) => a + b.ms, 0);
  const per = (ms: number) => `${(ms / files / 1000).toFixed(2)} s`;
  const pct = (ms: number) => `${((100 * ms) / total).toFixed(0)}%`;
  console.log(
    `${files} files × 50,000 rows: import ${per(total)} per file wall, ${per(cpu)} CPU\n`,
  );
  console.log('| stage | per file | share |\n|---|---|---|');
  console.log(
    `| read + decode + CSV parse + map/validate cells (readTable + mapTable, timed alone) | ${per(readMap)} | ${pct(readMap)} |`,
  );
  for (const [k, v] of [...sqlMs].sort((a, b) => b[1].ms - a[1].ms))
    console.log(
      `| SQL: ${k} — ${Math.round(v.n / files)} statements | ${per(v.ms)} | ${pct(v.ms)} |`,
    );
  const rest = total - sqlTotal - readMap;
  console.log(
    `| rest: FactRefs.load, buildRow ×2, RollupDeltas, Kysely build + compile, GC | ${per(rest)} | ${pct(rest)} |`,
  );
} finally {
  await db.destroy();
  rmSync(dir, { recursive: true, force: true });
}
