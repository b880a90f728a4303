import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { connect, type Connection } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface BenchDb {
  conn: Connection;
  /** The SQLite file, or the PostgreSQL URL, for the raw baseline's own connection. */
  target: string;
  drop(): Promise<void>;
}

/** A migrated SQLite database in a temp file (not :memory:, so WAL and fsync behave as in production). */
export async function sqliteBenchDb(name: string): Promise<BenchDb> {
  const dir = mkdtempSync(join(tmpdir(), 'tf-bench-'));
  const file = join(dir, `${name}.sqlite`);
  const conn = connect({ sqliteFile: file });
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
