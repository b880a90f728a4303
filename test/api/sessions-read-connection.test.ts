import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.ts';
import { connect, type Connection } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { FIXED_NOW, PASSWORD, seedFixture } from '../support/app.ts';

/**
 * A SQLite file has a separate read connection, and sessions are looked up (and cached) on it.
 * Every write must forget that cache too: a language switched, a logout, a role changed take
 * effect on the very next request (PostgreSQL has one pool, so its readDb is its db).
 */
let dir: string;
let conn: Connection & { readDb: Connection['db'] };
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tf-sessions-'));
  conn = connect({ sqliteFile: join(dir, 'tf.sqlite') });
  await migrateToLatest(conn.db);
  await seedFixture(conn.db);
  app = await buildApp({
    db: conn.db,
    readDb: conn.readDb,
    dialect: 'sqlite',
    now: () => FIXED_NOW,
  });
});

afterAll(async () => {
  await app?.close();
  await conn?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('Given a session cached on the read connection, When the user writes, Then the next read sees it', async () => {
  expect(conn.readDb).not.toBe(conn.db);
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { username: 'rep1', password: PASSWORD },
  });
  expect(login.statusCode).toBe(200);
  const cookie = `tf_session=${login.cookies.find((c) => c.name === 'tf_session')!.value}`;
  const me = () => app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
  const before = (await me()).json().locale as string; // now cached
  const other = before === 'en' ? 'zh-CN' : 'en';

  // When the language is switched, Then the very next /me has the other one
  const put = await app.inject({
    method: 'PUT',
    url: '/api/auth/me/preferences',
    headers: { cookie },
    payload: { locale: other, amountUnit: 'yi' },
  });
  expect(put.statusCode).toBe(200);
  expect((await me()).json()).toMatchObject({ locale: other, amountUnit: 'yi' });

  // When the user signs out, Then the old cookie is refused at once
  const out = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie } });
  expect(out.statusCode).toBeLessThan(300);
  expect((await me()).statusCode).toBe(401);
});
