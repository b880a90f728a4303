import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db, DialectName } from '../db/connect.ts';
import {
  claimJob,
  enqueueJob,
  expireLeases,
  finishJob,
  heartbeatJob,
  releaseJobs,
  retryOrFailJob,
  type JobRow,
} from '../db/jobs.ts';
import { claimEvents, markDelivered, markFailed, type OutboxRow } from '../db/outbox.ts';
import { registerRunningJob } from '../app/jobs/running-jobs.ts';
import { AppError, isAppError } from '../domain/errors.ts';
import type { RecurringJob } from './recurring.ts';
import { slotOf } from './recurring.ts';

/** What a job handler gets: its row, its payload, a way to report progress, a cancel signal. */
export interface JobContext<P = unknown> {
  job: JobRow;
  payload: P;
  db: Db;
  now(): Date;
  /** Aborted when the job is cancelled, its lease is lost, or the worker is stopping. */
  signal: AbortSignal;
  /** Records progress (written with the next heartbeat, at most a few times a second). */
  progress(done: number, total?: number | null): void;
  /** Throws JOB_CANCELLED when the signal has fired: call it between units of work. */
  checkpoint(): void;
}

export type JobHandler = (ctx: JobContext<any>) => Promise<unknown>;
/** `now` is the worker's clock (tests pin it). */
export type EventHandler = (event: OutboxRow, db: Db, now: Date) => Promise<void>;

export interface WorkerOptions {
  db: Db;
  dialect: DialectName;
  now?: () => Date;
  handlers: Record<string, JobHandler>;
  /** Outbox subscribers by topic; an event no one subscribes to is marked delivered. */
  subscribers?: Record<string, EventHandler[]>;
  recurring?: readonly RecurringJob[];
  /** How often an idle worker looks for work. */
  pollMs?: number;
  leaseMs?: number;
  /** Jobs run at the same time by this worker. */
  concurrency?: number;
  owner?: string;
  log?: (level: 'info' | 'warn' | 'error', msg: string, extra?: Record<string, unknown>) => void;
}

export interface Worker {
  readonly owner: string;
  /**
   * Stops claiming; running jobs get `graceMs` to finish, then are aborted (rolling back their
   * transaction) and handed back to the queue with their lease released.
   */
  stop(graceMs?: number): Promise<void>;
  /** One pass: sweep leases, enqueue due recurring slots, run what can be claimed, drain the outbox. */
  tick(): Promise<void>;
  /** Resolves when no job is running in this worker. */
  idle(): Promise<void>;
}

const MAX_EVENT_ATTEMPTS = 8;

/**
 * The durable job worker. Any number of them (one per app instance, or `targetflow worker`) share
 * one database: jobs are claimed under a lease kept alive by a heartbeat, so a job runs once, and
 * a job whose process died is picked up again (or failed) once its lease expires.
 */
export function startWorker(o: WorkerOptions, { autostart = true } = {}): Worker {
  const now = o.now ?? (() => new Date());
  const owner = o.owner ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  const leaseMs = o.leaseMs ?? 30_000;
  const pollMs = o.pollMs ?? 1_000;
  const concurrency = o.concurrency ?? 1;
  const log = o.log ?? (() => {});
  const kinds = Object.keys(o.handlers);
  const running = new Map<number, { abort: AbortController; done: Promise<void> }>();
  let stopping = false;
  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;
  let stopped: Promise<void> | undefined;

  const runJob = async (job: JobRow): Promise<void> => {
    const abort = new AbortController();
    let progress: { done: number; total: number | null } | undefined;
    let dirty = false;
    const beat = async () => {
      const hb = await heartbeatJob(
        o.db,
        job.id,
        owner,
        now(),
        leaseMs,
        dirty ? progress : undefined,
      );
      dirty = false;
      if (!hb.held) abort.abort(new AppError('JOB_LEASE_EXPIRED'));
      else if (hb.cancelRequested) abort.abort(new AppError('JOB_CANCELLED'));
    };
    const heart = setInterval(() => void beat().catch(() => {}), Math.max(200, leaseMs / 3));
    const fast = setInterval(() => {
      if (dirty) void beat().catch(() => {});
    }, 500);
    heart.unref();
    fast.unref();
    const ctx: JobContext = {
      job,
      payload: JSON.parse(job.payload),
      db: o.db,
      now,
      signal: abort.signal,
      progress(done, total) {
        progress = {
          done,
          total: total === undefined ? (progress?.total ?? job.progress_total) : total,
        };
        dirty = true;
      },
      checkpoint() {
        if (abort.signal.aborted) throw abort.signal.reason;
      },
    };
    const entry = { abort, done: Promise.resolve() };
    running.set(job.id, entry);
    const unregister = registerRunningJob(job.id, job.created_by, (reason) => abort.abort(reason));
    try {
      const handler = o.handlers[job.kind];
      if (!handler) throw new AppError('JOB_KIND_UNKNOWN', { kind: job.kind });
      const result = await handler(ctx);
      if (abort.signal.aborted) throw abort.signal.reason;
      await finishJob(o.db, job.id, owner, now(), { state: 'succeeded', result });
      log('info', 'job succeeded', { job: job.id, kind: job.kind });
    } catch (e) {
      const reason = abort.signal.aborted ? abort.signal.reason : e;
      await settleFailure(job, reason, e).catch((err) =>
        log('error', 'job outcome not recorded', { job: job.id, error: String(err) }),
      );
    } finally {
      clearInterval(heart);
      clearInterval(fast);
      unregister();
      running.delete(job.id);
    }
  };

  const settleFailure = async (job: JobRow, reason: unknown, thrown: unknown) => {
    const code = isAppError(reason) ? reason.code : undefined;
    if (code === 'JOB_SHUTDOWN') {
      // Handed back below by releaseJobs once every running job has stopped.
      return;
    }
    if (code === 'JOB_LEASE_EXPIRED') {
      log('warn', 'job lease lost; another worker owns it now', { job: job.id });
      return;
    }
    if (code === 'JOB_CANCELLED') {
      await finishJob(o.db, job.id, owner, now(), { state: 'cancelled', error: errorJson(reason) });
      log('info', 'job cancelled', { job: job.id, kind: job.kind });
      return;
    }
    if (isAppError(thrown)) {
      // A refusal (bad data, no permission) is the job's answer: running it again cannot help.
      await finishJob(o.db, job.id, owner, now(), { state: 'failed', error: errorJson(thrown) });
      log('info', 'job refused', { job: job.id, kind: job.kind, code: thrown.code });
      return;
    }
    const state = await retryOrFailJob(o.db, job.id, owner, now(), {
      code: 'INTERNAL',
      params: {},
      message: String((thrown as Error)?.message ?? thrown),
    });
    log('error', 'job crashed', {
      job: job.id,
      kind: job.kind,
      next: state,
      error: String((thrown as Error)?.stack ?? thrown),
    });
  };

  // The slot each recurring kind was last seen queued: one look-up per new slot, not per tick (an
  // insert that conflicts still draws a number from the id sequence).
  const seenSlots = new Map<string, string>();
  const enqueueRecurring = async () => {
    for (const r of o.recurring ?? []) {
      const slot = slotOf(r, now());
      if (!slot || seenSlots.get(r.kind) === slot.key) continue;
      const dedupeKey = `${r.kind}@${slot.key}`;
      const exists = await o.db
        .selectFrom('jobs')
        .select('id')
        .where('dedupe_key', '=', dedupeKey)
        .executeTakeFirst();
      const id = exists
        ? null
        : await enqueueJob(
            o.db,
            { kind: r.kind, payload: { slot: slot.key }, createdBy: null, dedupeKey },
            now(),
          );
      seenSlots.set(r.kind, slot.key);
      if (id !== null)
        log('info', 'recurring job queued', { kind: r.kind, slot: slot.key, job: id });
    }
  };

  const drainOutbox = async () => {
    for (;;) {
      if (stopping) return;
      const events = await claimEvents(o.db, o.dialect, owner, now(), leaseMs, 20);
      if (events.length === 0) return;
      for (const ev of events) {
        try {
          for (const handler of o.subscribers?.[ev.topic] ?? []) await handler(ev, o.db, now());
          await markDelivered(o.db, ev.id, owner, now());
        } catch (e) {
          await markFailed(
            o.db,
            ev.id,
            owner,
            now(),
            String((e as Error)?.message ?? e),
            MAX_EVENT_ATTEMPTS,
          );
          log('warn', 'event delivery failed', { event: ev.id, topic: ev.topic, error: String(e) });
        }
      }
    }
  };

  const tickOnce = async () => {
    await expireLeases(o.db, now());
    if (stopping) return;
    await enqueueRecurring();
    while (!stopping && running.size < concurrency) {
      const job = await claimJob(o.db, o.dialect, { owner, kinds, now: now(), leaseMs });
      if (!job) break;
      // runJob registers itself in `running` before its first await; keep its promise for stop().
      const done = runJob(job);
      const reg = running.get(job.id);
      if (reg) reg.done = done;
    }
    await drainOutbox();
  };

  const tick = async () => {
    if (stopping) return;
    if (ticking) return ticking;
    ticking = tickOnce()
      .catch((e) => log('error', 'worker tick failed', { error: String((e as Error)?.stack ?? e) }))
      .finally(() => {
        ticking = undefined;
      });
    return ticking;
  };

  const schedule = () => {
    if (stopping) return;
    timer = setTimeout(() => {
      void tick().finally(schedule);
    }, pollMs);
    timer.unref();
  };
  if (autostart) {
    void tick().finally(schedule);
  }

  return {
    owner,
    tick,
    async idle() {
      while (running.size > 0) await Promise.allSettled([...running.values()].map((r) => r.done));
    },
    stop(graceMs = 10_000) {
      stopped ??= stop(graceMs);
      return stopped;
    },
  };

  async function stop(graceMs: number): Promise<void> {
    stopping = true;
    if (timer) clearTimeout(timer);
    await ticking;
    const all = () => Promise.allSettled([...running.values()].map((r) => r.done));
    if (running.size > 0) {
      const grace = new Promise((r) => setTimeout(r, graceMs).unref());
      await Promise.race([all(), grace]);
    }
    for (const r of running.values()) r.abort.abort(new AppError('JOB_SHUTDOWN'));
    await all();
    const released = await releaseJobs(o.db, owner);
    if (released > 0) log('info', 'jobs handed back to the queue', { count: released });
  }
}

function errorJson(e: unknown): Record<string, unknown> {
  if (isAppError(e)) return { code: e.code, params: e.params, problems: e.problems };
  return { code: 'INTERNAL', params: {}, message: String((e as Error)?.message ?? e) };
}
