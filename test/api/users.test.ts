import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';

interface User {
  id: number;
  username: string;
  displayName: string;
  role: string;
  memberId: number | null;
  active: boolean;
  locale: string;
  version: number;
}

describeEachDialect('users', (t) => {
  const h = useApp(t);
  const { call } = h;
  const login = (username: string, password: string) =>
    h.app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  const users = async (as = 'admin') => (await call(as, 'GET', '/api/users')).json() as User[];
  const byName = async (username: string, as = 'admin') =>
    (await users(as)).find((u) => u.username === username)!;
  const edit = (u: User, patch: Partial<User>) => ({
    displayName: u.displayName,
    role: u.role,
    memberId: u.memberId,
    active: u.active,
    locale: u.locale,
    version: u.version,
    ...patch,
  });

  describe('non-admins', () => {
    it('get 403 on every users endpoint', async () => {
      const rep1 = await byName('rep1');
      for (const user of ['mgrEast', 'rep1', 'finance', 'viewer']) {
        expect((await call(user, 'GET', '/api/users')).statusCode, user).toBe(403);
        const create = await call(user, 'POST', '/api/users', {
          username: `x-${user}`,
          displayName: 'x',
          password: 'abcd1234',
          role: 'admin',
          memberId: null,
          locale: 'en',
        });
        expect(create.statusCode, user).toBe(403);
        expect(
          (await call(user, 'PUT', `/api/users/${rep1.id}`, edit(rep1, { role: 'admin' })))
            .statusCode,
          user,
        ).toBe(403);
        expect(
          (
            await call(user, 'POST', `/api/users/${rep1.id}/reset-password`, {
              newPassword: 'abcd1234',
            })
          ).statusCode,
          user,
        ).toBe(403);
      }
    });
  });

  describe('listing', () => {
    it('never returns password hashes', async () => {
      const res = await call('admin', 'GET', '/api/users');
      expect(res.statusCode).toBe(200);
      expect(res.body).not.toMatch(/scrypt|password/i);
      expect((res.json() as User[]).map((u) => u.username)).toEqual([
        'admin',
        'finance',
        'mgrEast',
        'mgrWest',
        'rep1',
        'rep2',
        'rep4',
        'viewer',
      ]);
    });
  });

  describe('creating', () => {
    it('creates a user who can sign in', async () => {
      const res = await call('admin', 'POST', '/api/users', {
        username: 'rep3',
        displayName: '销售三',
        password: 'Start2026',
        role: 'rep',
        memberId: h.fx.members.rep3,
        locale: 'zh-CN',
      });
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        username: 'rep3',
        role: 'rep',
        memberId: h.fx.members.rep3,
        memberNameEn: 'Person R3',
        active: true,
        version: 1,
      });
      expect(res.body).not.toMatch(/scrypt/);
      expect((await login('rep3', 'Start2026')).statusCode).toBe(200);
    });

    it('refuses a manager without a member, a weak password and a taken username', async () => {
      const base = {
        username: 'mgr2',
        displayName: 'm',
        password: 'Start2026',
        role: 'manager',
        memberId: null,
        locale: 'en',
      };
      const noMember = await call('admin', 'POST', '/api/users', base);
      expect(noMember.statusCode).toBe(400);
      expect(noMember.json()).toMatchObject({
        code: 'USER_MEMBER_REQUIRED',
        message: 'A manager user must be linked to a member',
      });
      expect(
        (
          await call('admin', 'POST', '/api/users', {
            ...base,
            memberId: h.fx.members.mgrEast,
            password: 'short',
          })
        ).json().code,
      ).toBe('PASSWORD_WEAK');
      const common = await call(
        'admin',
        'POST',
        '/api/users',
        { ...base, memberId: h.fx.members.mgrEast, password: 'Woaini1314' },
        'zh-CN',
      );
      expect(common.statusCode).toBe(400);
      expect(common.json()).toMatchObject({
        code: 'PASSWORD_COMMON',
        message: '这个密码太常见，很容易被猜到，请换一个',
      });
      expect(
        await t.db.selectFrom('users').select('id').where('username', '=', 'mgr2').execute(),
      ).toEqual([]);
      const taken = await call('admin', 'POST', '/api/users', {
        ...base,
        username: 'rep1',
        memberId: h.fx.members.rep1,
      });
      expect(taken.statusCode).toBe(409);
      expect(taken.json().code).toBe('DUPLICATE');
    });
  });

  describe('editing', () => {
    it('deactivates a user, who then cannot sign in', async () => {
      const rep3 = await byName('rep3');
      const res = await call(
        'admin',
        'PUT',
        `/api/users/${rep3.id}`,
        edit(rep3, { active: false }),
      );
      expect(res.statusCode).toBe(200);
      expect(res.json()).toMatchObject({ active: false, version: 2 });
      expect((await login('rep3', 'Start2026')).statusCode).toBe(401);
      // A second edit from the version read before is refused
      const stale = await call(
        'admin',
        'PUT',
        `/api/users/${rep3.id}`,
        edit(rep3, { displayName: 'again' }),
      );
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('VERSION_CONFLICT');
    });

    it('refuses to demote or deactivate the last active admin', async () => {
      const admin = await byName('admin');
      const demote = await call(
        'admin',
        'PUT',
        `/api/users/${admin.id}`,
        edit(admin, { role: 'viewer' }),
      );
      expect(demote.statusCode).toBe(400);
      expect(demote.json().code).toBe('LAST_ADMIN');
      expect(
        (
          await call('admin', 'PUT', `/api/users/${admin.id}`, edit(admin, { active: false }))
        ).json().code,
      ).toBe('LAST_ADMIN');
      expect((await byName('admin')).role).toBe('admin');
      // With a second admin, the first may step down
      const viewer = await byName('viewer');
      expect(
        (await call('admin', 'PUT', `/api/users/${viewer.id}`, edit(viewer, { role: 'admin' })))
          .statusCode,
      ).toBe(200);
      expect(
        (
          await call(
            'admin',
            'PUT',
            `/api/users/${admin.id}`,
            edit(admin, { displayName: 'Old admin', role: 'finance' }),
          )
        ).statusCode,
      ).toBe(200);
    });
  });

  describe('resetting a password', () => {
    it('replaces the password, ends the user’s sessions and keeps the hash out of the audit log', async () => {
      // 'viewer' is the admin since the previous test
      const rep2 = await byName('rep2', 'viewer');
      const session = await h.login('rep2');
      const common = await call('viewer', 'POST', `/api/users/${rep2.id}/reset-password`, {
        newPassword: 'Qwerty123',
      });
      expect(common.json()).toMatchObject({
        code: 'PASSWORD_COMMON',
        message: 'This password is one of the most common and easily guessed; choose another',
      });
      expect((await login('rep2', 'Qwerty123')).statusCode).toBe(401);
      const res = await call('viewer', 'POST', `/api/users/${rep2.id}/reset-password`, {
        newPassword: 'Fresh2026',
      });
      expect(res.statusCode).toBe(204);
      expect((await login('rep2', 'secret123')).statusCode).toBe(401);
      expect((await login('rep2', 'Fresh2026')).statusCode).toBe(200);
      expect(
        (await h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie: session } }))
          .statusCode,
      ).toBe(401);
      const log = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity', '=', 'user')
        .execute();
      expect(log.some((l) => l.action === 'password' && l.entity_id === String(rep2.id))).toBe(
        true,
      );
      expect(JSON.stringify(log)).not.toMatch(/scrypt|Fresh2026|Start2026/);
    });
  });
});
