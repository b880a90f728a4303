import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { actorForUser } from '../../src/app/auth/actor-for-user.ts';
import { startFactImport } from '../../src/app/facts/fact-import-job.ts';
import { importFacts } from '../../src/app/facts/import-facts.ts';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { connect, type Connection } from '../../src/db/connect.ts';
import { getJob } from '../../src/db/jobs.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { PASSWORD } from '../support/app.ts';
import { createPgDatabase } from '../support/databases.ts';
import { csv, opts, seedFacts } from './facts-fixture.ts';

/**
 * Faults only real processes show: a worker killed with SIGKILL in the middle of an import, a
 * worker stopped with SIGTERM while it imports, and two app instances sharing one PostgreSQL
 * database. The processes are the real `targetflow` command (worker, serve) on 127.0.0.1.
 */
const MAIN = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));
const TSX = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

interface Proc {
  child: ChildProcess;
  output(): string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function cli(args: string[], env: Record<string, string>): Proc {
  const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], {
    env: { ...process.env, LANG: 'en', TARGETFLOW_JOB_POLL_MS: '100', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, output: () => out, exited };
}

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, ms = 90_000) {
  const end = Date.now() + ms;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

const ROWS = 50_000;
const bigFile = (prefix: string) =>
  csv([
    '订单行号,下单日期,销售工号,金额',
    ...Array.from({ length: ROWS }, (_, i) => `${prefix}-${i},2026-03-05,R1,${(i % 97) + 1}`),
  ]);

const pgUrl = inject('pgUrl');

for (const dialect of ['sqlite', 'postgres'] as const) {
  (dialect === 'sqlite' || pgUrl ? describe : describe.skip)(
    `processes that die or stop [${dialect}]`,
    { timeout: 240_000 },
    () => {
      let conn: Connection;
      let env: Record<string, string>;
      let drop: (() => Promise<void>) | undefined;
      let dir: string | undefined;
      const running: Proc[] = [];
      const start = (args: string[], extra: Record<string, string> = {}) => {
        const p = cli(args, { ...env, ...extra });
        running.push(p);
        return p;
      };

      beforeAll(async () => {
        if (dialect === 'sqlite') {
          dir = mkdtempSync(join(tmpdir(), 'tf-proc-'));
          const file = join(dir, 'db.sqlite');
          env = { TARGETFLOW_DB_FILE: file };
          conn = connect({ sqliteFile: file });
        } else {
          const created = await createPgDatabase(pgUrl);
          drop = created.drop;
          env = { DATABASE_URL: created.url };
          conn = connect({ databaseUrl: created.url });
        }
        await migrateToLatest(conn.db);
        await seedFacts(conn.db);
      });
      afterAll(async () => {
        for (const p of running) if (p.child.exitCode === null) p.child.kill('SIGKILL');
        await Promise.all(running.map((p) => p.exited));
        await conn?.close();
        await drop?.();
        if (dir) rmSync(dir, { recursive: true, force: true });
      });

      const admin = async () => {
        const u = await conn.db
          .selectFrom('users')
          .select('id')
          .where('username', '=', 'admin')
          .executeTakeFirstOrThrow();
        return (await actorForUser(conn.db, u.id))!;
      };
      const lines = async (prefix: string) =>
        Number(
          (
            await conn.db
              .selectFrom('order_lines')
              .select((eb) => eb.fn.countAll<number>().as('n'))
              .where('ext_id', 'like', `${prefix}-%`)
              .executeTakeFirstOrThrow()
          ).n,
        );

      it('SIGKILL in the middle of an import: nothing half-applied, the job is retried after its lease, the file lands once', async () => {
        const file = bigFile('K');
        const { jobId } = await startFactImport(
          conn.db,
          await admin(),
          { kind: 'orders', fileName: 'kill.csv', data: file, rows: ROWS },
          new Date(),
        );
        const env1 = { TARGETFLOW_JOB_LEASE_MS: '2000', TARGETFLOW_IMPORT_WORKER: 'off' };
        const first = start(['worker'], env1);
        await until(
          'the job to start',
          () => getJob(conn.db, jobId),
          (j) => j?.state === 'running',
        );
        await new Promise((r) => setTimeout(r, 400));
        first.child.kill('SIGKILL');
        expect((await first.exited).signal).toBe('SIGKILL');
        // Killed mid-import: the job still says running (its lease will expire), nothing landed.
        expect((await getJob(conn.db, jobId))!.state).toBe('running');
        expect(await lines('K')).toBe(0);
        expect(await verifyRollups(conn.db)).toEqual([]);

        const second = start(['worker'], env1);
        const done = await until(
          'the retried job to finish',
          () => getJob(conn.db, jobId),
          (j) => j?.state === 'succeeded' || j?.state === 'failed',
          180_000,
        );
        expect(done).toMatchObject({ state: 'succeeded', attempts: 2 });
        expect(await lines('K')).toBe(ROWS);
        expect(await verifyRollups(conn.db)).toEqual([]);
        second.child.kill('SIGTERM');
        expect((await second.exited).code).toBe(0);
        // Importing the same file again changes nothing.
        const again = await importFacts(conn.db, 'orders', file, 'kill.csv', opts);
        expect(again).toMatchObject({ inserted: 0, updated: 0, unchanged: ROWS });
      });

      it('SIGTERM while importing: the process exits 0 and the job is finished or back in the queue, never left running', async () => {
        const { jobId } = await startFactImport(
          conn.db,
          await admin(),
          { kind: 'orders', fileName: 'term.csv', data: bigFile('T'), rows: ROWS },
          new Date(),
        );
        const env2 = { TARGETFLOW_SHUTDOWN_MS: '50', TARGETFLOW_IMPORT_WORKER: 'off' };
        const w = start(['worker'], env2);
        await until(
          'the job to start',
          () => getJob(conn.db, jobId),
          (j) => j?.state === 'running',
        );
        await new Promise((r) => setTimeout(r, 300));
        w.child.kill('SIGTERM');
        const exit = await w.exited;
        expect({ code: exit.code, output: w.output() }).toMatchObject({ code: 0 });
        const job = (await getJob(conn.db, jobId))!;
        expect(['queued', 'succeeded']).toContain(job.state);
        expect(job.lease_owner).toBeNull();
        expect(await lines('T')).toBe(job.state === 'succeeded' ? ROWS : 0);
        expect(await verifyRollups(conn.db)).toEqual([]);
        if (job.state === 'queued') expect(job.attempts).toBe(0);
      });

      (dialect === 'postgres' ? it : it.skip)(
        'two instances on one database share sessions, jobs and recurring slots',
        async () => {
          const serve = () => start(['serve'], { PORT: '0', HOST: '127.0.0.1' });
          const a = serve();
          const b = serve();
          const urlOf = async (p: Proc) =>
            (
              await until(
                'the server to listen',
                async () => p.output(),
                (o) => /Running at\s+http:\/\/localhost:\d+\//.test(o),
              )
            ).match(/http:\/\/localhost:(\d+)\//)![1]!;
          const [pa, pb] = [await urlOf(a), await urlOf(b)];
          const at = (port: string, path: string) => `http://127.0.0.1:${port}${path}`;

          const login = await fetch(at(pa, '/api/auth/login'), {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({ username: 'admin', password: PASSWORD }),
          });
          expect(login.status).toBe(200);
          const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
          const me = await fetch(at(pb, '/api/auth/me'), { headers: { cookie } });
          expect(me.status).toBe(200);

          const form = new FormData();
          const rows = ['订单行号,下单日期,销售工号,金额'];
          for (let i = 0; i < 3000; i++) rows.push(`M-${i},2026-03-06,R1,${i + 1}`);
          form.append('file', new Blob([rows.join('\n')]), 'two.csv');
          const started = await fetch(at(pa, '/api/facts/orders/import?async=true'), {
            method: 'POST',
            headers: { cookie },
            body: form,
          });
          expect(started.status).toBe(202);
          const { jobId } = (await started.json()) as { jobId: string };
          const seen = await until(
            'the job to finish, read on the other instance',
            async () =>
              (await (
                await fetch(at(pb, `/api/jobs/${jobId}`), { headers: { cookie } })
              ).json()) as {
                state: string;
                done: number;
                total: number;
              },
            (j) => j.state === 'succeeded' || j.state === 'failed',
          );
          expect(seen).toMatchObject({ state: 'succeeded', done: 3000, total: 3000 });
          expect(await lines('M')).toBe(3000);

          // Both instances' workers tried today's maintenance slot; it was queued and ran once.
          const slots = await until(
            'the daily slot',
            () =>
              conn.db
                .selectFrom('jobs')
                .select(['dedupe_key', 'state'])
                .where('kind', '=', 'maintenance.daily')
                .execute(),
            (r) => r.length > 0 && r.every((j) => j.state === 'succeeded'),
          );
          expect(slots).toHaveLength(1);

          a.child.kill('SIGTERM');
          b.child.kill('SIGTERM');
          expect((await a.exited).code).toBe(0);
          expect((await b.exited).code).toBe(0);
        },
      );
    },
  );
}
