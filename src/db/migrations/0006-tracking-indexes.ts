import type { Kysely } from 'kysely';

/**
 * Indexes the dashboards read non-sales facts by. Opportunities created in a period (the
 * opportunities metric) had only (org_unit_id, status) and (member_id, status); activities had
 * no member index at all, so a rep's visits and calls scanned every activity.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createIndex('opportunities_unit_created')
    .on('opportunities')
    .columns(['org_unit_id', 'created_date'])
    .execute();
  await db.schema
    .createIndex('opportunities_member_created')
    .on('opportunities')
    .columns(['member_id', 'created_date'])
    .execute();
  await db.schema
    .createIndex('activities_member_date')
    .on('activities')
    .columns(['member_id', 'activity_date'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of [
    'activities_member_date',
    'opportunities_member_created',
    'opportunities_unit_created',
  ]) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
}
