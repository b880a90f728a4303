/**
 * `npm run bench:jobs [-- --queued 10000] [--claims 2000] [--pg]`
 *
 * What claiming a job costs: a queue of `queued` jobs (most of them not yet due, as a busy queue
 * has), then `claims` claims one after another, each finished at once (claim, then the success
 * update), timed per claim; on PostgreSQL also 4 claimers at the same time (SKIP LOCKED), to show
 * that they do not wait on each other. Prints p50, p99 and max in ms. The goal: under 5 ms a claim.
 */
import { parseArgs } from 'node:util';
import { claimJob, enqueueJob, finishJob } from '../src/db/jobs.ts';
import type { Db, DialectName } from '../src/db/connect.ts';
import { pgBenchDb, pgReachable, sqliteBenchDb, type BenchDb } from './support/databases.ts';

const { values: args } = parseArgs({
  options: {
    queued: { type: 'string', default: '10000' },
    claims: { type: 'string', default: '2000' },
    pg: { type: 'boolean', default: false },
  },
});
const QUEUED = Number(args.queued);
const CLAIMS = Number(args.claims);
const PG_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

function quantiles(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `p50 ${q(0.5).toFixed(2)} ms  p99 ${q(0.99).toFixed(2)} ms  max ${s.at(-1)!.toFixed(2)} ms`;
}

async function fill(db: Db) {
  const now = new Date();
  // Most of the queue is due later (retries, future slots); CLAIMS of it is due now.
  for (let i = 0; i < QUEUED; i++) {
    const runAfter = i < CLAIMS ? now : new Date(now.getTime() + 3600_000 + i);
    await enqueueJob(db, { kind: 'bench.noop', payload: { i }, createdBy: null, runAfter }, now);
  }
}

async function claimLoop(db: Db, dialect: DialectName, owner: string, n: number) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const t0 = performance.now();
    const job = await claimJob(db, dialect, {
      owner,
      kinds: ['bench.noop'],
      now: new Date(),
      leaseMs: 30_000,
    });
    times.push(performance.now() - t0);
    if (!job) break;
    await finishJob(db, job.id, owner, new Date(), { state: 'succeeded', result: null });
  }
  return times;
}

async function run(label: string, bench: BenchDb) {
  const { db, dialect } = bench.conn;
  try {
    await fill(db);
    const one = await claimLoop(db, dialect, 'bench-1', CLAIMS);
    console.log(`${label}  ${QUEUED} queued, ${one.length} claims, one claimer: ${quantiles(one)}`);
    if (dialect === 'postgres') {
      await db.deleteFrom('jobs').execute();
      await fill(db);
      const four = await Promise.all(
        [1, 2, 3, 4].map((w) => claimLoop(db, dialect, `bench-${w}`, CLAIMS / 4)),
      );
      console.log(`${label}  4 claimers at once: ${quantiles(four.flat())}`);
    }
  } finally {
    await bench.drop();
  }
}

await run('SQLite    ', await sqliteBenchDb('jobs'));
if (args.pg || process.env.DATABASE_URL) {
  const unreachable = await pgReachable(PG_URL);
  if (unreachable === null) await run('PostgreSQL', await pgBenchDb(PG_URL, 'jobs'));
  else console.log(`PostgreSQL at ${PG_URL} unreachable (${unreachable}): skipped`);
}
