import type { Kysely } from 'kysely';
import { isPostgres, withId } from './portable.ts';

/**
 * Target adjustment requests (METHOD §6): a manager or rep asks to change cells of the active
 * version with a reason and evidence; an approval chain, fixed when the request is sent, decides;
 * the final approval applies the change as a revision of the active version.
 *
 * - `adjustment_requests`: the request, its state, the chain (JSON, fixed at send), the step it
 *   waits on, the version's `cells_rev` at send time (the apply's version check), and `alert_id`,
 *   a plain integer (the alerts table lives on another branch: no foreign key).
 * - `adjustment_request_cells`: every cell asked for, before (at send) and after.
 * - `adjustment_steps`: one row per decision taken, with when the step was entered and decided.
 * - `adjustment_files`: evidence files, stored in the database as job files are.
 */
export async function up(db: Kysely<any>): Promise<void> {
  const pg = isPostgres(db);
  await withId(db, db.schema.createTable('adjustment_requests'))
    .addColumn('requester_user_id', 'integer', (c) => c.notNull().references('users.id'))
    .addColumn('requester_member_id', 'integer', (c) => c.references('members.id'))
    .addColumn('plan_version_id', 'integer', (c) => c.notNull().references('plan_versions.id'))
    .addColumn('metric_id', 'integer', (c) => c.notNull().references('metrics.id'))
    .addColumn('sent_cells_rev', 'integer')
    .addColumn('scope_unit_id', 'integer', (c) => c.references('org_units.id'))
    .addColumn('reason_category', 'text', (c) => c.notNull())
    .addColumn('reason_text', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('alert_id', 'integer')
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('chain', 'text', (c) => c.notNull().defaultTo('[]'))
    .addColumn('current_step', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('sent_at', 'text')
    .addColumn('step_entered_at', 'text')
    .addColumn('decided_at', 'text')
    .addColumn('applied_at', 'text')
    .addColumn('reminded_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .execute();
  await db.schema
    .createIndex('adjustment_requests_state')
    .on('adjustment_requests')
    .columns(['state', 'step_entered_at'])
    .execute();
  await db.schema
    .createIndex('adjustment_requests_requester')
    .on('adjustment_requests')
    .column('requester_user_id')
    .execute();

  await withId(db, db.schema.createTable('adjustment_request_cells'))
    .addColumn('request_id', 'integer', (c) =>
      c.notNull().references('adjustment_requests.id').onDelete('cascade'),
    )
    .addColumn('cell_id', 'integer', (c) => c.notNull())
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('metric_id', 'integer', (c) => c.notNull())
    .addColumn('dim_key', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('before', 'bigint', (c) => c.notNull())
    .addColumn('after', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('adjustment_request_cells_request')
    .on('adjustment_request_cells')
    .column('request_id')
    .execute();

  await withId(db, db.schema.createTable('adjustment_steps'))
    .addColumn('request_id', 'integer', (c) =>
      c.notNull().references('adjustment_requests.id').onDelete('cascade'),
    )
    .addColumn('step', 'integer', (c) => c.notNull())
    .addColumn('user_id', 'integer', (c) => c.references('users.id'))
    .addColumn('decision', 'text', (c) => c.notNull())
    .addColumn('comment', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('entered_at', 'text', (c) => c.notNull())
    .addColumn('decided_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('adjustment_steps_request')
    .on('adjustment_steps')
    .column('request_id')
    .execute();

  await withId(db, db.schema.createTable('adjustment_files'))
    .addColumn('request_id', 'integer', (c) =>
      c.notNull().references('adjustment_requests.id').onDelete('cascade'),
    )
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mime', 'text', (c) => c.notNull())
    .addColumn('size', 'bigint', (c) => c.notNull())
    .addColumn('data', pg ? 'bytea' : 'blob', (c) => c.notNull())
    .addColumn('uploaded_by', 'integer', (c) => c.references('users.id'))
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('adjustment_files_request')
    .on('adjustment_files')
    .column('request_id')
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'adjustment_files',
    'adjustment_steps',
    'adjustment_request_cells',
    'adjustment_requests',
  ])
    await db.schema.dropTable(t).execute();
}
