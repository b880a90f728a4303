import { expect, it } from 'vitest';
import { forgetSessions, settleSessionTouches } from '../../src/app/auth/session.ts';
import { FIXED_NOW, PASSWORD, useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

const minutes = (n: number) => new Date(FIXED_NOW.getTime() + n * 60_000);

describeEachDialect('sessions: idle timeout (30 minutes here)', (t) => {
  let now = FIXED_NOW;
  const h = useApp(t, { now: () => now, deps: { sessionIdleMs: 30 * 60_000 } });
  const signIn = async (username: string) => {
    now = FIXED_NOW;
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: PASSWORD },
    });
    return `tf_session=${res.cookies.find((c) => c.name === 'tf_session')!.value}`;
  };
  /** GET /me at `at`; `fresh` first drops this process's session cache, so the database decides. */
  const me = async (cookie: string, at: Date, fresh = false) => {
    now = at;
    if (fresh) forgetSessions(t.db);
    const res = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    await settleSessionTouches(t.db);
    return res.statusCode;
  };
  const lastSeen = async () =>
    (await t.db.selectFrom('sessions').select('last_seen_at').execute()).map((r) => r.last_seen_at);

  it('Given a session used every 20 minutes, Then it lives on past the idle allowance', async () => {
    const cookie = await signIn('rep1');
    expect(await me(cookie, minutes(20), true)).toBe(200);
    expect(await me(cookie, minutes(40), true)).toBe(200);
    expect(await me(cookie, minutes(60), true)).toBe(200);
    expect(await lastSeen()).toEqual([minutes(60).toISOString()]);
    // When it then rests for 30 minutes, Then it has ended, cached or not
    expect(await me(cookie, minutes(90))).toBe(401);
    expect(await me(cookie, minutes(90), true)).toBe(401);
    await t.db.deleteFrom('sessions').execute();
  });

  it('Given 31 minutes without a request, Then the session ends, while a 29-minute rest does not', async () => {
    const resting = await signIn('rep2');
    const idle = await signIn('rep4');
    expect(await me(resting, minutes(29), true)).toBe(200);
    expect(await me(idle, minutes(31), true)).toBe(401);
    expect(await me(idle, minutes(31))).toBe(401);
    await t.db.deleteFrom('sessions').execute();
  });

  it('moves last_seen_at at most once a minute, however many requests', async () => {
    const cookie = await signIn('mgrEast');
    const at = (s: number) => new Date(FIXED_NOW.getTime() + s * 1000);
    for (const s of [10, 30, 59]) expect(await me(cookie, at(s), true)).toBe(200);
    expect(await lastSeen()).toEqual([FIXED_NOW.toISOString()]);
    expect(await me(cookie, at(60), true)).toBe(200);
    for (const s of [70, 100]) expect(await me(cookie, at(s))).toBe(200);
    expect(await lastSeen()).toEqual([at(60).toISOString()]);
    await t.db.deleteFrom('sessions').execute();
  });

  it('still ends a busy session at its absolute expiry (7 days)', async () => {
    const cookie = await signIn('mgrWest');
    const week = 7 * 24 * 60;
    // Used a minute before the end of its week
    await t.db
      .updateTable('sessions')
      .set({ last_seen_at: minutes(week - 1).toISOString() })
      .execute();
    expect(await me(cookie, minutes(week - 0.5), true)).toBe(200);
    expect(await me(cookie, minutes(week), true)).toBe(401);
  });
});

describeEachDialect('behind no trusted proxy (the default)', (t) => {
  const h = useApp(t);
  it('ignores X-Forwarded-Proto: the cookie is not Secure over plain HTTP', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'rep1', password: PASSWORD },
      headers: { 'x-forwarded-proto': 'https' },
    });
    expect(res.statusCode).toBe(200);
    expect(res.cookies.find((c) => c.name === 'tf_session')!.secure).toBeFalsy();
  });

  it('answers a signed-in user in their saved language whatever Accept-Language says, unless x-locale asks', async () => {
    // The fixture's users saved English.
    const cookie = await h.login('rep1');
    const bad = (headers: Record<string, string>) =>
      h.app.inject({
        method: 'PUT',
        url: '/api/auth/me/preferences',
        payload: { locale: 'fr' },
        headers: { cookie, ...headers },
      });
    expect((await bad({ 'accept-language': 'zh-CN,zh;q=0.9' })).json().message).toMatch(
      /^Invalid input/,
    );
    expect((await bad({ 'x-locale': 'zh-CN' })).json().message).toMatch(/^输入有误/);
    // Signed out, Accept-Language decides
    const signedOut = (lang: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'nobody', password: 'x-1234567' },
        headers: { 'accept-language': lang },
        remoteAddress: '10.20.0.1',
      });
    expect((await signedOut('en-GB,en;q=0.9')).json().message).toBe('Wrong username or password');
    expect((await signedOut('zh-CN')).json().message).toBe('用户名或密码错误');
  });
});

describeEachDialect('behind a trusted proxy (TRUST_PROXY=127.0.0.1)', (t) => {
  const h = useApp(t, { deps: { trustProxy: '127.0.0.1' } });
  const login = (remoteAddress: string, headers: Record<string, string>, username = 'rep1') =>
    h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: PASSWORD },
      headers,
      remoteAddress,
    });

  it('marks the cookie Secure when the proxy says the request came over HTTPS, and only then', async () => {
    const https = await login('127.0.0.1', { 'x-forwarded-proto': 'https' });
    expect(https.cookies.find((c) => c.name === 'tf_session')!.secure).toBe(true);
    const http = await login('127.0.0.1', {});
    expect(http.cookies.find((c) => c.name === 'tf_session')!.secure).toBeFalsy();
    // The same header from anyone else is not believed
    const forged = await login('10.30.0.1', { 'x-forwarded-proto': 'https' });
    expect(forged.cookies.find((c) => c.name === 'tf_session')!.secure).toBeFalsy();
  });

  it('counts the per-address limit by the forwarded client address', async () => {
    const codes: number[] = [];
    // 25 clients behind the proxy, one attempt each: none is limited
    for (let i = 0; i < 25; i++)
      codes.push(
        (await login('127.0.0.1', { 'x-forwarded-for': `203.0.113.${i}` }, `nobody${i}`))
          .statusCode,
      );
    expect(codes).toEqual(Array(25).fill(401));
    // One client behind it, 21 attempts: limited after 20
    const one: number[] = [];
    for (let i = 0; i < 21; i++)
      one.push(
        (await login('127.0.0.1', { 'x-forwarded-for': '203.0.113.200' }, `nobody${i}`)).statusCode,
      );
    expect(one.slice(19)).toEqual([401, 429]);
    // An untrusted peer's header is ignored: it is counted by its own address
    const direct: number[] = [];
    for (let i = 0; i < 21; i++)
      direct.push(
        (await login('10.30.0.2', { 'x-forwarded-for': `203.0.113.${100 + i}` }, `nobody${i}`))
          .statusCode,
      );
    expect(direct.slice(19)).toEqual([401, 429]);
  });
});

describeEachDialect('COOKIE_SECURE=1', (t) => {
  const h = useApp(t, { deps: { secureCookies: true } });
  it('marks the cookie Secure even over plain HTTP', async () => {
    const res = await h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username: 'rep1', password: PASSWORD },
    });
    expect(res.cookies.find((c) => c.name === 'tf_session')!.secure).toBe(true);
  });
});
