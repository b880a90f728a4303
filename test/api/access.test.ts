import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';

describeEachDialect('access scoping', (t) => {
  const h = useApp(t);
  const get = async (user: string | null, url: string) =>
    h.app.inject({ method: 'GET', url, headers: user ? { cookie: await h.login(user) } : {} });

  describe('anonymous', () => {
    it('gets 401 with a translated message on every data endpoint', async () => {
      for (const url of [
        '/api/org-units',
        '/api/members',
        `/api/members/${h.fx.members.rep1}`,
        '/api/auth/me',
      ]) {
        const res = await get(null, url);
        expect(res.statusCode, url).toBe(401);
        expect(res.json().code).toBe('UNAUTHENTICATED');
      }
      const zh = await h.app.inject({
        method: 'GET',
        url: '/api/members',
        headers: { 'accept-language': 'zh-CN' },
      });
      expect(zh.json().message).toBe('请先登录');
    });

    it('can reach health and the OpenAPI document', async () => {
      expect((await get(null, '/api/health')).statusCode).toBe(200);
      const doc = await get(null, '/api/openapi.json');
      expect(doc.statusCode).toBe(200);
      expect(Object.keys(doc.json().paths)).toContain('/api/members/{id}/transfer');
    });
  });

  describe('a rep', () => {
    it('reads their own member record', async () => {
      const res = await get('rep1', `/api/members/${h.fx.members.rep1}`);
      expect(res.statusCode).toBe(200);
      expect(res.json().code).toBe('R1');
    });

    it('cannot read another rep, even a teammate', async () => {
      expect((await get('rep1', `/api/members/${h.fx.members.rep2}`)).statusCode).toBe(403);
      expect((await get('rep1', `/api/members/${h.fx.members.rep4}`)).statusCode).toBe(403);
    });

    it('lists only themself', async () => {
      const res = await get('rep1', '/api/members?pageSize=100');
      expect(res.json().items.map((m: { code: string }) => m.code)).toEqual(['R1']);
    });

    it('sees only their own team in the org tree', async () => {
      const res = await get('rep1', '/api/org-units');
      expect(res.json().map((u: { code: string }) => u.code)).toEqual(['T1']);
    });

    it('cannot write anything', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/org-units',
        headers: { cookie: await h.login('rep1') },
        payload: { parentId: h.fx.units.t1, code: 'X', nameZh: 'X', nameEn: 'X', kind: 'team' },
      });
      expect(res.statusCode).toBe(403);
    });
  });

  describe('a manager', () => {
    it('sees their subtree and nothing else', async () => {
      const units = (await get('mgrEast', '/api/org-units'))
        .json()
        .map((u: { code: string }) => u.code);
      expect(units).toEqual(['EAST', 'T1', 'T2']);
      const members = (await get('mgrEast', '/api/members?pageSize=100'))
        .json()
        .items.map((m: { code: string }) => m.code);
      expect(members).toEqual(['M-E', 'R1', 'R2', 'R3']);
    });

    it('cannot read a member or unit outside the subtree', async () => {
      expect((await get('mgrEast', `/api/members/${h.fx.members.rep4}`)).statusCode).toBe(403);
      expect((await get('mgrEast', `/api/org-units/${h.fx.units.t3}`)).statusCode).toBe(403);
      expect((await get('mgrEast', `/api/org-units/${h.fx.units.hq}`)).statusCode).toBe(403);
    });

    it('cannot write outside the subtree', async () => {
      const cookie = await h.login('mgrEast');
      const create = await h.app.inject({
        method: 'POST',
        url: '/api/org-units',
        headers: { cookie },
        payload: {
          parentId: h.fx.units.west,
          code: 'W9',
          nameZh: '西九',
          nameEn: 'W9',
          kind: 'team',
        },
      });
      expect(create.statusCode).toBe(403);
      const edit = await h.app.inject({
        method: 'PUT',
        url: `/api/members/${h.fx.members.rep4}`,
        headers: { cookie },
        payload: {
          code: 'R4',
          nameZh: '改',
          nameEn: 'x',
          tier: 'senior',
          hireDate: '2024-01-01',
          version: 1,
        },
      });
      expect(edit.statusCode).toBe(403);
      const steal = await h.app.inject({
        method: 'POST',
        url: `/api/members/${h.fx.members.rep4}/transfer`,
        headers: { cookie },
        payload: { unitId: h.fx.units.t1, date: '2026-03-01', version: 1 },
      });
      expect(steal.statusCode).toBe(403);
    });

    it('cannot move a unit of theirs out of the subtree', async () => {
      const unit = (await get('mgrEast', `/api/org-units/${h.fx.units.t2}`)).json();
      const res = await h.app.inject({
        method: 'PUT',
        url: `/api/org-units/${h.fx.units.t2}`,
        headers: { cookie: await h.login('mgrEast') },
        payload: { ...unit, parentId: h.fx.units.west },
      });
      expect(res.statusCode).toBe(403);
    });

    it('can create a team inside the subtree, and it is audited', async () => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/org-units',
        headers: { cookie: await h.login('mgrEast') },
        payload: {
          parentId: h.fx.units.east,
          code: 'T9',
          nameZh: '九组',
          nameEn: 'Team 9',
          kind: 'team',
        },
      });
      expect(res.statusCode).toBe(201);
      const log = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity', '=', 'org_unit')
        .where('action', '=', 'create')
        .execute();
      expect(log.map((l) => JSON.parse(l.after!).code)).toContain('T9');
    });
  });

  describe('finance and viewer', () => {
    it('read everything but write nothing', async () => {
      for (const user of ['finance', 'viewer']) {
        expect((await get(user, `/api/members/${h.fx.members.rep4}`)).statusCode).toBe(200);
        const res = await h.app.inject({
          method: 'POST',
          url: '/api/org-units',
          headers: { cookie: await h.login(user) },
          payload: {
            parentId: h.fx.units.hq,
            code: `Z-${user}`,
            nameZh: 'Z',
            nameEn: 'Z',
            kind: 'region',
          },
        });
        expect(res.statusCode).toBe(403);
      }
    });
  });
});
