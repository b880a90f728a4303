import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { readOverview } from '../../src/app/tracking/read-overview.ts';
import type { Actor } from '../../src/app/actor.ts';
import { readGenerations } from '../../src/db/generations.ts';
import { insertProductLine } from '../support/catalog.ts';
import { describeEachDialect } from '../support/databases.ts';
import { FIXED_NOW, PASSWORD, useApp } from '../support/app.ts';

/**
 * The tracking answers and the sessions are cached per process (src/app/tracking/answer-cache.ts,
 * src/app/auth/session.ts). These tests show what the caches must never do: serve an answer from
 * before a change, serve a cached answer to someone whose scope does not cover it, or keep a
 * session alive after it ended. No timing: every change is followed by a read at once.
 */
describeEachDialect('tracking cache', (t) => {
  const h = useApp(t);
  const get = async (user: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: await h.login(user) } });
  const overview = async (user: string, query: string) => {
    const res = await get(user, `/api/tracking/overview?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { actual: number; target: number; timeProgressBp: number };
  };

  beforeAll(async () => {
    const { units: u, members: m } = h.fx;
    await t.db
      .insertInto('order_lines')
      .values([
        {
          ext_id: 'C1',
          batch_id: 1,
          order_no: 'SO-C1',
          order_date: '2026-03-02',
          member_id: m.rep1,
          org_unit_id: u.t1,
          amount: 100_000,
        },
        {
          ext_id: 'C2',
          batch_id: 1,
          order_no: 'SO-C2',
          order_date: '2026-03-03',
          member_id: m.rep4,
          org_unit_id: u.t3,
          amount: 70_000,
        },
      ])
      .execute();
    await rebuildRollups(t.db);
  });

  describe('Given a cached overview', () => {
    it('When facts are imported, Then the next read has the new numbers', async () => {
      const query = `unitId=${h.fx.units.hq}&period=2026-03`;
      const before = await overview('admin', query);
      expect(before.actual).toBe(170_000);
      // a second read is served from the cache: same answer
      expect(await overview('admin', query)).toEqual(before);
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/facts/orders/batch',
        headers: { cookie: await h.login('admin') },
        payload: { rows: [{ extId: 'API-1', date: '2026-03-05', ownerCode: 'R2', amount: 12 }] },
      });
      expect(res.statusCode, res.body).toBe(200);
      const after = await overview('admin', query);
      expect(after.actual).toBe(170_000 + 1_200);
    });

    it('When the first collection is imported, Then the collection rate turns from unknown to known', async () => {
      const query = `unitId=${h.fx.units.hq}&period=2026-03`;
      const rate = async () =>
        (
          (await get('admin', `/api/tracking/overview?${query}`)).json() as {
            collections: { imported: boolean; rateBp: number | null };
          }
        ).collections;
      // Given sales but no collection ever imported: no data, not 0%
      expect(await rate()).toMatchObject({ imported: false, rateBp: null });
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/facts/collections/batch',
        headers: { cookie: await h.login('admin') },
        payload: { rows: [{ extId: 'RC-1', date: '2026-03-06', ownerCode: 'R1', amount: 171.2 }] },
      });
      expect(res.statusCode, res.body).toBe(200);
      // 17,120 of 171,200 booked: 10%
      expect(await rate()).toMatchObject({ imported: true, rateBp: 1_000 });
    });

    it('When a calendar override is written straight into the database, Then the next read uses it', async () => {
      const query = `unitId=${h.fx.units.t1}&period=2026-04&asOf=2026-04-14`;
      const before = await overview('admin', query);
      await t.db
        .insertInto('holiday_overrides')
        .values({
          date: '2026-04-13',
          kind: 'holiday',
          name: '缓存测试',
          updated_at: FIXED_NOW.toISOString(),
        })
        .execute();
      try {
        const after = await overview('admin', query);
        // one working day fewer elapsed and in the month: progress changes
        expect(after.timeProgressBp).not.toBe(before.timeProgressBp);
      } finally {
        await t.db.deleteFrom('holiday_overrides').execute();
      }
      expect(await overview('admin', query)).toEqual(before);
    });

    it('When the rollups are rebuilt, Then data_generation moves (and the answers with it)', async () => {
      const g0 = await readGenerations(t.db);
      await rebuildRollups(t.db);
      const g1 = await readGenerations(t.db);
      expect(g1.data).toBeGreaterThan(g0.data);
      expect(g1.reference).toBe(g0.reference);
    });

    it('When a product line is renamed, Then reference_generation moves (migration 0014)', async () => {
      const id = await insertProductLine(t.db, { code: 'PL-CACHE', nameZh: '线', nameEn: 'Line' });
      const g0 = await readGenerations(t.db);
      await t.db
        .updateTable('product_lines')
        .set({ name_en: 'Renamed' })
        .where('id', '=', id)
        .execute();
      expect((await readGenerations(t.db)).reference).toBeGreaterThan(g0.reference);
    });

    it('When the read model is called directly, Then it hands out the cached answer until a generation moves', async () => {
      const admin: Actor = {
        id: 1,
        username: 'admin',
        displayName: 'admin',
        role: 'admin',
        memberId: null,
        locale: 'en',
        amountUnit: 'wan',
        scope: { all: true, unitPaths: [], memberId: null },
      };
      const input = { unitId: h.fx.units.east, period: '2026-03', metric: 'revenue' as const };
      const a = await readOverview(t.db, admin, input, '2026-03-16');
      expect(await readOverview(t.db, admin, input, '2026-03-16')).toBe(a);
      // any settings row moves data_generation (migration 0011)
      await t.db
        .insertInto('settings')
        .values({ key: 'cache-test', value: '1', version: 1 })
        .execute();
      const b = await readOverview(t.db, admin, input, '2026-03-16');
      expect(b).not.toBe(a);
      expect(b).toEqual(a);
    });
  });

  describe('Given an answer warmed by someone who may read it', () => {
    it('Then a manager of another region is refused it, and a rep another member’s', async () => {
      const west = `unitId=${h.fx.units.west}&period=2026-03`;
      expect((await overview('admin', west)).actual).toBe(70_000);
      expect((await overview('mgrWest', west)).actual).toBe(70_000);
      const denied = await get('mgrEast', `/api/tracking/overview?${west}`);
      expect(denied.statusCode).toBe(403);
      expect(denied.json().code).toBe('FORBIDDEN');
      const ranking = await get('mgrEast', `/api/tracking/ranking?${west}`);
      expect(ranking.statusCode).toBe(403);

      const rep4 = `memberId=${h.fx.members.rep4}&period=2026-03`;
      expect((await overview('admin', rep4)).actual).toBe(70_000);
      expect((await get('rep1', `/api/tracking/overview?${rep4}`)).statusCode).toBe(403);
      expect((await get('mgrEast', `/api/tracking/overview?${rep4}`)).statusCode).toBe(403);
    });
  });

  describe('Given a session this instance has already looked up', () => {
    const signIn = async (username: string) => {
      const res = await h.app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username, password: PASSWORD },
      });
      expect(res.statusCode).toBe(200);
      return `tf_session=${res.cookies.find((c) => c.name === 'tf_session')!.value}`;
    };
    const me = (cookie: string) =>
      h.app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });

    it('When it logs out, Then the very next request with it is refused', async () => {
      const cookie = await signIn('rep2');
      expect((await me(cookie)).statusCode).toBe(200);
      expect((await me(cookie)).statusCode).toBe(200);
      const out = await h.app.inject({
        method: 'POST',
        url: '/api/auth/logout',
        headers: { cookie },
      });
      expect(out.statusCode).toBe(204);
      expect((await me(cookie)).statusCode).toBe(401);
      const overviewAfter = await h.app.inject({
        method: 'GET',
        url: '/api/tracking/overview',
        headers: { cookie },
      });
      expect(overviewAfter.statusCode).toBe(401);
    });

    it('When an admin changes its role, Then its next request has the new role', async () => {
      const cookie = await signIn('rep1');
      expect((await me(cookie)).json()).toMatchObject({ role: 'rep' });
      const list = (await get('admin', '/api/users')).json() as {
        id: number;
        username: string;
        displayName: string;
        memberId: number | null;
        locale: 'en' | 'zh-CN';
        version: number;
      }[];
      const rep1 = list.find((u) => u.username === 'rep1')!;
      const put = await h.app.inject({
        method: 'PUT',
        url: `/api/users/${rep1.id}`,
        headers: { cookie: await h.login('admin') },
        payload: {
          displayName: rep1.displayName,
          role: 'viewer',
          memberId: rep1.memberId,
          active: true,
          locale: rep1.locale,
          version: rep1.version,
        },
      });
      expect(put.statusCode, put.body).toBe(200);
      expect((await me(cookie)).json()).toMatchObject({ role: 'viewer', scope: { all: true } });
    });

    it('When an admin resets its password, Then it is refused at once', async () => {
      const cookie = await signIn('rep4');
      expect((await me(cookie)).statusCode).toBe(200);
      const list = (await get('admin', '/api/users')).json() as { id: number; username: string }[];
      const rep4 = list.find((u) => u.username === 'rep4')!;
      const reset = await h.app.inject({
        method: 'POST',
        url: `/api/users/${rep4.id}/reset-password`,
        headers: { cookie: await h.login('admin') },
        payload: { newPassword: 'another123' },
      });
      expect(reset.statusCode, reset.body).toBe(204);
      expect((await me(cookie)).statusCode).toBe(401);
    });
  });
});
