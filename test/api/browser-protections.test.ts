import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, type App } from '../../src/api/build-app.ts';
import { parseAllowedOrigins } from '../../src/api/csrf.ts';
import { isFileLikePath } from '../../src/api/not-found.ts';
import { registerSecurityHeaders } from '../../src/api/security-headers.ts';
import { FIXED_NOW, PASSWORD, seedFixture, useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';

// app.inject addresses every request to Host "localhost:80" over http: this is the app's own origin.
const OWN_ORIGIN = 'http://localhost';
const FOREIGN = 'https://evil.example';

describeEachDialect('CSRF: state-changing requests from other sites', (t) => {
  const h = useApp(t);
  const importMember = async (code: string, headers: Record<string, string>) => {
    const csv = `工号,姓名,职级,入职日期,所属组织编码\n${code},新人,新人,2026-03-01,T1\n`;
    const { payload, headers: type } = multipartFile('m.csv', Buffer.from(csv, 'utf8'));
    return h.app.inject({
      method: 'POST',
      url: '/api/imports/members',
      payload,
      headers: { ...type, cookie: await h.login('admin'), ...headers },
    });
  };
  const memberExists = async (code: string) =>
    (await t.db.selectFrom('members').select('id').where('code', '=', code).execute()).length > 0;

  it('Given a foreign Origin, When a signed-in admin’s browser posts an import, Then 403 in the caller’s language and nothing is imported', async () => {
    const res = await importMember('X91', { origin: FOREIGN, 'accept-language': 'en-US,en;q=0.9' });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      code: 'CROSS_SITE_REQUEST',
      params: { origin: FOREIGN },
      message: `Request from another site refused (${FOREIGN}); please use this application’s own pages`,
    });
    expect(await memberExists('X91')).toBe(false);
    const zh = await importMember('X91', { origin: FOREIGN, 'sec-fetch-site': 'cross-site' });
    expect(zh.statusCode).toBe(403);
    expect(zh.json().message).toContain('已拒绝来自其他网站的请求');
    expect(await memberExists('X91')).toBe(false);
  });

  it('Given the app’s own Origin (or Sec-Fetch-Site: same-origin), Then the import is applied', async () => {
    const own = await importMember('X92', { origin: OWN_ORIGIN });
    expect(own.statusCode).toBe(200);
    expect(await memberExists('X92')).toBe(true);
    // Behind a proxy that rewrites Host the Origin looks foreign, but the browser vouches for it.
    const viaProxy = await importMember('X93', {
      origin: 'https://targets.example',
      'sec-fetch-site': 'same-origin',
    });
    expect(viaProxy.statusCode).toBe(200);
    expect(await memberExists('X93')).toBe(true);
  });

  it('Given Sec-Fetch-Site cross-site or same-site, Then 403 even without an Origin or with ours', async () => {
    const attempts: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site' },
      { 'sec-fetch-site': 'cross-site', origin: OWN_ORIGIN },
      // a sibling subdomain is same-site but not this app
      { 'sec-fetch-site': 'same-site', origin: 'http://other.localhost' },
      { origin: 'null' },
      { origin: 'http://localhost:8081' },
      { origin: 'https://localhost' },
    ];
    for (const headers of attempts) {
      const res = await importMember('X94', headers);
      expect({ headers, status: res.statusCode }).toEqual({ headers, status: 403 });
    }
    expect(await memberExists('X94')).toBe(false);
  });

  it('Given a foreign Origin, Then reads are unaffected', async () => {
    const res = await h.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: await h.login('admin'), origin: FOREIGN, 'sec-fetch-site': 'cross-site' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ username: 'admin' });
  });

  it('Given a foreign Origin, Then sign-in is refused without a session (login CSRF)', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: FOREIGN },
      payload: { username: 'admin', password: PASSWORD },
    });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('CROSS_SITE_REQUEST');
    expect(res.cookies.find((c) => c.name === 'tf_session')).toBeUndefined();
    const own = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      headers: { origin: OWN_ORIGIN, 'sec-fetch-site': 'same-origin' },
      payload: { username: 'admin', password: PASSWORD },
    });
    expect(own.statusCode).toBe(200);
  });

  it('Given a forged sign-out, Then it is refused and the session still works', async () => {
    const cookie = await h.login('rep1');
    const out = await h.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie, origin: FOREIGN },
    });
    expect(out.statusCode).toBe(403);
    const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(200);
  });

  it('Given neither Origin nor Sec-Fetch-Site (curl, scripts), Then writes are allowed', async () => {
    const res = await importMember('X95', {});
    expect(res.statusCode).toBe(200);
    expect(await memberExists('X95')).toBe(true);
  });

  describe('with ALLOWED_ORIGINS', () => {
    let app: App;
    beforeAll(async () => {
      app = await buildApp({
        db: t.db,
        dialect: t.dialect,
        now: () => FIXED_NOW,
        jobs: { worker: false },
        allowedOrigins: parseAllowedOrigins('https://portal.example, https://B.example:443/'),
      });
    });
    afterAll(async () => app?.close());
    const login = (headers: Record<string, string>) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/login',
        headers,
        payload: { username: 'admin', password: PASSWORD },
      });

    it('Then a listed origin may post cross-site, and others still may not', async () => {
      const listed = { origin: 'https://portal.example', 'sec-fetch-site': 'cross-site' };
      expect((await login(listed)).statusCode).toBe(200);
      expect((await login({ origin: 'https://b.example' })).statusCode).toBe(200);
      expect((await login({ origin: 'https://portal.example.evil' })).statusCode).toBe(403);
      expect((await login({ origin: 'http://portal.example' })).statusCode).toBe(403);
      expect((await login({ 'sec-fetch-site': 'cross-site' })).statusCode).toBe(403);
    });
  });
});

describe('ALLOWED_ORIGINS parsing', () => {
  it('normalises origins and refuses anything that is not one', () => {
    expect(parseAllowedOrigins(undefined)).toEqual([]);
    expect(parseAllowedOrigins(' https://A.example:443/ ,http://b.example:8080 ')).toEqual([
      'https://a.example',
      'http://b.example:8080',
    ]);
    expect(() => parseAllowedOrigins('https://a.example,portal')).toThrow(/ALLOWED_ORIGINS/);
    expect(() => parseAllowedOrigins('javascript:alert(1)')).toThrow(/ALLOWED_ORIGINS/);
  });
});

describeEachDialect('security headers', (t) => {
  const h = useApp(t);
  const expectProtected = (headers: Record<string, unknown>) => {
    const csp = String(headers['content-security-policy']);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("object-src 'none'");
    expect(csp).not.toContain('unsafe-eval');
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('strict-origin-when-cross-origin');
    expect(headers['x-frame-options']).toBe('DENY');
  };

  it('Then every reply carries them: a read, an error, a refusal, a not-found and the docs', async () => {
    const cookie = await h.login('admin');
    const replies = [
      await h.app.inject({ method: 'GET', url: '/api/health' }),
      await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } }),
      await h.app.inject({ method: 'GET', url: '/api/auth/me' }), // 401
      await h.app.inject({ method: 'GET', url: '/api/nope', headers: { cookie } }), // 404
      await h.app.inject({ method: 'POST', url: '/api/auth/logout', headers: { origin: FOREIGN } }),
      await h.app.inject({ method: 'GET', url: '/api/docs/' }),
      await h.app.inject({ method: 'GET', url: '/api/docs/static/swagger-ui-bundle.js' }),
    ];
    expect(replies.map((r) => r.statusCode)).toEqual([200, 200, 401, 404, 403, 200, 200]);
    for (const r of replies) {
      expectProtected(r.headers);
      // plain http: no HSTS
      expect(r.headers['strict-transport-security']).toBeUndefined();
    }
  });
});

describe('HSTS', () => {
  const appWith = async (trustProxy: boolean) => {
    const app = Fastify({ trustProxy });
    registerSecurityHeaders(app);
    app.get('/', async () => ({ ok: true }));
    return app;
  };

  it('is sent only when the request came over HTTPS (here: through a trusted proxy)', async () => {
    const trusted = await appWith(true);
    const https = await trusted.inject({ url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(https.headers['strict-transport-security']).toBe('max-age=31536000');
    const http = await trusted.inject({ url: '/' });
    expect(http.headers['strict-transport-security']).toBeUndefined();
    await trusted.close();
    // anyone can send x-forwarded-proto: without a trusted proxy it means nothing
    const direct = await appWith(false);
    const spoofed = await direct.inject({ url: '/', headers: { 'x-forwarded-proto': 'https' } });
    expect(spoofed.headers['strict-transport-security']).toBeUndefined();
    expect(spoofed.headers['x-content-type-options']).toBe('nosniff');
    await direct.close();
  });
});

describeEachDialect('unknown paths with the web app', (t) => {
  let app: App;
  let webRoot: string;
  beforeAll(async () => {
    await seedFixture(t.db);
    webRoot = mkdtempSync(join(tmpdir(), 'tf-web-'));
    mkdirSync(join(webRoot, 'assets'));
    writeFileSync(join(webRoot, 'index.html'), '<!doctype html><div id="root"></div>');
    writeFileSync(join(webRoot, 'assets', 'app-abc123.js'), 'console.log(1)');
    app = await buildApp({
      db: t.db,
      dialect: t.dialect,
      now: () => FIXED_NOW,
      jobs: { worker: false },
      webRoot,
    });
  });
  afterAll(async () => {
    await app?.close();
    rmSync(webRoot, { recursive: true, force: true });
  });
  const get = (url: string) => app.inject({ method: 'GET', url });

  it('Given file-like paths that are no files, Then a small plain 404, not the app shell', async () => {
    for (const url of [
      '/.env',
      '/config.json',
      '/wp-login.php',
      '/.git/config',
      '/.well-known/security.txt',
      '/assets/missing-123.js',
      '/plans/backup.tar.gz?x=1',
      '/%2Eenv',
    ]) {
      const res = await get(url);
      expect({ url, status: res.statusCode, body: res.body }).toEqual({
        url,
        status: 404,
        body: 'Not Found',
      });
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.headers['x-content-type-options']).toBe('nosniff');
    }
  });

  it('Given client routes and real files, Then the shell and the file', async () => {
    for (const url of ['/', '/plans/versions/3', '/tracking?asOf=2026.03.01', '/login']) {
      const res = await get(url);
      expect({ url, status: res.statusCode }).toEqual({ url, status: 200 });
      expect(res.body).toContain('<div id="root">');
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    }
    const file = await get('/assets/app-abc123.js');
    expect(file.statusCode).toBe(200);
    expect(file.body).toBe('console.log(1)');
  });

  it('Given an unknown /api path, Then JSON: 401 without a session, 404 NOT_FOUND with one', async () => {
    const anonymous = await get('/api/.env');
    expect(anonymous.statusCode).toBe(401);
    expect(anonymous.json().code).toBe('UNAUTHENTICATED');
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'admin', password: PASSWORD },
    });
    const cookie = `tf_session=${login.cookies.find((c) => c.name === 'tf_session')!.value}`;
    const res = await app.inject({ method: 'GET', url: '/api/no/such.json', headers: { cookie } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toMatchObject({ code: 'NOT_FOUND' });
  });
});

describe('isFileLikePath', () => {
  it('tells files from client routes', () => {
    expect(isFileLikePath('/.env')).toBe(true);
    expect(isFileLikePath('/a/.git/HEAD')).toBe(true);
    expect(isFileLikePath('/index.php?x=1')).toBe(true);
    expect(isFileLikePath('/%E0%A4%A')).toBe(true);
    expect(isFileLikePath('/plans/versions/12')).toBe(false);
    expect(isFileLikePath('/tracking?unit=a.b')).toBe(false);
    expect(isFileLikePath('/')).toBe(false);
  });
});
