import { beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { actorForUser } from '../../src/app/auth/actor-for-user.ts';
import type { Actor } from '../../src/app/actor.ts';
import { FACT_IMPORT_JOB, startFactImport } from '../../src/app/facts/fact-import-job.ts';
import { cancelJob } from '../../src/app/jobs/cancel-job.ts';
import { getJob } from '../../src/app/jobs/get-job.ts';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { claimJob, enqueueJob, expireLeases, getJob as getJobRow } from '../../src/db/jobs.ts';
import { emitEvent } from '../../src/db/outbox.ts';
import { AppError } from '../../src/domain/errors.ts';
import { jobHandlers } from '../../src/jobs/registry.ts';
import { slotOf } from '../../src/jobs/recurring.ts';
import { startWorker, type JobHandler, type Worker } from '../../src/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { csv, now, seedFacts } from './facts-fixture.ts';

const LEASE = 30_000;

async function userActor(db: Parameters<typeof actorForUser>[0], username: string) {
  const u = await db
    .selectFrom('users')
    .select('id')
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return (await actorForUser(db, u.id))!;
}

describe('recurring slots', () => {
  it('are China calendar days, due from their start minute', () => {
    const r = { kind: 'k', every: 'day' as const, atMinute: 3 * 60 };
    // 18:59 UTC is 02:59 the next day in China: before the 03:00 start.
    expect(slotOf(r, new Date('2026-12-06T18:59:00Z'))).toBeNull();
    expect(slotOf(r, new Date('2026-12-06T19:00:00Z'))).toEqual({ key: '2026-12-07' });
    expect(slotOf({ kind: 'k', every: 'hour' }, new Date('2026-12-06T19:30:00Z'))).toEqual({
      key: '2026-12-07T03',
    });
  });
});

describeEachDialect('durable jobs', (t) => {
  let admin: Actor;
  let mgrEast: Actor;
  let clock: Date;
  const workers: Worker[] = [];
  const worker = (
    handlers: Record<string, JobHandler>,
    extra: Partial<Parameters<typeof startWorker>[0]> = {},
  ) => {
    const w = startWorker(
      { db: t.db, dialect: t.dialect, now: () => clock, handlers, leaseMs: LEASE, ...extra },
      { autostart: false },
    );
    workers.push(w);
    return w;
  };

  beforeAll(async () => {
    await seedFacts(t.db);
    admin = await userActor(t.db, 'admin');
    mgrEast = await userActor(t.db, 'mgrEast');
  });
  beforeEach(async () => {
    clock = new Date(now);
    for (const w of workers.splice(0)) await w.stop(0);
    await t.db.deleteFrom('jobs').execute();
    await t.db.deleteFrom('outbox').execute();
  });

  it('gives each queued job to exactly one of many concurrent claimers', async () => {
    for (let i = 0; i < 20; i++)
      await enqueueJob(t.db, { kind: 'test.noop', payload: { i }, createdBy: null }, clock);
    // On PostgreSQL these run on separate pooled connections at the same moment (SKIP LOCKED).
    const claims = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        claimJob(t.db, t.dialect, {
          owner: `w${i}`,
          kinds: ['test.noop'],
          now: clock,
          leaseMs: LEASE,
        }),
      ),
    );
    const ids = claims.filter((c) => c !== undefined).map((c) => c!.id);
    expect(ids).toHaveLength(20);
    expect(new Set(ids).size).toBe(20);
    const states = await t.db.selectFrom('jobs').select(['state', 'attempts']).execute();
    expect(states.every((s) => s.state === 'running' && s.attempts === 1)).toBe(true);
  });

  it('queues a recurring slot once however many workers try at the same moment', async () => {
    const ran: number[] = [];
    const ws = Array.from({ length: 3 }, () =>
      worker(
        { 'test.daily': async (ctx) => void ran.push(ctx.job.id) },
        { recurring: [{ kind: 'test.daily', every: 'day' }] },
      ),
    );
    await Promise.all(ws.map((w) => w.tick()));
    await Promise.all(ws.map((w) => w.idle()));
    await Promise.all(ws.map((w) => w.tick()));
    await Promise.all(ws.map((w) => w.idle()));
    expect(ran).toHaveLength(1);
    const rows = await t.db.selectFrom('jobs').select(['dedupe_key', 'state']).execute();
    expect(rows).toEqual([{ dedupe_key: 'test.daily@2026-03-16', state: 'succeeded' }]);
    // The next day is a new slot.
    clock = new Date(clock.getTime() + 24 * 3600_000);
    await ws[0]!.tick();
    await ws[0]!.idle();
    expect(ran).toHaveLength(2);
  });

  it('requeues a job whose process died when its lease expires, and fails it after its last attempt', async () => {
    const id = (await enqueueJob(
      t.db,
      { kind: 'test.noop', payload: {}, createdBy: null, maxAttempts: 2 },
      clock,
    ))!;
    // A process claims it and dies (no heartbeat, no outcome).
    await claimJob(t.db, t.dialect, {
      owner: 'dead-1',
      kinds: ['test.noop'],
      now: clock,
      leaseMs: LEASE,
    });
    expect(await expireLeases(t.db, new Date(clock.getTime() + LEASE - 1))).toBe(0);
    expect(await expireLeases(t.db, new Date(clock.getTime() + LEASE + 1))).toBe(1);
    let row = (await getJobRow(t.db, id))!;
    expect(row).toMatchObject({ state: 'queued', attempts: 1, lease_owner: null });
    // The second attempt dies too: that was the last one.
    const later = new Date(clock.getTime() + LEASE + 2);
    await claimJob(t.db, t.dialect, {
      owner: 'dead-2',
      kinds: ['test.noop'],
      now: later,
      leaseMs: LEASE,
    });
    await expireLeases(t.db, new Date(later.getTime() + LEASE + 1));
    row = (await getJobRow(t.db, id))!;
    expect(row).toMatchObject({ state: 'failed', attempts: 2 });
    expect(JSON.parse(row.error!)).toMatchObject({ code: 'JOB_LEASE_EXPIRED' });
  });

  it('retries a crash with a back-off, but not a refusal', async () => {
    let calls = 0;
    const w = worker({
      'test.flaky': async () => {
        calls++;
        if (calls === 1) throw new Error('connection reset');
        return { ok: true };
      },
      'test.refused': async () => {
        throw new AppError('FORBIDDEN');
      },
    });
    const flaky = (await enqueueJob(
      t.db,
      { kind: 'test.flaky', payload: {}, createdBy: admin.id },
      clock,
    ))!;
    const refused = (await enqueueJob(
      t.db,
      { kind: 'test.refused', payload: {}, createdBy: admin.id },
      clock,
    ))!;
    await w.tick();
    await w.idle();
    await w.tick();
    await w.idle();
    expect((await getJob(t.db, admin, flaky)).state).toBe('queued');
    expect(await getJob(t.db, admin, refused)).toMatchObject({
      state: 'failed',
      attempts: 1,
      error: { code: 'FORBIDDEN' },
    });
    clock = new Date(clock.getTime() + 5_000);
    await w.tick();
    await w.idle();
    expect(await getJob(t.db, admin, flaky)).toMatchObject({
      state: 'succeeded',
      attempts: 2,
      result: { ok: true },
      error: null,
    });
  });

  it('hands a running job back to the queue when the worker stops, without counting the attempt', async () => {
    let started!: () => void;
    const running = new Promise<void>((r) => (started = r));
    const w = worker({
      'test.slow': async (ctx) => {
        started();
        await new Promise((_, reject) =>
          ctx.signal.addEventListener('abort', () => reject(ctx.signal.reason)),
        );
      },
    });
    const id = (await enqueueJob(
      t.db,
      { kind: 'test.slow', payload: {}, createdBy: null },
      clock,
    ))!;
    await w.tick();
    await running;
    await w.stop(10);
    expect(await getJobRow(t.db, id)).toMatchObject({
      state: 'queued',
      attempts: 0,
      lease_owner: null,
    });
  });

  it('runs an import job as its creator, with progress, and stores the bad rows for them alone', async () => {
    const file = csv([
      '订单行号,下单日期,销售工号,金额',
      ...Array.from({ length: 50 }, (_, i) => `DJ-${i},2026-03-05,R2,${i + 1}`),
      'DJ-X,2026-03-05,R4,10',
    ]);
    const { jobId } = await startFactImport(
      t.db,
      mgrEast,
      { kind: 'orders', fileName: 'east.csv', mode: 'apply-valid', data: file, rows: 51 },
      clock,
    );
    expect(await getJob(t.db, mgrEast, jobId)).toMatchObject({ state: 'queued', total: 51 });
    const w = worker(jobHandlers);
    await w.tick();
    await w.idle();
    const job = await getJob(t.db, mgrEast, jobId);
    expect(job).toMatchObject({
      state: 'succeeded',
      result: { inserted: 50, rejected: 1, problems: [{ row: 52, code: 'FORBIDDEN' }] },
    });
    const fileId = (job.result as { badRowsFileId: string }).badRowsFileId;
    const stored = await t.db
      .selectFrom('job_files')
      .select(['user_id', 'job_id', 'purpose'])
      .where('id', '=', fileId)
      .executeTakeFirstOrThrow();
    expect(stored).toEqual({ user_id: mgrEast.id, job_id: jobId, purpose: 'bad_rows' });
    // Someone else's job does not exist for them.
    const rep = await userActor(t.db, 'rep1');
    await expect(getJob(t.db, rep, jobId)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(cancelJob(t.db, rep, jobId, clock)).rejects.toMatchObject({ code: 'NOT_FOUND' });
    // The import announced itself in the outbox, in its own transaction.
    const events = await t.db.selectFrom('outbox').select(['topic', 'payload']).execute();
    expect(events.map((e) => e.topic)).toEqual(['facts.imported']);
  });

  it('cancels a running import: nothing it wrote stays', async () => {
    const lines = Array.from({ length: 6000 }, (_, i) => `CX-${i},2026-03-05,R1,${i + 1}`);
    const { jobId } = await startFactImport(
      t.db,
      admin,
      {
        kind: 'orders',
        fileName: 'big.csv',
        data: csv(['订单行号,下单日期,销售工号,金额', ...lines]),
        rows: 6000,
      },
      clock,
    );
    // Cancel as soon as the job reports its first progress (inside the import's transaction).
    const handler = jobHandlers[FACT_IMPORT_JOB]!;
    let cancelled = false;
    const w = worker(
      {
        [FACT_IMPORT_JOB]: async (ctx) => {
          const progress = ctx.progress;
          ctx.progress = (done, total) => {
            progress(done, total);
            if (!cancelled) {
              cancelled = true;
              void cancelJob(t.db, admin, jobId, clock);
            }
          };
          return handler(ctx);
        },
      },
      { leaseMs: 600 },
    );
    await w.tick();
    await w.idle();
    expect(cancelled).toBe(true);
    expect(await getJob(t.db, admin, jobId)).toMatchObject({
      state: 'cancelled',
      error: { code: 'JOB_CANCELLED' },
    });
    const lines0 = await t.db
      .selectFrom('order_lines')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('ext_id', 'like', 'CX-%')
      .executeTakeFirstOrThrow();
    expect(Number(lines0.n)).toBe(0);
    expect(await verifyRollups(t.db)).toEqual([]);
    // A queued job is cancelled at once (and again is no error); a finished one cannot be.
    const queued = (await enqueueJob(
      t.db,
      { kind: 'test.noop', payload: {}, createdBy: admin.id },
      clock,
    ))!;
    expect((await cancelJob(t.db, admin, queued, clock)).state).toBe('cancelled');
    expect((await cancelJob(t.db, admin, queued, clock)).state).toBe('cancelled');
    await t.db.updateTable('jobs').set({ state: 'succeeded' }).where('id', '=', queued).execute();
    await expect(cancelJob(t.db, admin, queued, clock)).rejects.toMatchObject({
      code: 'JOB_NOT_CANCELLABLE',
    });
  });

  it('delivers an outbox event once it commits, retries a failing subscriber, and keeps rolled-back changes silent', async () => {
    await t.db
      .transaction()
      .execute(async (trx) => {
        await emitEvent(trx, 'facts.imported', { batchId: 1 }, clock);
        throw new Error('rolled back');
      })
      .catch(() => {});
    await t.db
      .transaction()
      .execute((trx) => emitEvent(trx, 'facts.imported', { batchId: 2 }, clock));
    const heard: unknown[] = [];
    let fail = true;
    const w = worker(
      {},
      {
        subscribers: {
          'facts.imported': [
            async (ev) => {
              if (fail) throw new Error('receiver down');
              heard.push(JSON.parse(ev.payload));
            },
          ],
        },
      },
    );
    await w.tick();
    expect(
      await t.db.selectFrom('outbox').select(['state', 'attempts', 'last_error']).execute(),
    ).toEqual([{ state: 'pending', attempts: 1, last_error: 'receiver down' }]);
    fail = false;
    await w.tick(); // not due yet: back-off
    expect(heard).toEqual([]);
    clock = new Date(clock.getTime() + 60_000);
    await w.tick();
    expect(heard).toEqual([{ batchId: 2 }]);
    expect((await t.db.selectFrom('outbox').select('state').executeTakeFirstOrThrow()).state).toBe(
      'delivered',
    );
  });
});
