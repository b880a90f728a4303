import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';
import { versionOf } from '../support/plan-version.ts';

const WAN = 10_000_00; // 1万元 in fen

interface Row {
  ownerType: string;
  ownerId: number;
  code: string;
  cells: Record<string, { value: number; locked: boolean; cellId: number } | null>;
  total: number;
  check: boolean;
  mismatches: string[];
}

describeEachDialect('plans: setting, decomposing and editing targets', (t) => {
  const h = useApp(t);
  const { call } = h;
  let versionId = 0;
  const grid = async (user: string, query = '') => {
    const res = await call(
      user,
      'GET',
      `/api/plan-versions/${versionId}/grid?metric=revenue${query}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    return res.json().rows as Row[];
  };
  const rowOf = (rows: Row[], code: string) => rows.find((r) => r.code === code)!;
  const current = async () =>
    (await call('admin', 'GET', `/api/plan-versions/${versionId}`)).json().version as number;
  const rev = async () =>
    (await call('admin', 'GET', `/api/plan-versions/${versionId}`)).json().cellsRev as number;
  const decompose = async (user: string, body: object) =>
    call(user, 'POST', `/api/plan-versions/${versionId}/decompose`, body);

  describe('creating and committing', () => {
    it('creates a plan with version 1 as a draft and default tiers', async () => {
      expect(
        (
          await call('mgrEast', 'POST', '/api/plans', {
            fiscalYear: 2026,
            nameZh: '2026年计划',
            nameEn: 'Plan 2026',
          })
        ).statusCode,
      ).toBe(403);
      const res = await call('admin', 'POST', '/api/plans', {
        fiscalYear: 2026,
        nameZh: '2026年计划',
        nameEn: 'Plan 2026',
      });
      expect(res.statusCode, res.body).toBe(201);
      const v = res.json().versions[0];
      expect(v).toMatchObject({
        number: 1,
        status: 'draft',
        settings: { basePct: 8000, challengePct: 12000, bufferPct: 1500 },
      });
      versionId = v.id;
      const list = (await call('rep1', 'GET', '/api/plans')).json();
      expect(list.map((p: { fiscalYear: number }) => p.fiscalYear)).toEqual([2026]);
    });

    it('computes the three lenses and stores them on the version', async () => {
      const res = await call('admin', 'POST', `/api/plan-versions/${versionId}/lenses`, {
        version: await versionOf(call, versionId),
        topDown: { lastYearActual: 1000 * WAN, growthBp: 2000 },
        bottomUp: {
          productivity: {
            senior: { dealsPerMonth: 5, aov: 10 * WAN },
            regular: { dealsPerMonth: 4, aov: 10 * WAN },
            new: { dealsPerMonth: 2, aov: 10 * WAN },
          },
        },
        funnel: {
          monthlySupply: 2000,
          stages: [
            { code: 'leads', conversionBp: 2000 },
            { code: 'opportunities', conversionBp: 2500 },
          ],
          aov: 10 * WAN,
        },
      });
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.topDown).toBe(1200 * WAN);
      // 6 people all year: 2 seniors × 5 + 3 regulars × 4 + 1 new × 2 = 24 deals × 10万 × 12 months
      expect(body.bottomUp).toBe(24 * 10 * WAN * 12);
      expect(body.funnel).toBe(2000 * 12 * 0.2 * 0.25 * 10 * WAN);
      expect(['feasible', 'stretch', 'infeasible']).toContain(body.verdict);
      expect(body.gaps.length).toBe(3);
      const detail = (await call('admin', 'GET', `/api/plan-versions/${versionId}`)).json();
      expect(detail.lenses.inputs.topDown).toEqual({ lastYearActual: 1000 * WAN, growthBp: 2000 });
    });

    it('commits 1,200万 to the company root and returns the tiers', async () => {
      const res = await call('admin', 'PUT', `/api/plan-versions/${versionId}/commit`, {
        version: await versionOf(call, versionId),
        target: 1200 * WAN,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        committedTarget: 1200 * WAN,
        period: 'FY2026',
        tiers: { base: 960 * WAN, target: 1200 * WAN, challenge: 1440 * WAN, sprint: 1380 * WAN },
      });
    });
  });

  describe('decomposition', () => {
    it('splits 1,200万 by quarter weights 40/25/30/5 into 480万/300万/360万/60万', async () => {
      const res = await decompose('admin', {
        parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
        axis: 'time',
        method: 'seasonality',
        inputs: { quarterPercentsBp: [4000, 2500, 3000, 500] },
      });
      expect(res.statusCode, res.body).toBe(200);
      const months = res.json().children.map((c: { value: number }) => c.value);
      const quarters = [0, 1, 2, 3].map((q) =>
        months.slice(3 * q, 3 * q + 3).reduce((a: number, b: number) => a + b, 0),
      );
      expect(quarters).toEqual([480 * WAN, 300 * WAN, 360 * WAN, 60 * WAN]);
      expect(months[0]).toBe(160 * WAN);
    });

    it('splits a month over the org exactly, down to the members of a team', async () => {
      const hqJan = { ownerType: 'unit', ownerId: h.fx.units.hq, period: '2026-01' };
      let res = await decompose('admin', {
        parent: hqJan,
        axis: 'org',
        method: 'weights',
        inputs: { weights: { [`unit:${h.fx.units.east}`]: 2, [`unit:${h.fx.units.west}`]: 1 } },
      });
      expect(res.statusCode, res.body).toBe(200);
      const [east, west] = res.json().children.map((c: { value: number }) => c.value);
      expect(east + west).toBe(160 * WAN);
      expect(east).toBe(106_666_667); // 2/3 of 160万, the odd fen by largest remainder
      res = await decompose('admin', {
        parent: { ...hqJan, ownerId: h.fx.units.east },
        axis: 'org',
        method: 'even',
        inputs: {},
      });
      expect(res.json().children.map((c: { value: number }) => c.value)).toEqual([
        53_333_334, 53_333_333,
      ]);
      // The manager of East splits their own team T1 over its members.
      res = await decompose('mgrEast', {
        parent: { ...hqJan, ownerId: h.fx.units.t1 },
        axis: 'org',
        method: 'even',
        inputs: {},
      });
      expect(res.statusCode, res.body).toBe(200);
      const members = res.json().children;
      expect(members.map((c: { ref: string }) => c.ref)).toEqual([
        `member:${h.fx.members.rep1}`,
        `member:${h.fx.members.rep2}`,
      ]);
      expect(members[0].value + members[1].value).toBe(53_333_334);
      // And the grid agrees everywhere
      const rows = await grid('admin');
      expect(rows.filter((r) => r.check)).toEqual([]);
    });

    it('splits by capacity from the tiers and the lens productivity', async () => {
      const res = await decompose('admin', {
        parent: { ownerType: 'unit', ownerId: h.fx.units.t1, period: '2026-01' },
        axis: 'org',
        method: 'capacity',
        inputs: {},
      });
      expect(res.statusCode, res.body).toBe(200);
      // rep1 regular (4 deals) vs rep2 new (2 deals): 2 : 1
      const [a, b] = res.json().children.map((c: { value: number }) => c.value);
      expect(a + b).toBe(53_333_334);
      expect(a).toBe(35_555_556);
    });

    it('refuses a manager splitting outside their subtree', async () => {
      const res = await decompose('mgrEast', {
        parent: { ownerType: 'unit', ownerId: h.fx.units.west, period: '2026-01' },
        axis: 'org',
        method: 'even',
        inputs: {},
      });
      expect(res.statusCode).toBe(403);
      const root = await decompose('mgrEast', {
        parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: '2026-01' },
        axis: 'org',
        method: 'even',
        inputs: {},
      });
      expect(root.statusCode).toBe(403);
    });
  });

  describe('editing cells', () => {
    it('locks an edited cell and re-balances its siblings; the parent and the cells below stay exact', async () => {
      const before = await grid('admin');
      const t1 = rowOf(before, 'T1').cells['2026-01']!;
      const t2 = rowOf(before, 'T2').cells['2026-01']!;
      const res = await call('mgrEast', 'PUT', `/api/plan-versions/${versionId}/cells`, {
        version: await current(),
        cellsRev: await rev(),
        edits: [{ cellId: t1.cellId, value: 60 * WAN }],
      });
      expect(res.statusCode, res.body).toBe(200);
      const after = await grid('admin');
      expect(rowOf(after, 'T1').cells['2026-01']).toMatchObject({ value: 60 * WAN, locked: true });
      expect(rowOf(after, 'T2').cells['2026-01']!.value).toBe(t1.value + t2.value - 60 * WAN);
      expect(rowOf(after, 'EAST').cells['2026-01']!.value).toBe(t1.value + t2.value);
      expect(after.filter((r) => r.check)).toEqual([]);
      // audited with before and after
      const log = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity', '=', 'target_cells')
        .execute();
      expect(JSON.parse(log[log.length - 1]!.after!)).toContainEqual({
        cellId: t1.cellId,
        value: 60 * WAN,
        locked: true,
      });
    });

    it('reports locks that exceed the parent with the allocator’s error', async () => {
      const rows = await grid('admin');
      const t2 = rowOf(rows, 'T2').cells['2026-01']!;
      const res = await call('mgrEast', 'PUT', `/api/plan-versions/${versionId}/cells`, {
        version: await current(),
        cellsRev: await rev(),
        edits: [{ cellId: t2.cellId, value: 100_000 * WAN }],
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('ALLOCATION_LOCKS_EXCEED');
    });

    it('answers an edit of a cell changed since it was read with VERSION_CONFLICT', async () => {
      const rows = await grid('admin');
      const v = await current();
      const r = await rev();
      const cellId = rowOf(rows, 'T2').cells['2026-01']!.cellId;
      const first = await call('mgrEast', 'PUT', `/api/plan-versions/${versionId}/cells`, {
        version: v,
        cellsRev: r,
        edits: [{ cellId, locked: true }],
      });
      expect(first.statusCode, first.body).toBe(200);
      const second = await call('admin', 'PUT', `/api/plan-versions/${versionId}/cells`, {
        version: v,
        cellsRev: r,
        edits: [{ cellId, value: 1 }],
      });
      expect(second.statusCode).toBe(409);
      expect(second.json().code).toBe('VERSION_CONFLICT');
    });

    it('keeps a manager to their subtree, and reps out', async () => {
      const rows = await grid('admin');
      const v = await current();
      for (const code of ['WEST', 'EAST', 'T3']) {
        const cell = rowOf(rows, code).cells['2026-01'];
        if (!cell) continue;
        const res = await call('mgrEast', 'PUT', `/api/plan-versions/${versionId}/cells`, {
          version: v,
          cellsRev: await rev(),
          edits: [{ cellId: cell.cellId, value: 1 }],
        });
        expect(res.statusCode, code).toBe(403);
      }
      const t1 = rowOf(rows, 'T1').cells['2026-01']!;
      expect(
        (
          await call('rep1', 'PUT', `/api/plan-versions/${versionId}/cells`, {
            version: v,
            cellsRev: await rev(),
            edits: [{ cellId: t1.cellId, value: 1 }],
          })
        ).statusCode,
      ).toBe(403);
    });
  });

  describe('reading', () => {
    it('shows a manager their subtree and a rep only their own row', async () => {
      const mgr = await grid('mgrEast');
      expect(mgr.map((r) => r.code)).toEqual(['EAST', 'T1', 'R1', 'R2', 'T2', 'R3']);
      const rep = await grid('rep1');
      expect(rep.map((r) => r.code)).toEqual(['R1']);
      expect(rep[0]!.cells['2026-01']!.value).toBeGreaterThan(0);
      expect(
        (
          await call(
            'mgrEast',
            'GET',
            `/api/plan-versions/${versionId}/grid?unitId=${h.fx.units.west}`,
          )
        ).statusCode,
      ).toBe(403);
    });

    it('explains a rep’s target up to the committed number', async () => {
      const rep = await grid('rep1');
      const cellId = rep[0]!.cells['2026-01']!.cellId;
      const res = await call('rep1', 'GET', `/api/target-cells/${cellId}/why`);
      expect(res.statusCode, res.body).toBe(200);
      const { chain, committedTarget } = res.json();
      expect(committedTarget).toBe(1200 * WAN);
      expect(
        chain.map(
          (s: { key: { ownerType: string; period: string } }) =>
            `${s.key.ownerType}:${s.key.period}`,
        ),
      ).toEqual(['member:2026-01', 'unit:2026-01', 'unit:2026-01', 'unit:2026-01', 'unit:FY2026']);
      expect(chain[0].ownerNameEn).toBe('Person R1');
      expect(chain[0].split).toMatchObject({ axis: 'org', method: 'capacity', siblings: 2 });
      expect(chain[3].split).toMatchObject({
        axis: 'time',
        method: 'seasonality',
        inputs: { quarterPercentsBp: [4000, 2500, 3000, 500] },
        siblings: 12,
      });
      expect(chain[4]).toMatchObject({ value: 1200 * WAN, split: null });
      // A rep sees their own weight, never their teammate's
      expect(Object.keys(chain[0].split.inputs.weights)).toEqual([`member:${h.fx.members.rep1}`]);
      // and cannot ask about someone else's target
      const other = (await grid('admin')).find((r) => r.code === 'R2')!.cells['2026-01']!.cellId;
      expect((await call('rep1', 'GET', `/api/target-cells/${other}/why`)).statusCode).toBe(403);
    });

    it('rolls proposals up against the assigned numbers', async () => {
      const r1 = await call('rep1', 'PUT', `/api/plan-versions/${versionId}/proposals`, {
        ownerType: 'member',
        ownerId: h.fx.members.rep1,
        period: '2026-01',
        value: 30 * WAN,
        note: '老客户复购',
      });
      expect(r1.statusCode, r1.body).toBe(200);
      expect(
        (
          await call('rep1', 'PUT', `/api/plan-versions/${versionId}/proposals`, {
            ownerType: 'member',
            ownerId: h.fx.members.rep2,
            period: '2026-01',
            value: 1,
          })
        ).statusCode,
      ).toBe(403);
      expect(
        (
          await call('mgrEast', 'PUT', `/api/plan-versions/${versionId}/proposals`, {
            ownerType: 'member',
            ownerId: h.fx.members.rep2,
            period: '2026-01',
            value: 20 * WAN,
          })
        ).statusCode,
      ).toBe(200);
      expect(
        (
          await call('mgrEast', 'PUT', `/api/plan-versions/${versionId}/proposals`, {
            ownerType: 'member',
            ownerId: h.fx.members.rep4,
            period: '2026-01',
            value: 1,
          })
        ).statusCode,
      ).toBe(403);
      const res = await call(
        'mgrEast',
        'GET',
        `/api/plan-versions/${versionId}/proposals?unitId=${h.fx.units.t1}&period=2026-01`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const t1 = res.json().nodes.find((n: { ref: string }) => n.ref === `unit:${h.fx.units.t1}`);
      expect(t1).toMatchObject({
        assigned: 60 * WAN,
        proposed: 50 * WAN,
        gap: 10 * WAN,
        coverageBp: 8333,
        complete: true,
      });
    });

    it('builds the monthly target table with weekly averages over 4 weeks and key strategies', async () => {
      const rows = await grid('admin');
      const t1 = rowOf(rows, 'T1').cells['2026-01']!;
      const put = await call('mgrEast', 'PUT', `/api/plan-versions/${versionId}/monthly-table`, {
        cellId: t1.cellId,
        keyStrategy: '重点行业大客户',
      });
      expect(put.statusCode, put.body).toBe(200);
      const res = await call(
        'mgrEast',
        'GET',
        `/api/plan-versions/${versionId}/monthly-table?month=2026-01&unitId=${h.fx.units.t1}`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const line = res.json().rows.find((r: { cellId: number }) => r.cellId === t1.cellId);
      expect(line).toMatchObject({
        metric: 'revenue',
        monthlyTarget: 60 * WAN,
        weeklyAverage: 15 * WAN,
        keyStrategy: '重点行业大客户',
      });
      expect(line.weekly.reduce((a: number, b: number) => a + b, 0)).toBe(60 * WAN);
      expect(
        res
          .json()
          .rows.every(
            (r: { ownerType: string; ownerId: number }) =>
              r.ownerType === 'member' || r.ownerId === h.fx.units.t1,
          ),
      ).toBe(true);
    });
  });

  describe('whole-version writes name the version they read', () => {
    it('refuses lenses and commit without a version (400) or with a stale one (409)', async () => {
      const lenses = {
        topDown: { lastYearActual: 1000 * WAN, growthBp: 2000 },
        bottomUp: {
          productivity: {
            senior: { dealsPerMonth: 5, aov: 10 * WAN },
            regular: { dealsPerMonth: 4, aov: 10 * WAN },
            new: { dealsPerMonth: 2, aov: 10 * WAN },
          },
        },
        funnel: {
          monthlySupply: 2000,
          stages: [
            { code: 'leads', conversionBp: 2000 },
            { code: 'opportunities', conversionBp: 2500 },
          ],
          aov: 10 * WAN,
        },
      };
      const before = await versionOf(call, versionId);
      for (const [method, path, body] of [
        ['POST', 'lenses', lenses],
        ['PUT', 'commit', { target: 1200 * WAN }],
      ] as const) {
        const url = `/api/plan-versions/${versionId}/${path}`;
        const missing = await call('admin', method, url, body);
        expect(missing.statusCode, path).toBe(400);
        const stale = await call('admin', method, url, { ...body, version: before - 1 });
        expect(stale.statusCode, path).toBe(409);
        expect(stale.json().code).toBe('VERSION_CONFLICT');
      }
      expect(await versionOf(call, versionId)).toBe(before);
    });
  });

  describe('workflow', () => {
    it('submits, then refuses edits to the submitted version', async () => {
      expect(
        (
          await call('rep1', 'POST', `/api/plan-versions/${versionId}/submit`, {
            version: await versionOf(call, versionId),
          })
        ).statusCode,
      ).toBe(403);
      // The draft is the company's: a region manager may not send it on (issue 11).
      const byRegion = await call('mgrEast', 'POST', `/api/plan-versions/${versionId}/submit`, {
        version: await versionOf(call, versionId),
      });
      expect(byRegion.statusCode).toBe(403);
      expect(byRegion.json().code).toBe('FORBIDDEN');
      // Without a version, or with a stale one, nothing moves.
      const unversioned = await call('admin', 'POST', `/api/plan-versions/${versionId}/submit`, {});
      expect(unversioned.statusCode).toBe(400);
      const stale = await call('admin', 'POST', `/api/plan-versions/${versionId}/submit`, {
        version: (await versionOf(call, versionId)) - 1,
      });
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('VERSION_CONFLICT');
      expect((await call('admin', 'GET', `/api/plan-versions/${versionId}`)).json().status).toBe(
        'draft',
      );
      const res = await call('admin', 'POST', `/api/plan-versions/${versionId}/submit`, {
        version: await versionOf(call, versionId),
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({ status: 'submitted', submittedBy: expect.any(Number) });
      const cellId = rowOf(await grid('admin'), 'T2').cells['2026-01']!.cellId;
      const edit = await call('admin', 'PUT', `/api/plan-versions/${versionId}/cells`, {
        version: await current(),
        cellsRev: await rev(),
        edits: [{ cellId, value: 1 }],
      });
      expect(edit.statusCode).toBe(409);
      expect(edit.json().code).toBe('PLAN_NOT_EDITABLE');
      expect(
        (
          await call('admin', 'POST', `/api/plan-versions/${versionId}/activate`, {
            version: await versionOf(call, versionId),
          })
        ).json().code,
      ).toBe('PLAN_TRANSITION_INVALID');
    });

    it('lets only the director approve and activate', async () => {
      expect(
        (
          await call('mgrEast', 'POST', `/api/plan-versions/${versionId}/approve`, {
            version: await versionOf(call, versionId),
          })
        ).statusCode,
      ).toBe(403);
      // The admin submitted this version: approving it himself needs a written reason.
      const own = await call('admin', 'POST', `/api/plan-versions/${versionId}/approve`, {
        version: await versionOf(call, versionId),
      });
      expect(own.statusCode).toBe(403);
      expect(own.json().code).toBe('PLAN_SELF_APPROVAL');
      expect(
        (
          await call('admin', 'POST', `/api/plan-versions/${versionId}/approve`, {
            version: await versionOf(call, versionId),
            overrideReason: 'the only administrator',
          })
        ).json().status,
      ).toBe('approved');
      expect(
        (
          await call('admin', 'POST', `/api/plan-versions/${versionId}/activate`, {
            version: await versionOf(call, versionId),
            overrideReason: 'the only administrator',
          })
        ).json().status,
      ).toBe('active');
      const edit = await call('admin', 'PUT', `/api/plan-versions/${versionId}/settings`, {
        version: await current(),
        basePct: 8000,
        challengePct: 12000,
        bufferPct: 1000,
      });
      expect(edit.statusCode).toBe(409);
      const log = await t.db
        .selectFrom('audit_log')
        .select(['action', 'user_id'])
        .where('entity', '=', 'plan_version')
        .where('entity_id', '=', String(versionId))
        .execute();
      expect(log.map((l) => l.action)).toEqual(
        expect.arrayContaining(['submit', 'approve', 'activate']),
      );
    });

    it('copies into a new draft that freezes the elapsed months, and activating it supersedes the old one', async () => {
      const res = await call('admin', 'POST', `/api/plan-versions/${versionId}/copy`, {});
      expect(res.statusCode, res.body).toBe(201);
      const copy = res.json();
      // The clock says 2026-03-16: January and February are frozen.
      expect(copy).toMatchObject({
        number: 2,
        status: 'draft',
        basedOnId: versionId,
        frozenBefore: '2026-03',
      });
      const original = versionId;
      versionId = copy.id;
      const rows = await grid('admin');
      expect(rowOf(rows, 'T1').cells['2026-01']).toMatchObject({ value: 60 * WAN, locked: true });
      expect(rows.filter((r) => r.check)).toEqual([]);
      const jan = rowOf(rows, 'T2').cells['2026-01']!.cellId;
      const frozen = await call('admin', 'PUT', `/api/plan-versions/${versionId}/cells`, {
        version: copy.version,
        cellsRev: copy.cellsRev,
        edits: [{ cellId: jan, value: 1 }],
      });
      expect(frozen.statusCode).toBe(409);
      expect(frozen.json().code).toBe('PLAN_PERIOD_FROZEN');
      // Re-committing a lower number re-spreads only the open months.
      const recommit = await call('admin', 'PUT', `/api/plan-versions/${versionId}/commit`, {
        version: await versionOf(call, versionId),
        target: 1100 * WAN,
      });
      expect(recommit.statusCode, recommit.body).toBe(200);
      const hq = rowOf(await grid('admin'), 'HQ');
      expect(hq.cells['2026-01']!.value).toBe(160 * WAN);
      expect(hq.cells['2026-02']!.value).toBe(160 * WAN);
      expect(hq.total).toBe(1100 * WAN);
      const diff = await call(
        'admin',
        'GET',
        `/api/plan-versions/compare?a=${original}&b=${versionId}&metric=revenue`,
      );
      expect(diff.statusCode, diff.body).toBe(200);
      const fy = diff
        .json()
        .rows.find((r: { key: { period: string } }) => r.key.period === 'FY2026');
      expect(fy).toMatchObject({ a: 1200 * WAN, b: 1100 * WAN, diff: -100 * WAN });
      for (const step of ['submit', 'approve', 'activate']) {
        expect(
          (
            await call('admin', 'POST', `/api/plan-versions/${versionId}/${step}`, {
              version: await versionOf(call, versionId),
              ...(step === 'submit' ? {} : { overrideReason: 'one administrator in the fixture' }),
            })
          ).statusCode,
        ).toBe(200);
      }
      const plans = (await call('viewer', 'GET', '/api/plans')).json();
      const statuses = plans[0].versions.map(
        (v: { number: number; status: string }) => `${v.number}:${v.status}`,
      );
      expect(statuses).toEqual(['1:superseded', '2:active']);
      expect((await call('viewer', 'GET', `/api/plan-versions/${original}/grid`)).statusCode).toBe(
        200,
      );
    });
  });
});
