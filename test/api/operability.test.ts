import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildApp, type App } from '../../src/api/build-app.ts';
import { connect, type Connection } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { FIXED_NOW, PASSWORD, useApp } from '../support/app.ts';
import { createPgDatabase, describeEachDialect, type TestDb } from '../support/databases.ts';

const get = (app: App, url: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url, headers });

describeEachDialect('health and readiness probes', (t) => {
  const h = useApp(t);

  it('Given a migrated database, Then both probes answer 200 without a session', async () => {
    expect((await get(h.app, '/api/health')).json()).toEqual({ ok: true, dialect: t.dialect });
    const ready = await get(h.app, '/api/ready');
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toMatchObject({ ready: true, dialect: t.dialect });
  });

  it('Given a stale session cookie, Then the probes still answer (no session lookup)', async () => {
    const res = await get(h.app, '/api/ready', { cookie: 'tf_session=gone' });
    expect(res.statusCode).toBe(200);
  });

  it('Given a migration not applied, Then ready is 503 naming it, and health stays 200', async () => {
    const last = await sql<{ name: string; timestamp: string }>`
      select name, timestamp from kysely_migration order by name desc limit 1`.execute(t.db);
    const row = last.rows[0]!;
    await sql`delete from kysely_migration where name = ${row.name}`.execute(t.db);
    try {
      const res = await get(h.app, '/api/ready');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({
        ready: false,
        reason: 'migrations_pending',
        pending: [row.name],
      });
      expect((await get(h.app, '/api/health')).statusCode).toBe(200);
    } finally {
      await sql`insert into kysely_migration (name, timestamp) values (${row.name}, ${row.timestamp})`.execute(
        t.db,
      );
    }
  });

  it('Given the database is gone, Then ready is 503 (database_unreachable) and health stays 200', async () => {
    const scratch = await openScratch(t);
    // No job worker: it would poll the database this test takes away.
    const app = await buildApp({
      db: scratch.conn.db,
      dialect: t.dialect,
      now: () => FIXED_NOW,
      jobs: { worker: false },
    });
    try {
      expect((await get(app, '/api/ready')).statusCode).toBe(200);
      await scratch.conn.close();
      const res = await get(app, '/api/ready');
      expect(res.statusCode).toBe(503);
      expect(res.json()).toEqual({ ready: false, reason: 'database_unreachable' });
      expect((await get(app, '/api/health')).json()).toEqual({ ok: true, dialect: t.dialect });
    } finally {
      await app.close();
      await scratch.drop();
    }
  });
});

/** A second, migrated database of the dialect, to be closed by the test. */
async function openScratch(t: TestDb): Promise<{ conn: Connection; drop: () => Promise<void> }> {
  if (t.dialect === 'sqlite') {
    const conn = connect({ sqliteFile: ':memory:' });
    await migrateToLatest(conn.db);
    return { conn, drop: async () => {} };
  }
  const created = await createPgDatabase(inject('pgUrl'));
  const conn = connect({ databaseUrl: created.url });
  await migrateToLatest(conn.db);
  return { conn, drop: created.drop };
}

describeEachDialect('sign-in throttling shared by instances over one database', (t) => {
  let now = FIXED_NOW;
  const h = useApp(t, { now: () => now });
  let other: App;
  beforeAll(async () => {
    other = await buildApp({ db: t.db, dialect: t.dialect, now: () => now });
  });
  afterAll(async () => {
    await other?.close();
  });
  const login = (app: App, username: string, password: string, ip: string) =>
    app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      headers: { 'x-locale': 'en' },
      remoteAddress: ip,
    });

  it('Given 20 sign-ins from one IP on either instance, Then the next on the other is refused', async () => {
    // When: 30 attempts from 10.9.0.1, spread over both instances, all at once
    const results = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        login(i % 2 ? other : h.app, `nobody${i}`, 'x', '10.9.0.1'),
      ),
    );
    // Then: exactly the per-IP allowance (20 a minute) got through, whichever instance served them
    expect(results.filter((r) => r.statusCode === 401)).toHaveLength(20);
    expect(results.filter((r) => r.statusCode === 429)).toHaveLength(10);
    expect((await login(other, 'nobody', 'x', '10.9.0.1')).json().code).toBe('RATE_LIMITED');
    // Another IP has its own allowance
    expect((await login(other, 'nobody', 'x', '10.9.0.2')).statusCode).toBe(401);
    // And the next minute starts afresh
    now = new Date(FIXED_NOW.getTime() + 60_000);
    expect((await login(h.app, 'nobody', 'x', '10.9.0.1')).statusCode).toBe(401);
  });

  it('Given wrong passwords spread over both instances, Then the account slows down after 5 in all', async () => {
    now = new Date(FIXED_NOW.getTime() + 3 * 60_000);
    const tries = await Promise.all(
      [h.app, other, h.app, other, h.app].map((app, i) =>
        login(app, 'rep2', 'wrong', `10.8.0.${i}`),
      ),
    );
    expect(tries.map((r) => r.json().code)).toEqual(Array(5).fill('LOGIN_FAILED'));
    // Waiting on both, even for the right password
    expect((await login(h.app, 'rep2', PASSWORD, '10.8.1.2')).json().code).toBe('LOGIN_THROTTLED');
    expect((await login(other, 'rep2', PASSWORD, '10.8.1.3')).json().code).toBe('LOGIN_THROTTLED');
    // Until the wait is over, on either
    now = new Date(now.getTime() + 30_000);
    expect((await login(other, 'rep2', PASSWORD, '10.8.1.4')).statusCode).toBe(200);
  });
});

describe('request ids', () => {
  let conn: Connection;
  let app: App;
  beforeAll(async () => {
    conn = connect({ sqliteFile: ':memory:' });
    await migrateToLatest(conn.db);
    app = await buildApp({ db: conn.db, dialect: conn.dialect, now: () => FIXED_NOW });
  });
  afterAll(async () => {
    await app.close();
    await conn.close();
  });

  it('echoes a sane incoming x-request-id', async () => {
    const res = await get(app, '/api/health', { 'x-request-id': 'lb-7f3a.42:x_y' });
    expect(res.headers['x-request-id']).toBe('lb-7f3a.42:x_y');
  });

  it('replaces a missing or unsafe one with a fresh UUID, on errors too', async () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    const a = await get(app, '/api/health');
    const b = await get(app, '/api/health');
    expect(a.headers['x-request-id']).toMatch(uuid);
    expect(b.headers['x-request-id']).not.toBe(a.headers['x-request-id']);
    for (const bad of ['has space', 'x'.repeat(200), '<script>', 'a\tb']) {
      const res = await get(app, '/api/health', { 'x-request-id': bad });
      expect(res.headers['x-request-id']).toMatch(uuid);
    }
    const denied = await get(app, '/api/auth/me', { 'x-request-id': 'req-1' });
    expect(denied.statusCode).toBe(401);
    expect(denied.headers['x-request-id']).toBe('req-1');
  });
});

describe('compression and caching of the web app and the API', () => {
  const root = mkdtempSync(join(tmpdir(), 'tf-web-'));
  const script = `console.log(${JSON.stringify('销售目标 '.repeat(600))});\n`;
  let conn: Connection;
  let app: App;
  beforeAll(async () => {
    mkdirSync(join(root, 'assets'));
    writeFileSync(join(root, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(root, 'assets', 'index-3f9a1c.js'), script);
    writeFileSync(join(root, 'favicon.svg'), '<svg/>');
    conn = connect({ sqliteFile: ':memory:' });
    await migrateToLatest(conn.db);
    app = await buildApp({
      db: conn.db,
      dialect: conn.dialect,
      now: () => FIXED_NOW,
      webRoot: root,
    });
  });
  afterAll(async () => {
    await app.close();
    await conn.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('serves a hashed asset in brotli or gzip as asked, cached for a year as immutable', async () => {
    const br = await get(app, '/assets/index-3f9a1c.js', {
      'accept-encoding': 'gzip, deflate, br',
    });
    expect(br.statusCode).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(brotliDecompressSync(br.rawPayload).toString()).toBe(script);
    expect(br.rawPayload.length).toBeLessThan(Buffer.byteLength(script) / 4);

    const gz = await get(app, '/assets/index-3f9a1c.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.rawPayload).toString()).toBe(script);

    const plain = await get(app, '/assets/index-3f9a1c.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body).toBe(script);
  });

  it('makes browsers revalidate index.html, the SPA fallback and other unhashed files', async () => {
    for (const url of ['/', '/index.html', '/tracking/overview', '/favicon.svg']) {
      const res = await get(app, url, { 'accept-encoding': 'br' });
      expect(res.statusCode, url).toBe(200);
      expect(res.headers['cache-control'], url).toBe('no-cache');
    }
    expect((await get(app, '/tracking/overview')).body).toContain('id="root"');
  });

  it('compresses API JSON over 1 KB, and leaves small replies alone', async () => {
    const doc = await get(app, '/api/openapi.json', { 'accept-encoding': 'gzip' });
    expect(doc.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(doc.rawPayload).toString())).toHaveProperty('openapi');
    const small = await get(app, '/api/health', { 'accept-encoding': 'gzip' });
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.json()).toMatchObject({ ok: true });
  });
});
