import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, JobState, JobsTable } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type JobRow = Selectable<JobsTable>;

export interface NewJob {
  kind: string;
  payload: unknown;
  createdBy: number | null;
  locale?: string;
  /** A recurring slot or an idempotency key: a second enqueue with the same key inserts nothing. */
  dedupeKey?: string;
  runAfter?: Date;
  maxAttempts?: number;
  total?: number | null;
}

/**
 * Queues a job; returns its id, or null when a job with the same dedupe key exists already
 * (another instance queued that recurring slot first). Called inside the caller's transaction
 * when the job must exist exactly when the caller's change does.
 */
export async function enqueueJob(q: Q, job: NewJob, now: Date): Promise<number | null> {
  const row = await q
    .insertInto('jobs')
    .values({
      kind: job.kind,
      payload: JSON.stringify(job.payload ?? {}),
      state: 'queued',
      created_by: job.createdBy,
      locale: job.locale ?? 'zh-CN',
      progress_total: job.total ?? null,
      max_attempts: job.maxAttempts ?? 3,
      dedupe_key: job.dedupeKey ?? null,
      run_after: (job.runAfter ?? now).toISOString(),
      created_at: now.toISOString(),
    })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  return row?.id ?? null;
}

export interface ClaimOptions {
  /** Who holds the lease: `host:pid:random`, unique per worker. */
  owner: string;
  kinds: readonly string[];
  now: Date;
  leaseMs: number;
}

/**
 * Claims the oldest queued job of the given kinds that is due, under a lease. On PostgreSQL the
 * candidate row is locked with `FOR UPDATE SKIP LOCKED`, so any number of instances claim
 * concurrently and each job goes to exactly one of them, without waiting on each other. On SQLite
 * the single statement runs under the database's one write lock, which gives the same guarantee.
 */
export async function claimJob(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  o: ClaimOptions,
): Promise<JobRow | undefined> {
  if (o.kinds.length === 0) return undefined;
  const now = o.now.toISOString();
  const expires = new Date(o.now.getTime() + o.leaseMs).toISOString();
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const result = await sql<JobRow>`
    update jobs set
      state = 'running',
      lease_owner = ${o.owner},
      lease_expires_at = ${expires},
      heartbeat_at = ${now},
      attempts = attempts + 1,
      started_at = coalesce(started_at, ${now})
    where id = (
      select id from jobs
      where state = 'queued' and run_after <= ${now}
        and kind in (${sql.join(o.kinds.map((k) => sql`${k}`))})
      order by run_after, id
      limit 1
      ${lock}
    )
    returning *`.execute(db);
  return result.rows[0];
}

export interface Heartbeat {
  /** False when the lease was lost (expired and taken over): the job must stop at once. */
  held: boolean;
  cancelRequested: boolean;
}

/** Extends the lease and records progress; tells the runner whether it still holds the job. */
export async function heartbeatJob(
  db: Kysely<Database>,
  id: number,
  owner: string,
  now: Date,
  leaseMs: number,
  progress?: { done: number; total: number | null },
): Promise<Heartbeat> {
  const row = await db
    .updateTable('jobs')
    .set({
      lease_expires_at: new Date(now.getTime() + leaseMs).toISOString(),
      heartbeat_at: now.toISOString(),
      ...(progress ? { progress_done: progress.done, progress_total: progress.total } : {}),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .where('state', '=', 'running')
    .returning('cancel_requested')
    .executeTakeFirst();
  return { held: row !== undefined, cancelRequested: row?.cancel_requested === 1 };
}

/** Ends a job the runner holds. Returns false when the lease had been lost meanwhile. */
export async function finishJob(
  db: Q,
  id: number,
  owner: string,
  now: Date,
  outcome:
    { state: 'succeeded'; result: unknown } | { state: 'failed' | 'cancelled'; error: unknown },
): Promise<boolean> {
  const res = await db
    .updateTable('jobs')
    .set({
      state: outcome.state,
      result: outcome.state === 'succeeded' ? JSON.stringify(outcome.result ?? null) : null,
      error: outcome.state === 'succeeded' ? null : JSON.stringify(outcome.error),
      finished_at: now.toISOString(),
      lease_owner: null,
      lease_expires_at: null,
      ...(outcome.state === 'succeeded'
        ? { progress_done: sql<number>`coalesce(progress_total, progress_done)` }
        : {}),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * A run that crashed (not a refusal): queued again after a back-off while attempts remain,
 * else failed with the error.
 */
export async function retryOrFailJob(
  db: Q,
  id: number,
  owner: string,
  now: Date,
  error: unknown,
): Promise<JobState | null> {
  const job = await db
    .selectFrom('jobs')
    .select(['attempts', 'max_attempts'])
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .executeTakeFirst();
  if (!job) return null;
  if (job.attempts >= job.max_attempts) {
    await finishJob(db, id, owner, now, { state: 'failed', error });
    return 'failed';
  }
  await db
    .updateTable('jobs')
    .set({
      state: 'queued',
      error: JSON.stringify(error),
      lease_owner: null,
      lease_expires_at: null,
      run_after: new Date(now.getTime() + backoffMs(job.attempts)).toISOString(),
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
  return 'queued';
}

/** 5 s, 20 s, 80 s, … capped at 10 minutes. */
export function backoffMs(attempts: number): number {
  return Math.min(5_000 * 4 ** Math.max(0, attempts - 1), 600_000);
}

/**
 * Hands the jobs an owner holds back to the queue (graceful shutdown): the run did not finish,
 * through no fault of the job, so it does not count as an attempt.
 */
export async function releaseJobs(db: Q, owner: string): Promise<number> {
  const res = await db
    .updateTable('jobs')
    .set({
      state: 'queued',
      lease_owner: null,
      lease_expires_at: null,
      attempts: sql<number>`case when attempts > 0 then attempts - 1 else 0 end`,
    })
    .where('lease_owner', '=', owner)
    .where('state', '=', 'running')
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

/**
 * Jobs whose process died: a running job whose lease has expired is queued again while attempts
 * remain, else failed — never left "running". Any instance may sweep; the conditions make the
 * sweep idempotent.
 */
export async function expireLeases(db: Q, now: Date): Promise<number> {
  const at = now.toISOString();
  const lost = JSON.stringify({ code: 'JOB_LEASE_EXPIRED', params: {} });
  const failed = await db
    .updateTable('jobs')
    .set({
      state: 'failed',
      error: lost,
      finished_at: at,
      lease_owner: null,
      lease_expires_at: null,
    })
    .where('state', '=', 'running')
    .where('lease_expires_at', '<', at)
    .where(sql<boolean>`attempts >= max_attempts`)
    .executeTakeFirst();
  const requeued = await db
    .updateTable('jobs')
    .set({ state: 'queued', error: lost, lease_owner: null, lease_expires_at: null })
    .where('state', '=', 'running')
    .where('lease_expires_at', '<', at)
    .executeTakeFirst();
  return Number(failed.numUpdatedRows) + Number(requeued.numUpdatedRows);
}

/**
 * Cancels a job: a queued one at once; a running one is flagged and its runner stops at its next
 * heartbeat (rolling back what it was writing). Returns the state after the request.
 */
export async function requestCancel(db: Q, id: number, now: Date): Promise<JobState | null> {
  await db
    .updateTable('jobs')
    .set({
      state: 'cancelled',
      finished_at: now.toISOString(),
      error: JSON.stringify({ code: 'JOB_CANCELLED', params: {} }),
    })
    .where('id', '=', id)
    .where('state', '=', 'queued')
    .execute();
  await db
    .updateTable('jobs')
    .set({ cancel_requested: 1 })
    .where('id', '=', id)
    .where('state', '=', 'running')
    .execute();
  const row = await db.selectFrom('jobs').select('state').where('id', '=', id).executeTakeFirst();
  return row?.state ?? null;
}

export async function getJob(q: Q, id: number): Promise<JobRow | undefined> {
  return q.selectFrom('jobs').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finished jobs older than `before` and their files (cascade). */
export async function pruneJobs(q: Q, before: Date): Promise<number> {
  const res = await q
    .deleteFrom('jobs')
    .where('state', 'in', ['succeeded', 'failed', 'cancelled'])
    .where('finished_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
