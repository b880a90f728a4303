import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import pg from 'pg';
import { connect, type Connection } from '../../src/db/connect.ts';
import type { Database } from '../../src/db/schema.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface BenchDb {
  conn: Connection;
  /** The SQLite file, or the PostgreSQL URL, for the raw baseline's own connection. */
  target: string;
  drop(): Promise<void>;
}

/**
 * A migrated SQLite database in a temp file (not :memory:, so WAL and fsync behave as in production).
 * `statementCache` is an experiment, not the product: it opens the connection as `connect()` does
 * but reuses prepared INSERT statements by SQL text, which Kysely's SQLite driver re-prepares on
 * every execution (a 1,000-row cell insert has 14,000 placeholders to parse each time).
 */
export async function sqliteBenchDb(
  name: string,
  opts: { statementCache?: boolean } = {},
): Promise<BenchDb> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-bench-'));
  const file = join(dir, `${name}.sqlite`);
  const conn = opts.statementCache ? cachedSqlite(file) : connect({ sqliteFile: file });
  await migrateToLatest(conn.db);
  return {
    conn,
    target: file,
    drop: async () => {
      await conn.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A migrated throw-away PostgreSQL database on the server of `adminUrl`, dropped afterwards. */
export async function pgBenchDb(adminUrl: string, name: string): Promise<BenchDb> {
  const db = `tf_bench_${name}_${process.pid}_${randomBytes(3).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${db}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${db}`;
  const conn = connect({ databaseUrl: url.toString() });
  await migrateToLatest(conn.db);
  return {
    conn,
    target: url.toString(),
    drop: async () => {
      await conn.close();
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${db} with (force)`);
      await c.end();
    },
  };
}

/** Whether a PostgreSQL server answers at `url` within three seconds. */
export async function pgReachable(url: string): Promise<string | null> {
  try {
    const c = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3000 });
    await c.connect();
    await c.query('select 1');
    await c.end();
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

function cachedSqlite(file: string): Connection {
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const prepare = sqlite.prepare.bind(sqlite);
  const cache = new Map<string, ReturnType<typeof prepare>>();
  // Only INSERTs: a SELECT statement may still be iterating when the same text runs again.
  sqlite.prepare = ((text: string) => {
    if (!/^\s*insert/i.test(text)) return prepare(text);
    let st = cache.get(text);
    if (!st) {
      st = prepare(text);
      if (cache.size >= 64) cache.delete(cache.keys().next().value ?? '');
      cache.set(text, st);
    }
    return st;
  }) as typeof sqlite.prepare;
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: sqlite }) });
  return { db, dialect: 'sqlite', close: () => db.destroy() };
}
