import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { FIXED_NOW, useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { versionOf } from '../support/plan-version.ts';
import { multipartFile } from '../support/multipart.ts';

/**
 * Scope follows time (issue 11): a manager reads a member's facts for the days the member sat in
 * his subtree. rep4 sold in West (T3) until a transfer to East (T1) on 2026-03-01: West's
 * manager keeps February, East's manager sees March on, the admin and rep4 see both. A
 * customer is the owner's now: it goes with the member.
 */
describeEachDialect('time-bounded scope', (t) => {
  const h = useApp(t);
  const overview = async (user: string, query: string) => {
    const res = await h.call(user, 'GET', `/api/tracking/overview?${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as { actual: number };
  };
  const rep4 = () => `memberId=${h.fx.members.rep4}&start=2026-01-01&end=2026-03-31`;
  let customerId = 0;

  beforeAll(async () => {
    const { units: u, members: m } = h.fx;
    const now = FIXED_NOW.toISOString();
    customerId = (
      await t.db
        .insertInto('customers')
        .values({
          code: 'C-R4',
          name_zh: '客户四',
          name_en: 'Customer four',
          owner_member_id: m.rep4,
          annual_purchase: 0,
          tier: 'C',
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
    await t.db
      .insertInto('order_lines')
      .values([
        // February in West, and a later sale that the transfer below re-credits to East.
        {
          ext_id: 'H-FEB',
          batch_id: 1,
          order_no: 'SO-FEB',
          order_date: '2026-02-10',
          member_id: m.rep4,
          org_unit_id: u.t3,
          amount: 50_000,
        },
        {
          ext_id: 'H-MAR',
          batch_id: 1,
          order_no: 'SO-MAR',
          order_date: '2026-03-05',
          member_id: m.rep4,
          org_unit_id: u.t3,
          amount: 7_000,
        },
      ])
      .execute();
    await rebuildRollups(t.db);
    const member = (await h.call('admin', 'GET', `/api/members/${m.rep4}`)).json();
    const moved = await h.call('admin', 'POST', `/api/members/${m.rep4}/transfer`, {
      unitId: u.t1,
      date: '2026-03-01',
      version: member.version,
    });
    expect(moved.statusCode, moved.body).toBe(200);
  });

  describe('Given rep4 moved from West to East on 2026-03-01', () => {
    it('When the admin reads rep4, Then every day counts (and the answer is cached)', async () => {
      expect((await overview('admin', rep4())).actual).toBe(57_000);
    });

    it('When the former manager reads rep4, Then only the days before the transfer count', async () => {
      const west = await overview('mgrWest', rep4());
      expect(west.actual).toBe(50_000);
      // The same after the cache holds the admin's whole answer: the key separates them.
      expect((await overview('mgrWest', rep4())).actual).toBe(50_000);
      // A period after the transfer shows nothing of rep4 to West.
      const march = await overview('mgrWest', `memberId=${h.fx.members.rep4}&period=2026-03`);
      expect(march.actual).toBe(0);
      // West's own numbers keep February (crediting followed the day).
      const unit = await overview(
        'mgrWest',
        `unitId=${h.fx.units.west}&start=2026-01-01&end=2026-03-31`,
      );
      expect(unit.actual).toBe(50_000);
    });

    it('When the new manager reads rep4, Then only the days from the transfer on count', async () => {
      expect((await overview('mgrEast', rep4())).actual).toBe(7_000);
      const feb = await overview('mgrEast', `memberId=${h.fx.members.rep4}&period=2026-02`);
      expect(feb.actual).toBe(0);
    });

    it('When rep4 reads themself, Then every day counts', async () => {
      expect((await overview('rep4', rep4())).actual).toBe(57_000);
    });

    it('When a manager who never had rep4 asks, Then it is refused', async () => {
      await t.db
        .updateTable('org_units')
        .set({ manager_member_id: h.fx.members.rep2 })
        .where('id', '=', h.fx.units.t2)
        .execute();
      try {
        const res = await h.call('rep2', 'GET', `/api/tracking/overview?${rep4()}`);
        // rep2's user is a rep: only themself.
        expect(res.statusCode).toBe(403);
      } finally {
        await t.db
          .updateTable('org_units')
          .set({ manager_member_id: null })
          .where('id', '=', h.fx.units.t2)
          .execute();
      }
    });

    it('When the series is read, Then the former manager sees no day after the transfer', async () => {
      const res = await h.call(
        'mgrWest',
        'GET',
        `/api/tracking/series?${rep4()}&granularity=month`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const points = res.json().points as { period: string; actual: number | null }[];
      expect(points.find((p) => p.period === '2026-02')?.actual).toBe(50_000);
      // March is under way (asOf 2026-03-16): it holds nothing of rep4 for West.
      expect(points.find((p) => p.period === '2026-03')?.actual).toBe(0);
    });

    it('When customers are listed, Then the customer goes with rep4 to the new manager', async () => {
      const codes = async (user: string) =>
        (
          (await h.call(user, 'GET', '/api/customers?pageSize=500')).json().items as {
            code: string;
          }[]
        ).map((c) => c.code);
      expect(await codes('mgrWest')).not.toContain('C-R4');
      expect(await codes('mgrEast')).toContain('C-R4');
      expect(await codes('admin')).toContain('C-R4');
      expect((await h.call('mgrWest', 'GET', `/api/customers/${customerId}`)).statusCode).toBe(403);
      expect((await h.call('mgrEast', 'GET', `/api/customers/${customerId}`)).statusCode).toBe(200);
      // Nor through the master-data export, nor an import that rewrites the customer.
      const exported = await h.call('mgrWest', 'GET', '/api/exports/customers?format=csv');
      expect(exported.statusCode).toBe(200);
      expect(exported.body).not.toContain('C-R4');
      expect((await h.call('mgrEast', 'GET', '/api/exports/customers?format=csv')).body).toContain(
        'C-R4',
      );
      const { payload, headers } = multipartFile(
        'c.csv',
        Buffer.from('客户编码,客户名称,负责人工号\nC-R4,改名,R4\n', 'utf8'),
      );
      const imported = await h.app.inject({
        method: 'POST',
        url: '/api/imports/customers',
        payload,
        headers: { ...headers, cookie: await h.login('mgrWest') },
      });
      expect(imported.statusCode).toBe(422);
      expect(imported.json().problems).toEqual([expect.objectContaining({ code: 'FORBIDDEN' })]);
    });
  });

  describe('Given an active plan made after the transfer', () => {
    const target = async (user: string, query: string) =>
      ((await h.call(user, 'GET', `/api/tracking/overview?${query}`)).json() as { target: number })
        .target;
    const of = (period: string) => `memberId=${h.fx.members.rep4}&period=${period}`;

    beforeAll(async () => {
      const plan = await h.call('admin', 'POST', '/api/plans', {
        fiscalYear: 2026,
        nameZh: '计划',
        nameEn: 'Plan',
      });
      expect(plan.statusCode, plan.body).toBe(201);
      const id = plan.json().versions[0].id as number;
      const commit = await h.call('admin', 'PUT', `/api/plan-versions/${id}/commit`, {
        version: await versionOf(h.call, id),
        target: 1200 * 1_000_000,
      });
      expect(commit.statusCode, commit.body).toBe(200);
      const built = await h.call('admin', 'POST', `/api/plan-versions/${id}/decompose`, {
        mode: 'cascade',
        parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
        method: 'even',
        org: { method: 'even', inputs: {} },
      });
      expect(built.statusCode, built.body).toBe(200);
      for (const step of ['submit', 'approve', 'activate']) {
        const res = await h.call('admin', 'POST', `/api/plan-versions/${id}/${step}`, {
          version: await versionOf(h.call, id),
          ...(step === 'submit' ? {} : { overrideReason: 'one administrator in the fixture' }),
        });
        expect(res.statusCode, res.body).toBe(200);
      }
    });

    it("When each manager reads rep4's year, Then each sees the months rep4 carried in his region", async () => {
      const all = await target('admin', of('FY2026'));
      const west = await target('mgrWest', of('FY2026'));
      const east = await target('mgrEast', of('FY2026'));
      expect(all).toBeGreaterThan(0);
      expect(west).toBeGreaterThan(0);
      expect(east).toBeGreaterThan(0);
      // A transfer on the 1st hands over that month: January and February stay with West.
      expect(west).toBe(
        (await target('admin', of('2026-01'))) + (await target('admin', of('2026-02'))),
      );
      expect(west + east).toBe(all);
      expect(await target('mgrWest', of('2026-03'))).toBe(0);
      expect(await target('mgrEast', of('2026-02'))).toBe(0);
      expect(await target('mgrEast', of('2026-03'))).toBe(await target('admin', of('2026-03')));
      // The breakdown by member of rep4 carries the same held months.
      const row = async (user: string) => {
        const res = await h.call(user, 'GET', `/api/tracking/breakdown?${of('FY2026')}&by=member`);
        expect(res.statusCode, res.body).toBe(200);
        return res.json().rows[0] as { target: number; actual: number };
      };
      expect(await row('mgrWest')).toMatchObject({ target: west, actual: 50_000 });
      expect(await row('mgrEast')).toMatchObject({ target: east, actual: 7_000 });
      // A unit's ranking counts each member's months in the unit, whoever reads it.
      const ranked = async (user: string, unit: number) => {
        const res = await h.call(
          user,
          'GET',
          `/api/tracking/ranking?unitId=${unit}&period=FY2026&by=member`,
        );
        expect(res.statusCode, res.body).toBe(200);
        return (res.json().rows as { id: number; target: number; actual: number }[]).find(
          (r) => r.id === h.fx.members.rep4,
        );
      };
      expect(await ranked('mgrWest', h.fx.units.west)).toMatchObject({
        target: west,
        actual: 50_000,
      });
      expect(await ranked('admin', h.fx.units.west)).toMatchObject({
        target: west,
        actual: 50_000,
      });
      expect(await ranked('admin', h.fx.units.east)).toMatchObject({ target: east, actual: 7_000 });
    });

    it('When a transfer keeps or moves the remaining target, Then each manager sees it where the plan put it', async () => {
      const transfer = async (member: number, decision: 'keep' | 'move') => {
        const { version } = (await h.call('admin', 'GET', `/api/members/${member}`)).json();
        const res = await h.call('admin', 'POST', `/api/members/${member}/transfer`, {
          unitId: h.fx.units.t3,
          date: '2026-04-01',
          version,
          targets: { decision },
        });
        expect(res.statusCode, res.body).toBe(200);
      };
      const year = (member: number) => `memberId=${member}&period=FY2026`;
      const q1 = (member: number) => `memberId=${member}&start=2026-01-01&end=2026-03-31`;
      const { rep1, rep2 } = h.fx.members;
      // keep: rep1's April on stays with East in the plan, though rep1 now sells for West.
      await transfer(rep1, 'keep');
      const kept = await target('admin', year(rep1));
      expect(kept).toBeGreaterThan(0);
      expect(await target('mgrEast', year(rep1))).toBe(kept);
      expect(await target('mgrWest', year(rep1))).toBe(0);
      // move: rep2's April on goes to West with rep2.
      await transfer(rep2, 'move');
      const all = await target('admin', year(rep2));
      const first = await target('admin', q1(rep2));
      expect(first).toBeGreaterThan(0);
      expect(all).toBeGreaterThan(first);
      expect(await target('mgrEast', year(rep2))).toBe(first);
      expect(await target('mgrWest', year(rep2))).toBe(all - first);
    });
  });
});
