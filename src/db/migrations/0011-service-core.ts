import { sql, type Kysely } from 'kysely';
import { isPostgres, withId } from './portable.ts';

/**
 * The service core: durable jobs (any instance claims them, a lease with a heartbeat proves the
 * claimer is alive), the files jobs read and write (uploads, bad-rows files, exports) stored in
 * the database so a restart or another instance finds them, an outbox of events written in the
 * same transaction as the change they announce, rate-limit counters shared by every instance,
 * and a data generation counter that moves with every change a dashboard answer depends on.
 */
const DATA_TABLES = ['fact_batches', 'plan_versions', 'settings', 'holiday_overrides', 'metrics'];

export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);

  await withId(db, db.schema.createTable('jobs'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('locale', 'text', (c) => c.notNull().defaultTo('zh-CN'))
    .addColumn('progress_done', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('progress_total', 'bigint')
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('max_attempts', 'integer', (c) => c.notNull().defaultTo(3))
    .addColumn('result', 'text')
    .addColumn('error', 'text')
    // A recurring job's slot ("alerts.evaluate@2026-12-07"), or any caller's idempotency key:
    // unique, so a second instance enqueueing the same slot inserts nothing.
    .addColumn('dedupe_key', 'text', (c) => c.unique())
    .addColumn('run_after', 'text', (c) => c.notNull())
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .addColumn('heartbeat_at', 'text')
    .addColumn('cancel_requested', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('started_at', 'text')
    .addColumn('finished_at', 'text')
    .execute();
  await db.schema.createIndex('jobs_claim').on('jobs').columns(['state', 'run_after']).execute();
  await db.schema
    .createIndex('jobs_by_user')
    .on('jobs')
    .columns(['created_by', 'created_at'])
    .execute();

  await db.schema
    .createTable('job_files')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('job_id', 'integer', (c) => c.references('jobs.id').onDelete('cascade'))
    .addColumn('user_id', 'integer', (c) => c.references('users.id').onDelete('cascade'))
    .addColumn('purpose', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('data', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('job_files_job').on('job_files').column('job_id').execute();
  await db.schema.createIndex('job_files_expiry').on('job_files').column('expires_at').execute();

  await withId(db, db.schema.createTable('outbox'))
    .addColumn('topic', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull().defaultTo('pending'))
    .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('available_at', 'text', (c) => c.notNull())
    .addColumn('delivered_at', 'text')
    .addColumn('lease_owner', 'text')
    .addColumn('lease_expires_at', 'text')
    .execute();
  await db.schema
    .createIndex('outbox_pending')
    .on('outbox')
    .columns(['state', 'available_at'])
    .execute();

  await db.schema
    .createTable('rate_limits')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('hits', 'integer', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('data_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('data_generation').values({ id: 1, n: 1 }).execute();
  const bump = 'update data_generation set n = n + 1 where id = 1';
  if (pg) {
    await sql
      .raw(
        `create function tf_bump_data_generation() returns trigger language plpgsql as $$
        begin ${bump}; return null; end $$`,
      )
      .execute(db);
    for (const table of DATA_TABLES)
      await sql
        .raw(
          `create trigger tf_${table}_data_generation after insert or update or delete or truncate
          on ${table} for each statement execute function tf_bump_data_generation()`,
        )
        .execute(db);
    return;
  }
  for (const table of DATA_TABLES)
    for (const event of ['insert', 'update', 'delete'])
      await sql
        .raw(
          `create trigger tf_${table}_${event}_data_generation after ${event} on ${table}
          begin ${bump}; end`,
        )
        .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const table of DATA_TABLES)
      await sql.raw(`drop trigger if exists tf_${table}_data_generation on ${table}`).execute(db);
    await sql.raw('drop function if exists tf_bump_data_generation()').execute(db);
  } else {
    for (const table of DATA_TABLES)
      for (const event of ['insert', 'update', 'delete'])
        await sql.raw(`drop trigger if exists tf_${table}_${event}_data_generation`).execute(db);
  }
  for (const table of ['data_generation', 'rate_limits', 'outbox', 'job_files', 'jobs'])
    await db.schema.dropTable(table).ifExists().execute();
}
