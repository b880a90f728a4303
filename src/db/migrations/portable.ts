import { PostgresAdapter } from 'kysely';
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';

/**
 * The dialect-specific corner of the schema, in one place: an auto-increment integer key is
 * `integer primary key autoincrement` on SQLite and an identity column on PostgreSQL.
 * Migrations must stay self-contained (they never import app code), so this helper lives beside them.
 */
export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

export function withId<T extends string>(
  db: Kysely<any>,
  table: CreateTableBuilder<T, never>,
): CreateTableBuilder<T, 'id'> {
  const pg = isPostgres(db);
  return table.addColumn('id', 'integer', (c: ColumnDefinitionBuilder) =>
    pg ? c.primaryKey().generatedByDefaultAsIdentity() : c.primaryKey().autoIncrement(),
  );
}
