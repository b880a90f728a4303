import { afterEach, describe, expect, it } from 'vitest';
import { FIXED_NOW, PASSWORD, useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

describeEachDialect('sign-in, sessions and passwords', (t) => {
  let now = FIXED_NOW;
  const h = useApp(t, { now: () => now });
  const login = (username: string, password: string, ip = '10.0.0.1') =>
    h.app.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password },
      headers: { 'x-locale': 'en' },
      remoteAddress: ip,
    });
  const cookieOf = (res: Awaited<ReturnType<typeof login>>) =>
    `tf_session=${res.cookies.find((c) => c.name === 'tf_session')!.value}`;

  it('Given the right password, Then an HttpOnly SameSite session cookie is set and /me answers', async () => {
    const res = await login('rep1', PASSWORD);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'tf_session')!;
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Lax', path: '/' });
    const me = await h.app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { cookie: cookieOf(res) },
    });
    expect(me.json()).toMatchObject({ username: 'rep1', role: 'rep', scope: { all: false } });
  });

  it('stores only a scrypt hash, never the password', async () => {
    const row = await t.db
      .selectFrom('users')
      .select('password_hash')
      .where('username', '=', 'rep1')
      .executeTakeFirstOrThrow();
    expect(row.password_hash).toMatch(/^scrypt\$/);
    expect(row.password_hash).not.toContain(PASSWORD);
  });

  it('answers a wrong password with a translated 401 that does not reveal whether the user exists', async () => {
    const wrong = await login('rep2', 'nope-1234');
    const unknown = await login('nobody', 'nope-1234');
    expect([wrong.statusCode, unknown.statusCode]).toEqual([401, 401]);
    expect(wrong.json()).toMatchObject({
      code: 'LOGIN_FAILED',
      message: 'Wrong username or password',
    });
    expect(unknown.json().code).toBe('LOGIN_FAILED');
  });

  describe('slowdown after failed sign-ins (no lock-out)', () => {
    afterEach(() => {
      now = FIXED_NOW;
    });

    it('Given 5 wrong passwords, Then the next attempt waits 30 s (even the right one), then the owner signs in and the count resets', async () => {
      for (let i = 0; i < 5; i++)
        expect((await login('rep4', 'bad-pass-1', `10.1.0.${i}`)).json().code).toBe('LOGIN_FAILED');
      const refused = await login('rep4', PASSWORD, '10.1.1.1');
      expect(refused.statusCode).toBe(429);
      expect(refused.headers['retry-after']).toBe('30');
      expect(refused.json()).toMatchObject({
        code: 'LOGIN_THROTTLED',
        message: 'Too many failed sign-ins for this account; try again in 30 seconds',
        params: { waitSeconds: 30, retryAt: '2026-03-16T02:00:30.000Z' },
      });
      now = new Date(FIXED_NOW.getTime() + 29_000);
      expect((await login('rep4', PASSWORD, '10.1.1.2')).json().params.waitSeconds).toBe(1);
      now = new Date(FIXED_NOW.getTime() + 30_000);
      expect((await login('rep4', PASSWORD, '10.1.1.3')).statusCode).toBe(200);
      // The count starts again from nothing: four more wrong ones are plain failures.
      for (let i = 0; i < 4; i++)
        expect((await login('rep4', 'bad-pass-1', `10.1.2.${i}`)).json().code).toBe('LOGIN_FAILED');
      expect((await login('rep4', PASSWORD, '10.1.2.9')).statusCode).toBe(200);
    });

    it('doubles the wait with each further failure, in the caller’s language', async () => {
      const at = (s: number) => (now = new Date(FIXED_NOW.getTime() + s * 1000));
      for (let i = 0; i < 5; i++) await login('mgrEast', 'bad-pass-1', `10.6.0.${i}`);
      at(30);
      expect((await login('mgrEast', 'bad-pass-2', '10.6.1.1')).json().code).toBe('LOGIN_FAILED');
      const zh = await h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'mgrEast', password: PASSWORD },
        headers: { 'x-locale': 'zh-CN' },
        remoteAddress: '10.6.1.2',
      });
      expect(zh.json()).toMatchObject({
        code: 'LOGIN_THROTTLED',
        message: '该账号登录失败次数过多，请 1 分钟后再试',
      });
      at(30 + 60);
      expect((await login('mgrEast', 'bad-pass-3', '10.6.1.3')).json().code).toBe('LOGIN_FAILED');
      expect((await login('mgrEast', PASSWORD, '10.6.1.4')).json().message).toBe(
        'Too many failed sign-ins for this account; try again in 2 minutes',
      );
      at(30 + 60 + 120);
      expect((await login('mgrEast', PASSWORD, '10.6.1.5')).statusCode).toBe(200);
    });

    it('Given 60 wrong guesses at once from 60 addresses, Then only 5 are checked and the owner signs in after the wait', async () => {
      const guesses = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          login('admin', `guess-${i}-x9`, `10.7.${Math.floor(i / 250)}.${i % 250}`),
        ),
      );
      const codes = guesses.map((r) => r.json().code as string);
      expect(codes.filter((c) => c === 'LOGIN_FAILED')).toHaveLength(5);
      expect(codes.filter((c) => c === 'LOGIN_THROTTLED')).toHaveLength(55);
      expect((await login('admin', PASSWORD, '10.7.9.1')).json().code).toBe('LOGIN_THROTTLED');
      now = new Date(FIXED_NOW.getTime() + 30_000);
      expect((await login('admin', PASSWORD, '10.7.9.2')).statusCode).toBe(200);
    });

    it('rate-limits sign-in attempts per address', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 22; i++)
        codes.push((await login(`ghost${i}`, 'x-1234567', '10.9.9.9')).statusCode);
      expect(codes.slice(0, 20).every((c) => c === 401)).toBe(true);
      expect(codes.slice(20)).toEqual([429, 429]);
    });

    it('Given no trusted proxy, Then a rotated X-Forwarded-For does not lift the per-address limit', async () => {
      const codes: number[] = [];
      for (let i = 0; i < 22; i++) {
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username: `ghost${i}`, password: 'x-1234567' },
          headers: { 'x-forwarded-for': `198.51.100.${i}` },
          remoteAddress: '10.9.9.10',
        });
        codes.push(res.statusCode);
      }
      expect(codes.slice(20)).toEqual([429, 429]);
    });
  });

  it('logout ends the session on the server, not only in the browser', async () => {
    const cookie = cookieOf(await login('mgrWest', PASSWORD, '10.2.0.1'));
    const out = await h.app.inject({
      method: 'POST',
      url: '/api/auth/logout',
      headers: { cookie },
    });
    expect(out.statusCode).toBe(204);
    const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.statusCode).toBe(401);
  });

  describe('password change', () => {
    it('refuses a wrong current password and a weak new one', async () => {
      const cookie = cookieOf(await login('viewer', PASSWORD, '10.3.0.1'));
      const change = (currentPassword: string, newPassword: string) =>
        h.app.inject({
          method: 'POST',
          url: '/api/auth/password',
          headers: { cookie, 'x-locale': 'zh-CN' },
          payload: { currentPassword, newPassword },
        });
      expect((await change('wrong-1234', 'Better-2026')).json().code).toBe('WRONG_PASSWORD');
      const weak = await change(PASSWORD, 'short');
      expect(weak.statusCode).toBe(400);
      expect(weak.json()).toMatchObject({
        code: 'PASSWORD_WEAK',
        message: '密码至少 8 位，且需同时包含字母和数字',
      });
      const common = await change(PASSWORD, 'A123456789');
      expect(common.statusCode).toBe(400);
      expect(common.json()).toMatchObject({
        code: 'PASSWORD_COMMON',
        message: '这个密码太常见，很容易被猜到，请换一个',
      });
      // Nothing changed: the old password still signs in
      expect((await login('viewer', PASSWORD, '10.3.0.2')).statusCode).toBe(200);
    });

    it('changes the password, ends the other sessions and keeps the current one signed in', async () => {
      const other = cookieOf(await login('finance', PASSWORD, '10.4.0.1'));
      const current = cookieOf(await login('finance', PASSWORD, '10.4.0.2'));
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/auth/password',
        headers: { cookie: current },
        payload: { currentPassword: PASSWORD, newPassword: 'Better-2026' },
      });
      expect(res.statusCode).toBe(204);
      const renewed = `tf_session=${res.cookies.find((c) => c.name === 'tf_session')!.value}`;
      expect(
        (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: other } }))
          .statusCode,
      ).toBe(401);
      expect(
        (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: renewed } }))
          .statusCode,
      ).toBe(200);
      expect((await login('finance', PASSWORD, '10.4.0.3')).statusCode).toBe(401);
      expect((await login('finance', 'Better-2026', '10.4.0.4')).statusCode).toBe(200);
      const audited = await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'password')
        .execute();
      expect(audited.length).toBeGreaterThan(0);
    });
  });

  it('saves language and amount-unit preferences', async () => {
    const cookie = cookieOf(await login('rep2', PASSWORD, '10.5.0.1'));
    const res = await h.app.inject({
      method: 'PUT',
      url: '/api/auth/me/preferences',
      headers: { cookie },
      payload: { locale: 'zh-CN', amountUnit: 'yi' },
    });
    expect(res.json()).toMatchObject({ locale: 'zh-CN', amountUnit: 'yi' });
    const me = await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
    expect(me.json()).toMatchObject({ locale: 'zh-CN', amountUnit: 'yi' });
  });

  it('serves the interactive API docs page', async () => {
    const res = await h.app.inject({ method: 'GET', url: '/api/docs/' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
  });
});
