import type SQLite from 'better-sqlite3';
import type { Kysely } from 'kysely';
import { SqliteHandle } from './sqlite-bulk.ts';

/**
 * The better-sqlite3 handle behind a Kysely instance or transaction, or undefined on PostgreSQL.
 * A Kysely transaction holds the single SQLite connection exclusively, so statements run on this
 * handle while the transaction is open are part of it.
 */
export function sqliteHandleOf(q: Kysely<any>): SQLite.Database | undefined {
  for (const p of q.getExecutor().plugins) if (p instanceof SqliteHandle) return p.db;
  return undefined;
}

const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/**
 * A prepared statement for this SQL text on this handle, prepared once and reused: the hot write
 * paths (plan cells, splits) run the same few statements millions of times. Only for statements
 * run to completion with `run()` — a SELECT still being iterated cannot be run again.
 */
export function cachedStatement(db: SQLite.Database, text: string): SQLite.Statement {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let stmt = byText.get(text);
  if (!stmt) byText.set(text, (stmt = db.prepare(text)));
  return stmt;
}
