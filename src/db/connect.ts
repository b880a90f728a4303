import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteDialect } from 'kysely';
import pg from 'pg';
import type { Database } from './schema.ts';
import { SqliteHandle } from './sqlite-bulk.ts';

export type DialectName = 'sqlite' | 'postgres';
export type Db = Kysely<Database>;

export interface Connection {
  db: Db;
  /**
   * For reads only. On a SQLite file, a second connection (query-only, WAL), so reads go on while
   * a long write transaction holds `db`'s connection (an import of 50,000 lines holds it for
   * about a second); a reader sees the last commit. On PostgreSQL and SQLite in memory, `db`.
   * Optional here so that tests can hand a bare `{ db, dialect, close }` to the CLI.
   */
  readDb?: Db;
  dialect: DialectName;
  close(): Promise<void>;
}

// PostgreSQL returns bigint (int8) and numeric (e.g. SUM of bigint) as strings. Our integers are
// fen amounts and counts that stay far below 2^53, so numbers are safe and keep both dialects alike.
pg.types.setTypeParser(20, (v) => Number(v));
pg.types.setTypeParser(1700, (v) => Number(v));

export interface ConnectOptions {
  /** postgres://… switches to PostgreSQL. */
  databaseUrl?: string;
  /** SQLite file path, or ':memory:'. */
  sqliteFile?: string;
}

export function connect(opts: ConnectOptions): Connection & { readDb: Db } {
  if (opts.databaseUrl) {
    const pool = new pg.Pool({ connectionString: opts.databaseUrl, max: 10 });
    // A connection the server ends (a restart, an admin's pg_terminate_backend) while it is idle
    // or checked out between two queries emits 'error'; unheard, that would crash the process.
    // The pool drops such a client, and whoever uses it next gets a rejected query instead.
    pool.on('error', (err) => console.error(`PostgreSQL connection lost: ${err.message}`));
    pool.on('connect', (client) => {
      client.on('error', (err) => console.error(`PostgreSQL connection lost: ${err.message}`));
      // No JIT: it compiles a statement whose *estimated* cost passes 100,000, and estimates of a
      // join against unnest(keys) are wild — an import's order-number lookups spent ≈ 100 ms
      // compiling each 5,000-key statement that then ran in 5 ms. Our statements are short.
      // Queued before any query of whoever checked the client out, so it runs first.
      client
        .query('set jit = off')
        .catch((err: Error) => console.error(`PostgreSQL: set jit = off failed: ${err.message}`));
    });
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    return { db, readDb: db, dialect: 'postgres', close: () => db.destroy() };
  }
  const file = opts.sqliteFile ?? 'data/targetflow.sqlite';
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new SQLite(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('synchronous = NORMAL');
  const db = sqliteKysely(sqlite);
  // A second connection to ':memory:' would be another, empty database.
  if (file === ':memory:') return { db, readDb: db, dialect: 'sqlite', close: () => db.destroy() };
  const reader = new SQLite(file);
  reader.pragma('busy_timeout = 5000');
  // Reads only: a write through it by mistake fails instead of waiting behind an import.
  reader.pragma('query_only = ON');
  const readDb = sqliteKysely(reader);
  return {
    db,
    readDb,
    dialect: 'sqlite',
    close: async () => {
      await readDb.destroy();
      await db.destroy();
    },
  };
}

function sqliteKysely(sqlite: SQLite.Database): Db {
  return new Kysely<Database>({
    dialect: new SqliteDialect({ database: sqlite }),
    plugins: [new SqliteHandle(sqlite)],
  });
}
