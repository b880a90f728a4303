import { sql, type Kysely } from 'kysely';

/**
 * Sessions end after a period without use as well as at their absolute expiry: `last_seen_at`
 * is when the session was last used (moved at most once a minute). Sessions open before this
 * migration count as last seen when they were created.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').addColumn('last_seen_at', 'text').execute();
  await sql`update sessions set last_seen_at = created_at`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('sessions').dropColumn('last_seen_at').execute();
}
