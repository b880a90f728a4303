import { sql, type Kysely } from 'kysely';
import { isPostgres } from './sqlite-bulk.ts';

/**
 * Two writers racing for the same rows, per dialect, behind two named functions.
 *
 * PostgreSQL runs transactions side by side: two imports of one file both find its external ids
 * new, both insert, and the second fails on the unique key. `lockFactKind` makes writers of one
 * fact kind take turns (a transaction-level advisory lock, released by the commit or rollback),
 * so the second one sees the first's rows and finds them unchanged. SQLite has one writer at a
 * time already (a Kysely transaction holds the process's only connection; another process waits
 * for the file's write lock up to `busy_timeout`), so the lock is a no-op there.
 */
export async function lockFactKind(q: Kysely<any>, kind: string): Promise<void> {
  if (!isPostgres(q)) return;
  await sql`select pg_advisory_xact_lock(hashtext(${`targetflow.facts.${kind}`}))`.execute(q);
}

/**
 * Whether an error is another writer getting there first, so that running the transaction again
 * would see its work: a unique key taken meanwhile, a serialization failure or deadlock
 * (PostgreSQL), the database file locked by another process past the busy timeout (SQLite).
 */
export function isWriteConflict(e: unknown): boolean {
  const code = (e as { code?: unknown } | null)?.code;
  if (typeof code !== 'string') return false;
  return (
    code === '23505' ||
    code === '40001' ||
    code === '40P01' ||
    code === '55P03' ||
    code === 'SQLITE_BUSY' ||
    code.startsWith('SQLITE_BUSY_') ||
    code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
  );
}
