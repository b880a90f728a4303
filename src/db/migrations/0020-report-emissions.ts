import type { Kysely } from 'kysely';

/**
 * The scheduled reports sent so far (每日战报, 周会): one row per report and unit and day or
 * week, keyed by the message's dedupe key ('battle_report:12:2026-12-07'). The row is written in
 * the transaction that emits the report's `notify.message` event, so two instances (or a job run
 * twice) that reach the same slot emit it once: the second insert finds the key and emits nothing.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('report_emissions')
    .addColumn('dedupe_key', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('emitted_at', 'text', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('report_emissions').execute();
}
