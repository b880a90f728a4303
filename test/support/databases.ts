import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { connect, type Connection, type Db, type DialectName } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

export interface TestDb {
  readonly db: Db;
  readonly dialect: DialectName;
}

/**
 * The dialect loop (after Kysely's own test suite): `fn` runs once per database — SQLite in
 * memory and PostgreSQL in a throw-away database — each with a freshly migrated schema.
 */
export function describeEachDialect(name: string, fn: (t: TestDb) => void): void {
  const pgUrl = inject('pgUrl');
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const run = dialect === 'sqlite' || pgUrl !== '';
    (run ? describe : describe.skip)(`${name} [${dialect}]`, () => {
      let conn: Connection | undefined;
      let dropDb: (() => Promise<void>) | undefined;
      const t: TestDb = {
        get db() {
          if (!conn) throw new Error('database not ready');
          return conn.db;
        },
        dialect,
      };
      beforeAll(async () => {
        if (dialect === 'sqlite') {
          conn = connect({ sqliteFile: ':memory:' });
        } else {
          const created = await createPgDatabase(pgUrl);
          dropDb = created.drop;
          conn = connect({ databaseUrl: created.url });
        }
        await migrateToLatest(conn.db);
      });
      afterAll(async () => {
        await conn?.close();
        await dropDb?.();
      });
      fn(t);
    });
  }
}

export async function createPgDatabase(
  adminUrl: string,
): Promise<{ url: string; drop: () => Promise<void> }> {
  const name = `tf_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}
