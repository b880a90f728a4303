import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.ts';

/**
 * A counter that every change to the data a fact import resolves against moves: members and
 * their memberships, org units, customers, products and dimension members. The importer keeps
 * what it loaded from those tables between imports and reloads only when the counter has moved,
 * so a run of files does not re-read tens of thousands of customers for each one.
 *
 * Triggers move it, not application code, so no write path — an API route, a master-data import,
 * the demo seed, a customer created by a fact import, a manual SQL fix — can forget to. The
 * counter is a row updated inside the writing transaction: a reader sees it move exactly when
 * the change becomes visible, and a rolled-back change leaves it where it was.
 */
const REFERENCE_TABLES = [
  'members',
  'member_units',
  'org_units',
  'customers',
  'products',
  'dimension_members',
] as const;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reference_generation')
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('n', 'bigint', (c) => c.notNull())
    .execute();
  await db.insertInto('reference_generation').values({ id: 1, n: 1 }).execute();
  const bump = 'update reference_generation set n = n + 1 where id = 1';
  if (isPostgres(db)) {
    await sql
      .raw(
        `create function tf_bump_reference_generation() returns trigger language plpgsql as $$
        begin ${bump}; return null; end $$`,
      )
      .execute(db);
    for (const table of REFERENCE_TABLES)
      await sql
        .raw(
          `create trigger tf_${table}_generation after insert or update or delete or truncate
          on ${table} for each statement execute function tf_bump_reference_generation()`,
        )
        .execute(db);
    return;
  }
  // SQLite has row triggers only, one event each.
  for (const table of REFERENCE_TABLES)
    for (const event of ['insert', 'update', 'delete'])
      await sql
        .raw(
          `create trigger tf_${table}_${event}_generation after ${event} on ${table}
          begin ${bump}; end`,
        )
        .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  if (isPostgres(db)) {
    for (const table of REFERENCE_TABLES)
      await sql.raw(`drop trigger if exists tf_${table}_generation on ${table}`).execute(db);
    await sql.raw('drop function if exists tf_bump_reference_generation()').execute(db);
  } else {
    for (const table of REFERENCE_TABLES)
      for (const event of ['insert', 'update', 'delete'])
        await sql.raw(`drop trigger if exists tf_${table}_${event}_generation`).execute(db);
  }
  await db.schema.dropTable('reference_generation').ifExists().execute();
}
