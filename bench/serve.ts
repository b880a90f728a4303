/**
 * `npm run bench:serve [-- --pg] [--skip-sqlite] [--duration S] [--connections 50,200] [--user U]
 *   [--profile DIR]`
 *
 * The dashboards under load, over HTTP on loopback. For each database — a temp SQLite file, and
 * PostgreSQL when `--pg` or DATABASE_URL is given (a throw-away database on that server, default
 * postgres://postgres@127.0.0.1:5432/test) — it seeds the demo company (`seedDemo`, today in
 * China), starts the app in a child process on 127.0.0.1 (never any other host), signs in (the
 * sales director by default: a manager whose scope is checked on every request) and runs with
 * autocannon, at each connection count for `duration` seconds each (after a 2 s warm-up):
 *
 *   health    GET /api/health (with the session cookie, as a browser sends it)
 *   overview  GET /api/tracking/overview?period=FY<this year>   (the company's year)
 *   ranking   GET /api/tracking/ranking?period=FY<this year>    (its 65 members, 271 bands)
 *
 * printing req/s, p50 and p99 latency, errors (including non-2xx answers) and timeouts (10 s).
 * `--profile DIR` runs the server under `node --cpu-prof` and leaves its profile in DIR.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { chinaToday } from '../src/app/clock.ts';
import { DEMO_PASSWORD } from '../src/app/seed-demo/demo-logins.ts';
import { seedDemo } from '../src/app/seed-demo/seed-demo.ts';
import { getSetting } from '../src/db/settings.ts';
import { fiscalYearOf } from '../src/domain/periods.ts';
import { pgBenchDb, pgReachable, sqliteBenchDb, type BenchDb } from './support/databases.ts';

const { values: args } = parseArgs({
  options: {
    pg: { type: 'boolean', default: false },
    'skip-sqlite': { type: 'boolean', default: false },
    duration: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50,200' },
    user: { type: 'string', default: 'director' },
    profile: { type: 'string' },
  },
});

const HOST = '127.0.0.1';
const duration = Number(args.duration);
const connectionCounts = args.connections.split(',').map(Number);
const pgUrl =
  process.env.DATABASE_URL ?? (args.pg ? 'postgres://postgres@127.0.0.1:5432/test' : null);

interface Row {
  dialect: string;
  endpoint: string;
  connections: number;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  timeouts: number;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  if (!args['skip-sqlite'])
    rows.push(...(await benchDialect('sqlite', await sqliteBenchDb('serve'))));
  if (pgUrl) {
    const down = await pgReachable(pgUrl);
    if (down) console.log(`PostgreSQL at ${pgUrl} does not answer (${down}): skipped`);
    else rows.push(...(await benchDialect('postgres', await pgBenchDb(pgUrl, 'serve'))));
  }
  console.log(
    '\n| database | endpoint | connections | req/s | p50 ms | p99 ms | errors | timeouts |',
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows)
    console.log(
      `| ${r.dialect} | ${r.endpoint} | ${r.connections} | ${Math.round(r.rps).toLocaleString('en')} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.timeouts} |`,
    );
}

async function benchDialect(dialect: string, bench: BenchDb): Promise<Row[]> {
  const now = new Date();
  const today = chinaToday(now);
  let t0 = Date.now();
  const seeded = await seedDemo(bench.conn.db, { today, now });
  if (!seeded.seeded) throw new Error('the demo company was not written');
  const year = fiscalYearOf(today, await getSetting(bench.conn.db, 'fiscalYearStartMonth'));
  console.log(`${dialect}: demo company seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await bench.conn.close();
  const server = await startServer(bench.target);
  try {
    const base = `http://${HOST}:${server.port}`;
    const login = await fetch(`${base}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: args.user, password: DEMO_PASSWORD }),
    });
    if (!login.ok) throw new Error(`login failed: ${login.status} ${await login.text()}`);
    const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0]!;
    const endpoints: [string, string][] = [
      ['health', '/api/health'],
      ['overview', `/api/tracking/overview?period=${year}`],
      ['ranking', `/api/tracking/ranking?period=${year}`],
    ];
    for (const [, path] of endpoints) {
      t0 = performance.now();
      const res = await fetch(base + path, { headers: { cookie } });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      console.log(`${dialect}: first ${path} in ${(performance.now() - t0).toFixed(1)} ms`);
    }
    const rows: Row[] = [];
    for (const connections of connectionCounts)
      for (const [endpoint, path] of endpoints) {
        await load(base + path, cookie, 10, 2);
        const r = await load(base + path, cookie, connections, duration);
        const row: Row = {
          dialect,
          endpoint,
          connections,
          rps: r.requests.average,
          p50: r.latency.p50,
          p99: r.latency.p99,
          errors: r.errors + r.non2xx,
          timeouts: r.timeouts,
        };
        console.log(
          `${dialect} ${endpoint} c=${connections}: ${Math.round(row.rps)} req/s, p50 ${row.p50} ms, p99 ${row.p99} ms, errors ${row.errors}, timeouts ${row.timeouts}`,
        );
        rows.push(row);
      }
    return rows;
  } finally {
    await server.stop();
    await bench.drop();
  }
}

function load(url: string, cookie: string, connections: number, seconds: number) {
  return autocannon({ url, connections, duration: seconds, timeout: 10, headers: { cookie } });
}

async function startServer(target: string): Promise<{ port: number; stop(): Promise<void> }> {
  const flags = ['--import', 'tsx'];
  if (args.profile) {
    mkdirSync(args.profile, { recursive: true });
    flags.push('--cpu-prof', `--cpu-prof-dir=${args.profile}`);
  }
  const child: ChildProcess = spawn(
    process.execPath,
    [...flags, new URL('./support/serve-child.ts', import.meta.url).pathname],
    { env: { ...process.env, TF_BENCH_DB: target }, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the server exited (${code})`)));
    createInterface({ input: child.stdout! }).once('line', (line) => {
      resolve((JSON.parse(line) as { port: number }).port);
    });
  });
  return {
    port,
    stop: async () => {
      child.kill('SIGTERM');
      await exited;
    },
  };
}

await main();
