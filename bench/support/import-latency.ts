/**
 * `npx tsx bench/support/import-latency.ts [--rows 200000] [--dialect sqlite|postgres]
 * [--read-db off]` — how long other requests wait while an import runs on the same instance.
 *
 * Seeds the `bench:track` company into a throw-away database (a SQLite temp file by default),
 * builds the server in-process (`buildApp`, the read connection wired as `serve` wires it), logs
 * in as the admin, then imports `--rows` order lines (50,000-line CSV files through
 * `importFactFiles`, as the CLI and the import job do) while a timer fires every 20 ms a
 * `GET /api/health` and a `GET /api/tracking/overview` of the company for a random month through
 * `app.inject`. A request's latency counts from the moment its tick was due to its response, so
 * time the event loop spent blocked before the tick could run counts too. Prints max / p99 / p50
 * of each, with the same measured on an idle server first (baseline), and the import's time.
 * `--read-db off` gives the server the write connection for reads (before the read connection).
 */
import { parseArgs } from 'node:util';
import { buildApp } from '../../src/api/build-app.ts';
import { importFactFiles } from '../../src/app/facts/import-facts.ts';
import { pgBenchDb, sqliteBenchDb } from './databases.ts';
import { latency, type Latency } from './track-queries.ts';
import { BENCH_SHAPE, daysBetween, seedTrackOrg } from './track-org.ts';
import { orderChunk, orderCsv, type OrderSpec } from './track-orders.ts';
import { maxRssMb } from './track-memory.ts';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '200000' },
    dialect: { type: 'string', default: 'sqlite' },
    'read-db': { type: 'string', default: 'on' },
    /** Files imported before the measured ones (a fuller database). */
    skip: { type: 'string', default: '0' },
  },
});
const FROM = '2024-11-23';
const TO = '2026-11-22';
const NOW = new Date('2026-11-23T02:00:00.000Z');
const TICK_MS = 20;
const FILE_ROWS = 50_000;
const rows = Number(args.rows);
const skip = Number(args.skip);
const spec: OrderSpec = {
  // The whole 10M set's density, so a file spans the days it spans in bench:track.
  rows: 10_000_000,
  fileRows: FILE_ROWS,
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
  args.dialect === 'postgres' ? await pgBenchDb(PG_URL, 'latency') : await sqliteBenchDb('latency');
const { db, dialect } = bench.conn;
const readDb = args['read-db'] === 'off' ? db : (bench.conn.readDb ?? db);
const actor = {
  userId: null,
  role: 'admin' as const,
  scope: { all: true, unitPaths: [], memberId: null },
};
try {
  const org = await seedTrackOrg(db, {
    members: 1000,
    ...BENCH_SHAPE,
    from: FROM,
    to: TO,
    now: NOW,
  });
  const files = Math.ceil(rows / FILE_ROWS);
  const list = (from: number, to: number) =>
    Array.from({ length: to - from }, (_, i) => {
      const buffer = Buffer.from(orderCsv(orderChunk(spec, from + i)));
      return { fileName: `orders-${from + i}.csv`, read: async () => buffer };
    });
  if (skip > 0)
    for await (const _ of importFactFiles(db, 'orders', list(0, skip), {
      actor,
      now: NOW,
      today: '2026-11-23',
    }));
  const measured = list(skip, skip + files);
  // No job worker: only the import and the probes run.
  const app = await buildApp({ db, readDb, dialect, now: () => NOW, jobs: { worker: false } });
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: org.adminUser, password: org.adminPassword },
  });
  const session = login.cookies.find((c) => c.name === 'tf_session');
  if (!session) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  const cookie = `tf_session=${session.value}`;
  const months = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'];
  let k = 0;
  const overview = () =>
    `/api/tracking/overview?unitId=${org.root.id}&period=${months[k++ % months.length]}&asOf=${TO}`;

  /**
   * Each URL on its own clock until `until` settles: due every TICK_MS; a request is sent at its
   * due time (or as soon as the previous one answered) and its latency counts from the due time.
   * Ticks that pass while one waits are not sent, so the probe never queues up behind itself.
   */
  const probe = async (until: Promise<unknown>) => {
    let done = false;
    void until.finally(() => (done = true));
    const loop = async (url: () => string) => {
      const ms: number[] = [];
      const t0 = performance.now();
      let tick = 0;
      while (!done) {
        tick = Math.max(tick + 1, Math.ceil((performance.now() - t0) / TICK_MS));
        const due = t0 + tick * TICK_MS;
        const wait = due - performance.now();
        if (wait > 0) await new Promise((r) => setTimeout(r, wait));
        if (done) break;
        const res = await app.inject({ method: 'GET', url: url(), headers: { cookie } });
        if (res.statusCode !== 200) throw new Error(`${url()}: ${res.statusCode} ${res.body}`);
        ms.push(performance.now() - due);
      }
      return latency(ms);
    };
    const [health, tracking] = await Promise.all([loop(() => '/api/health'), loop(overview)]);
    return { health, tracking };
  };
  const show = (name: string, l: Latency) =>
    `${name}: n ${l.n}, max ${l.max.toFixed(0)} ms, p99 ${l.p99.toFixed(0)} ms, p50 ${l.p50.toFixed(1)} ms`;

  const idle = await probe(new Promise((r) => setTimeout(r, 2000)));
  console.log(`idle (2 s)\n  ${show('health', idle.health)}\n  ${show('overview', idle.tracking)}`);

  const t0 = performance.now();
  // Where the loop stalls: gaps of a 5 ms timer over 100 ms, and the importer's stage laps (a
  // lap's end time and the stage it closed), to tell which stage ran in a stall.
  const laps: [number, string][] = [];
  const stageMs = new (class extends Map<string, number> {
    override set(k: string, v: number) {
      laps.push([performance.now() - t0, k]);
      return super.set(k, v);
    }
  })();
  const stalls: [number, number][] = [];
  let last = performance.now();
  const monitor = setInterval(() => {
    const now = performance.now();
    if (now - last > 100) stalls.push([now - t0, now - last]);
    last = now;
  }, 5);
  const importing = (async () => {
    let lines = 0;
    for await (const r of importFactFiles(db, 'orders', measured, {
      actor,
      now: NOW,
      today: '2026-11-23',
      stageMs,
    }))
      lines += r.inserted;
    return lines;
  })();
  const during = await probe(importing);
  const lines = await importing;
  const ms = performance.now() - t0;
  clearInterval(monitor);
  // The stages that closed inside the stall (their synchronous end ran in it).
  const stagesIn = (t: number, gap: number) =>
    [...new Set(laps.filter(([at]) => at >= t - gap && at <= t).map(([, k]) => k))].join('; ') ||
    '(no stage closed: GC, or work between stages)';
  const worst = [...stalls].sort((a, b) => b[1] - a[1]).slice(0, 12);
  console.log(
    'longest stalls of the event loop (ms, when it ended, the stages that closed in it):',
  );
  for (const [at, gap] of worst)
    console.log(`  ${gap.toFixed(0)} ms at ${(at / 1000).toFixed(2)} s: ${stagesIn(at, gap)}`);
  console.log(
    `during an import of ${lines.toLocaleString('en')} lines (${files} files, ${(ms / 1000).toFixed(1)} s, ${dialect}, reads on ${readDb === db ? 'the write connection' : 'the read connection'})\n  ${show('health', during.health)}\n  ${show('overview', during.tracking)}\n  peak RSS ${maxRssMb()} MiB`,
  );
  await app.close();
} finally {
  await bench.drop();
}
