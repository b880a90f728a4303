import { beforeAll, describe, expect, it } from 'vitest';
import { remindPendingAdjustments } from '../../src/app/adjustments/remind-pending.ts';
import { hashPassword } from '../../src/app/auth/password.ts';
import { FIXED_NOW, PASSWORD, useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { multipartFile } from '../support/multipart.ts';
import { versionOf } from '../support/plan-version.ts';
import { unbalancedSplits } from './plan-invariants.ts';

const WAN = 10_000_00; // 1万元 in fen

/**
 * Today is 2026-03-16. The active plan: 1,200万 for FY2026, 100万 a month, even per head down
 * HQ (director) → East (mgrEast: T1 rep1 rep2, T2 rep3) / West (mgrWest: T3 rep4), so T1 has
 * 50万 a month, T2 25万, every rep 25万. January and February are closed.
 */
describeEachDialect('target adjustment requests', (t) => {
  const h = useApp(t);
  const call = (
    user: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
  ) => h.call(user, method, url, payload, 'en');
  let versionId = 0;
  let revenueId = 0;
  let alertT1 = 0;

  /** An open review alert about team T1, as the engine would have written it. */
  const openAlertAboutT1 = async () => {
    const rule = await t.db
      .selectFrom('alert_rules')
      .select(['id', 'version'])
      .where('kind', '=', 'attainment_review')
      .executeTakeFirstOrThrow();
    const t1 = await t.db
      .selectFrom('org_units')
      .select(['id', 'path'])
      .where('id', '=', h.fx.units.t1)
      .executeTakeFirstOrThrow();
    const at = FIXED_NOW.toISOString();
    const row = await t.db
      .insertInto('alerts')
      .values({
        rule_id: rule.id,
        rule_version: Number(rule.version),
        subject_type: 'unit',
        subject_id: t1.id,
        period: '2026-02',
        state: 'open',
        severity: 'warning',
        unit_id: t1.id,
        unit_path: t1.path,
        opened_at: at,
        evidence: '{}',
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  };

  const cell = async (ownerType: 'unit' | 'member', ownerId: number, period: string) => {
    const c = await t.db
      .selectFrom('target_cells')
      .select(['id', 'value', 'locked'])
      .where('version_id', '=', versionId)
      .where('metric_id', '=', revenueId)
      .where('owner_type', '=', ownerType)
      .where('owner_id', '=', ownerId)
      .where('period', '=', period)
      .where('product_line_id', '=', 0)
      .executeTakeFirstOrThrow();
    return c;
  };
  const request = async (
    user: string,
    cells: { cellId: number; value: number }[],
    extra: object = {},
  ) =>
    call(user, 'POST', '/api/adjustments', {
      spec: { versionId, cells },
      reasonCategory: 'market',
      reasonText: 'competitor price cut',
      send: true,
      ...extra,
    });
  const detail = async (id: number, user = 'admin') =>
    (await call(user, 'GET', `/api/adjustments/${id}`)).json();
  const decide = async (user: string, id: number, decision: string, comment = '') =>
    call(user, 'POST', `/api/adjustments/${id}/${decision}`, {
      version: (await detail(id)).version,
      comment,
    });

  beforeAll(async () => {
    // The director: the member who manages the company root, with a login.
    const now = FIXED_NOW.toISOString();
    const { id: dir } = await t.db
      .insertInto('members')
      .values({
        code: 'DIR',
        name_zh: '总监',
        name_en: 'Director',
        tier: 'senior',
        hire_date: '2024-01-01',
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await t.db
      .updateTable('org_units')
      .set({ manager_member_id: dir })
      .where('id', '=', h.fx.units.hq)
      .execute();
    await t.db
      .insertInto('member_units')
      .values({
        member_id: dir,
        org_unit_id: h.fx.units.hq,
        start_date: '2024-01-01',
        end_date: null,
      })
      .execute();
    await t.db
      .insertInto('users')
      .values({
        username: 'director',
        display_name: 'director',
        password_hash: await hashPassword(PASSWORD),
        role: 'manager',
        member_id: dir,
        locale: 'en',
        amount_unit: 'wan',
        created_at: now,
      })
      .execute();

    versionId = (
      await call('admin', 'POST', '/api/plans', {
        fiscalYear: 2026,
        nameZh: '计划',
        nameEn: 'Plan',
      })
    ).json().versions[0].id;
    await call('admin', 'PUT', `/api/plan-versions/${versionId}/commit`, {
      version: await versionOf(call, versionId),
      target: 1200 * WAN,
    });
    const built = await call('admin', 'POST', `/api/plan-versions/${versionId}/decompose`, {
      mode: 'cascade',
      parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
      method: 'even',
      org: { method: 'even', inputs: {} },
    });
    expect(built.statusCode, built.body).toBe(200);
    // Submitted by the director, approved and activated by the administrator (another person).
    expect(
      (
        await call('director', 'POST', `/api/plan-versions/${versionId}/submit`, {
          version: await versionOf(call, versionId),
        })
      ).statusCode,
    ).toBe(200);
    for (const step of ['approve', 'activate']) {
      const res = await call('admin', 'POST', `/api/plan-versions/${versionId}/${step}`, {
        version: await versionOf(call, versionId),
      });
      expect(res.statusCode, res.body).toBe(200);
    }
    revenueId = (
      await t.db
        .selectFrom('metrics')
        .select('id')
        .where('code', '=', 'revenue')
        .executeTakeFirstOrThrow()
    ).id;
    expect((await cell('unit', h.fx.units.t1, '2026-05')).value).toBe(50 * WAN);
  });

  describe('preview', () => {
    it('shows every changed cell: the team asked for, its sibling absorbing, the reps re-spread', async () => {
      const t1 = await cell('unit', h.fx.units.t1, '2026-05');
      const res = await call('mgrEast', 'POST', '/api/adjustments/preview', {
        versionId,
        cells: [{ cellId: t1.id, value: 45 * WAN }],
      });
      expect(res.statusCode, res.body).toBe(200);
      const p = res.json();
      const by = (type: string, id: number) =>
        p.changes.find(
          (c: { ownerType: string; ownerId: number }) => c.ownerType === type && c.ownerId === id,
        );
      expect(by('unit', h.fx.units.t1)).toMatchObject({
        before: 50 * WAN,
        after: 45 * WAN,
        requested: true,
      });
      expect(by('unit', h.fx.units.t2)).toMatchObject({
        before: 25 * WAN,
        after: 30 * WAN,
        requested: false,
      });
      expect(by('member', h.fx.members.rep3)).toMatchObject({ after: 30 * WAN });
      expect(by('member', h.fx.members.rep1).after + by('member', h.fx.members.rep2).after).toBe(
        45 * WAN,
      );
      expect(by('unit', h.fx.units.east)).toBeUndefined();
      // East keeps its total: the region manager's change needs only his own manager.
      expect(p.chain).toEqual([
        expect.objectContaining({
          kind: 'member',
          why: 'line',
          nameEn: 'Director',
          unitKind: 'company',
        }),
      ]);
      // Nothing was written (what-if).
      expect((await cell('unit', h.fx.units.t1, '2026-05')).value).toBe(50 * WAN);
    });

    it('shows the effect on attainment and tier today for the month in course', async () => {
      const march = await cell('unit', h.fx.units.t1, '2026-03');
      const res = await call('mgrEast', 'POST', '/api/adjustments/preview', {
        versionId,
        cells: [{ cellId: march.id, value: 40 * WAN }],
      });
      expect(res.statusCode, res.body).toBe(200);
      // No sales yet this month in the fixture: 0% before and after, no tier reached.
      expect(res.json().effects).toEqual([
        {
          cellId: march.id,
          period: '2026-03',
          actual: 0,
          before: { attainmentBp: 0, tier: 'none' },
          after: { attainmentBp: 0, tier: 'none' },
        },
      ]);
    });

    it("refuses closed months and cells outside the requester's scope", async () => {
      const feb = await cell('unit', h.fx.units.t1, '2026-02');
      const closed = await call('mgrEast', 'POST', '/api/adjustments/preview', {
        versionId,
        cells: [{ cellId: feb.id, value: 40 * WAN }],
      });
      expect(closed.statusCode).toBe(409);
      expect(closed.json().code).toBe('PLAN_PERIOD_FROZEN');
      const t1 = await cell('unit', h.fx.units.t1, '2026-05');
      const rep3 = await cell('member', h.fx.members.rep3, '2026-05');
      for (const [user, c] of [
        ['mgrWest', t1],
        ['rep1', rep3],
        ['finance', t1],
        ['viewer', t1],
      ] as const) {
        const res = await request(user, [{ cellId: c.id, value: 1 * WAN }]);
        expect(res.statusCode, `${user}: ${res.body}`).toBe(403);
      }
      expect(await t.db.selectFrom('adjustment_requests').selectAll().execute()).toEqual([]);
    });
    it("re-spreads a unit's year total over its open months only", async () => {
      const res = await call('mgrEast', 'POST', '/api/adjustments/preview', {
        versionId,
        total: { ownerType: 'unit', ownerId: h.fx.units.t1, metricId: revenueId, value: 580 * WAN },
      });
      expect(res.statusCode, res.body).toBe(200);
      const asked = res.json().requested as { before: number; after: number }[];
      // 600万 → 580万 over the ten open months (T2 absorbs each month): Jan/Feb are not among the cells asked for.
      expect(asked.reduce((a, c) => a + c.after - c.before, 0)).toBe(-20 * WAN);
      const periods = res
        .json()
        .changes.filter((c: { requested: boolean }) => c.requested)
        .map((c: { period: string }) => c.period);
      expect(periods.every((p: string) => p >= '2026-03')).toBe(true);
    });
  });

  describe('approval and apply', () => {
    it('applies an approved request as a revision: parents keep their totals, the past stays, the why names it', async () => {
      const t1 = await cell('unit', h.fx.units.t1, '2026-05');
      const jan = await cell('member', h.fx.members.rep1, '2026-01');
      alertT1 = await openAlertAboutT1();
      // An alert outside the requester's scope cannot be cited (not found, as in the inbox).
      const t3 = await cell('unit', h.fx.units.t3, '2026-05');
      const foreign = await request('mgrWest', [{ cellId: t3.id, value: 20 * WAN }], {
        alertId: alertT1,
      });
      expect(foreign.statusCode).toBe(404);
      const created = await request('mgrEast', [{ cellId: t1.id, value: 45 * WAN }], {
        alertId: alertT1,
      });
      expect(created.statusCode, created.body).toBe(201);
      const r = created.json();
      expect(r).toMatchObject({ state: 'pending', alertId: alertT1, currentStep: 0, steps: 1 });
      // Nobody approves his own request; nobody outside the chain approves it.
      expect((await decide('mgrEast', r.id, 'approve')).json().code).toBe(
        'ADJUSTMENT_SELF_APPROVAL',
      );
      for (const user of ['mgrWest', 'admin', 'finance']) {
        const res = await decide(user, r.id, 'approve');
        expect(res.statusCode, user).toBe(403);
        expect(res.json().code).toBe('ADJUSTMENT_NOT_APPROVER');
      }
      expect(
        (await call('director', 'GET', '/api/adjustments?box=awaiting'))
          .json()
          .map((x: { id: number }) => x.id),
      ).toContain(r.id);
      const ok = await decide('director', r.id, 'approve', 'agreed');
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ state: 'applied', appliedAt: expect.any(String) });
      expect((await cell('unit', h.fx.units.t1, '2026-05')).value).toBe(45 * WAN);
      expect((await cell('unit', h.fx.units.t2, '2026-05')).value).toBe(30 * WAN);
      expect((await cell('unit', h.fx.units.east, '2026-05')).value).toBe(75 * WAN);
      expect((await cell('member', h.fx.members.rep1, '2026-01')).value).toBe(jan.value);
      expect(await unbalancedSplits(t.db, versionId)).toEqual([]);
      // The why panel names the request.
      const why = (await call('mgrEast', 'GET', `/api/target-cells/${t1.id}/why`)).json();
      expect(why.chain[0].edits).toEqual([
        expect.objectContaining({
          kind: 'adjusted',
          adjustmentId: r.id,
          value: 45 * WAN,
          before: 50 * WAN,
          by: 'director',
        }),
      ]);
      // The audit keeps who, when, why, the evidence and every cell before and after.
      const log = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb.and([eb('entity', '=', 'adjustment_request'), eb('entity_id', '=', String(r.id))]),
            eb('action', '=', 'adjust'),
          ]),
        )
        .orderBy('id')
        .execute();
      expect(log.map((l) => l.action)).toEqual(['create', 'send', 'adjust', 'approve']);
      expect(JSON.parse(log[0]!.after!)).toMatchObject({
        reasonCategory: 'market',
        reasonText: 'competitor price cut',
        alertId: alertT1,
      });
      const adjust = JSON.parse(log[2]!.after!);
      expect(adjust.adjustmentId).toBe(r.id);
      expect(adjust.cells.length).toBeGreaterThanOrEqual(5);
      const d = await detail(r.id);
      expect(d.changes.find((c: { cellId: number }) => c.cellId === t1.id)).toMatchObject({
        before: 50 * WAN,
        after: 45 * WAN,
      });
      expect(d.trail.map((s: { decision: string }) => s.decision)).toEqual(['send', 'approve']);
      expect(d.trail[1]).toMatchObject({ by: 'director', comment: 'agreed' });
    });

    it('sends a rejection back to the requester, who amends and sends again', async () => {
      const own = await cell('member', h.fx.members.rep1, '2026-06');
      const created = await request('rep1', [{ cellId: own.id, value: 20 * WAN }]);
      expect(created.statusCode, created.body).toBe(201);
      const r = created.json();
      // A rep's 20% cut: his manager (T1 has none, so East's), then the director (over 10%).
      expect(r.chain.map((s: { memberId?: number; why: string }) => [s.memberId, s.why])).toEqual([
        [h.fx.members.mgrEast, 'line'],
        [expect.any(Number), 'threshold'],
      ]);
      expect((await decide('mgrEast', r.id, 'reject')).statusCode).toBe(400); // a comment is required
      const rejected = await decide('mgrEast', r.id, 'reject', 'too deep');
      expect(rejected.json()).toMatchObject({ state: 'rejected' });
      expect((await decide('director', r.id, 'approve')).json().code).toBe(
        'ADJUSTMENT_STATE_INVALID',
      );
      const amendBody = {
        version: (await detail(r.id)).version,
        spec: { versionId, cells: [{ cellId: own.id, value: 23 * WAN }] },
        reasonCategory: 'staffing',
        reasonText: 'two weeks of leave',
      };
      expect((await call('rep2', 'PUT', `/api/adjustments/${r.id}`, amendBody)).statusCode).toBe(
        403,
      );
      const amended = await call('rep1', 'PUT', `/api/adjustments/${r.id}`, amendBody);
      expect(amended.statusCode, amended.body).toBe(200);
      expect(amended.json()).toMatchObject({ state: 'draft', reasonCategory: 'staffing' });
      const sent = await call('rep1', 'POST', `/api/adjustments/${r.id}/send`, {
        version: amended.json().version,
      });
      expect(sent.statusCode, sent.body).toBe(200);
      expect(sent.json().chain).toHaveLength(1); // 8%: no director now
      const ok = await decide('mgrEast', r.id, 'approve', 'fine');
      expect(ok.json()).toMatchObject({ state: 'applied' });
      expect((await cell('member', h.fx.members.rep1, '2026-06')).value).toBe(23 * WAN);
      expect((await cell('unit', h.fx.units.t1, '2026-06')).value).toBe(50 * WAN);
      expect(await unbalancedSplits(t.db, versionId)).toEqual([]);
      expect((await detail(r.id)).trail.map((s: { decision: string }) => s.decision)).toEqual([
        'send',
        'reject',
        'send',
        'approve',
      ]);
    });

    it('lets the parent total change too, absorbed one level up, and climbs to its owner', async () => {
      const t1 = await cell('unit', h.fx.units.t1, '2026-07');
      const created = await call('mgrEast', 'POST', '/api/adjustments', {
        spec: { versionId, climb: 1, cells: [{ cellId: t1.id, value: 45 * WAN }] },
        reasonCategory: 'staffing',
        reasonText: 'a rep left',
        send: true,
      });
      expect(created.statusCode, created.body).toBe(201);
      const r = created.json();
      // East's own total changes, so the company total's owner decides: the director.
      expect(r.chain).toEqual([expect.objectContaining({ nameEn: 'Director', why: 'line' })]);
      expect(
        r.requested.map((c: { ownerId: number; after: number }) => [c.ownerId, c.after]),
      ).toEqual([
        [h.fx.units.east, 70 * WAN],
        [h.fx.units.t1, 45 * WAN],
      ]);
      expect((await decide('director', r.id, 'approve')).json().state).toBe('applied');
      expect((await cell('unit', h.fx.units.east, '2026-07')).value).toBe(70 * WAN);
      expect((await cell('unit', h.fx.units.west, '2026-07')).value).toBe(30 * WAN);
      expect((await cell('unit', h.fx.units.t1, '2026-07')).value).toBe(45 * WAN);
      expect((await cell('unit', h.fx.units.t2, '2026-07')).value).toBe(25 * WAN);
      expect((await cell('unit', h.fx.units.hq, '2026-07')).value).toBe(100 * WAN);
      expect(await unbalancedSplits(t.db, versionId)).toEqual([]);
    });

    it('lets the requester recall before a decision, and only him', async () => {
      const c = await cell('unit', h.fx.units.t2, '2026-08');
      const r = (await request('mgrEast', [{ cellId: c.id, value: 24 * WAN }])).json();
      const v = (await detail(r.id)).version;
      expect(
        (await call('director', 'POST', `/api/adjustments/${r.id}/recall`, { version: v })).json()
          .code,
      ).toBe('ADJUSTMENT_NOT_REQUESTER');
      const recalled = await call('mgrEast', 'POST', `/api/adjustments/${r.id}/recall`, {
        version: v,
      });
      expect(recalled.json()).toMatchObject({ state: 'recalled' });
      expect((await decide('director', r.id, 'approve')).json().code).toBe(
        'ADJUSTMENT_STATE_INVALID',
      );
      expect((await cell('unit', h.fx.units.t2, '2026-08')).value).toBe(25 * WAN);
    });

    it('lets one of two racing approvals win; the other sees a conflict', async () => {
      const c = await cell('unit', h.fx.units.t2, '2026-09');
      const r = (await request('mgrEast', [{ cellId: c.id, value: 24 * WAN }])).json();
      const v = (await detail(r.id)).version;
      const results = await Promise.all(
        [0, 1].map(() =>
          call('director', 'POST', `/api/adjustments/${r.id}/approve`, { version: v, comment: '' }),
        ),
      );
      expect(results.map((x) => x.statusCode).sort()).toEqual([200, 409]);
      expect(results.find((x) => x.statusCode === 409)!.json().code).toBe('VERSION_CONFLICT');
      expect((await cell('unit', h.fx.units.t2, '2026-09')).value).toBe(24 * WAN);
      expect(await unbalancedSplits(t.db, versionId)).toEqual([]);
    });

    it('refuses to apply over a change made after the request was sent', async () => {
      const c = await cell('unit', h.fx.units.t1, '2026-10');
      const a = (await request('mgrEast', [{ cellId: c.id, value: 48 * WAN }])).json();
      const b = (await request('mgrEast', [{ cellId: c.id, value: 46 * WAN }])).json();
      expect((await decide('director', a.id, 'approve')).json().state).toBe('applied');
      const refused = await decide('director', b.id, 'approve');
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('ADJUSTMENT_PLAN_MOVED');
      const still = await detail(b.id);
      expect(still).toMatchObject({ state: 'pending', previewError: 'ADJUSTMENT_PLAN_MOVED' });
      expect((await cell('unit', h.fx.units.t1, '2026-10')).value).toBe(48 * WAN);
    });

    it('adds finance for a metric that pays incentives, as the rules say', async () => {
      await t.db
        .insertInto('settings')
        .values({
          key: 'adjustment_rules',
          value: JSON.stringify({ incentiveMetrics: ['revenue'] }),
        })
        .execute();
      try {
        const c = await cell('unit', h.fx.units.t2, '2026-11');
        const r = (await request('mgrEast', [{ cellId: c.id, value: 24 * WAN }])).json();
        expect(r.chain.map((s: { kind: string; role?: string }) => s.role ?? s.kind)).toEqual([
          'member',
          'finance',
        ]);
        expect((await decide('director', r.id, 'approve')).json()).toMatchObject({
          state: 'pending',
          currentStep: 1,
        });
        expect((await decide('director', r.id, 'approve')).json().code).toBe(
          'ADJUSTMENT_NOT_APPROVER',
        );
        expect((await decide('finance', r.id, 'approve')).json()).toMatchObject({
          state: 'applied',
        });
        const d = await detail(r.id);
        expect(d.trail.map((s: { by: string }) => s.by)).toEqual([
          'mgrEast',
          'director',
          'finance',
        ]);
      } finally {
        await t.db.deleteFrom('settings').where('key', '=', 'adjustment_rules').execute();
      }
    });
  });

  describe('reading, files and export', () => {
    it('shows a request to those concerned only', async () => {
      const c = await cell('unit', h.fx.units.t1, '2026-12');
      const r = (
        await request('mgrEast', [{ cellId: c.id, value: 49 * WAN }], { send: false })
      ).json();
      expect(r.state).toBe('draft');
      expect((await call('rep4', 'GET', `/api/adjustments/${r.id}`)).statusCode).toBe(403);
      expect((await call('mgrWest', 'GET', `/api/adjustments/${r.id}`)).statusCode).toBe(403);
      expect((await call('viewer', 'GET', `/api/adjustments/${r.id}`)).statusCode).toBe(200);
      expect((await call('rep4', 'GET', '/api/adjustments')).json()).toEqual([]);
      const mine = (await call('mgrEast', 'GET', '/api/adjustments?box=mine')).json();
      expect(mine.map((x: { id: number }) => x.id)).toContain(r.id);
    });

    it('stores evidence files by their content, refusing other types', async () => {
      const c = await cell('unit', h.fx.units.t1, '2026-12');
      const r = (
        await request('mgrEast', [{ cellId: c.id, value: 48 * WAN }], { send: false })
      ).json();
      const png = Buffer.concat([
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        Buffer.alloc(20),
      ]);
      const up = (name: string, bytes: Buffer, user = 'mgrEast') => {
        const m = multipartFile(name, bytes);
        return h.login(user).then((cookie) =>
          h.app.inject({
            method: 'POST',
            url: `/api/adjustments/${r.id}/files`,
            headers: { ...m.headers, cookie },
            payload: m.payload,
          }),
        );
      };
      const ok = await up('chart.png', png);
      expect(ok.statusCode, ok.body).toBe(201);
      const exe = await up('report.pdf', Buffer.from('MZ\x90\x00\x03\x00\x00\x00'));
      expect(exe.statusCode).toBe(415);
      expect((await up('x.txt', Buffer.from('note'), 'director')).statusCode).toBe(403);
      const big = await up('big.txt', Buffer.alloc(5 * 1024 * 1024 + 1, 0x41));
      expect(big.statusCode).toBe(413);
      const d = await detail(r.id);
      expect(d.files).toEqual([
        expect.objectContaining({ name: 'chart.png', mime: 'image/png', size: png.length }),
      ]);
      const file = await call('viewer', 'GET', `/api/adjustments/${r.id}/files/${d.files[0].id}`);
      expect(file.statusCode).toBe(200);
      expect(file.rawPayload.equals(png)).toBe(true);
      expect(
        (await call('rep4', 'GET', `/api/adjustments/${r.id}/files/${d.files[0].id}`)).statusCode,
      ).toBe(403);
    });

    it('documents its routes in the OpenAPI document', async () => {
      const doc = await h.app.inject({ method: 'GET', url: '/api/openapi.json' });
      expect(doc.statusCode).toBe(200);
      expect(Object.keys(doc.json().paths)).toEqual(
        expect.arrayContaining([
          '/api/adjustments/preview',
          '/api/adjustments/{id}/approve',
          '/api/adjustments/{id}/export.xlsx',
        ]),
      );
    });

    it('exports a request as xlsx', async () => {
      const list = (await call('admin', 'GET', '/api/adjustments?box=all')).json();
      const applied = list.find((x: { state: string }) => x.state === 'applied');
      const res = await call(
        'admin',
        'GET',
        `/api/adjustments/${applied.id}/export.xlsx?lang=zh-CN`,
      );
      expect(res.statusCode).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      expect(res.rawPayload.subarray(0, 2).toString()).toBe('PK');
    });
  });

  describe('reminders', () => {
    it('reminds the approver of a request waiting longer than two days, once a day', async () => {
      const outbox = () =>
        t.db.selectFrom('outbox').selectAll().where('topic', '=', 'notify.message').execute();
      const before = (await outbox()).length;
      const pending = await t.db
        .selectFrom('adjustment_requests')
        .select('id')
        .where('state', '=', 'pending')
        .execute();
      expect(pending.length).toBeGreaterThan(0);
      // One day later nothing is due; three days later every pending request is.
      const day = 24 * 3600_000;
      expect(await remindPendingAdjustments(t.db, new Date(FIXED_NOW.getTime() + day))).toEqual({
        reminded: 0,
      });
      const later = new Date(FIXED_NOW.getTime() + 3 * day);
      expect(await remindPendingAdjustments(t.db, later)).toEqual({ reminded: pending.length });
      const sent = (await outbox()).slice(before).map((e) => JSON.parse(e.payload));
      const director = await t.db
        .selectFrom('users')
        .select('member_id')
        .where('username', '=', 'director')
        .executeTakeFirstOrThrow();
      expect(sent[0]).toMatchObject({
        kind: 'reminder',
        unitId: h.fx.units.hq,
        mentionMemberIds: [director.member_id],
        link: `/adjustments/${pending[0]!.id}`,
      });
      expect(sent[0].text['zh-CN'].title).toContain(`#${pending[0]!.id}`);
      // The same day again: nothing new.
      expect(await remindPendingAdjustments(t.db, new Date(later.getTime() + 3600_000))).toEqual({
        reminded: 0,
      });
    });
  });

  describe('plan versions: separation of duties', () => {
    it('refuses the submitter approving or activating; an admin overrides only with a reason', async () => {
      const plan = (
        await call('admin', 'POST', '/api/plans', {
          fiscalYear: 2027,
          nameZh: '计划',
          nameEn: 'Plan',
        })
      ).json();
      const id = plan.versions[0].id;
      const step = (user: string, action: string, body: object = {}) =>
        versionOf(call, id).then((version) =>
          call(user, 'POST', `/api/plan-versions/${id}/${action}`, { version, ...body }),
        );
      expect((await step('director', 'submit')).statusCode).toBe(200);
      const self = await step('director', 'approve');
      expect(self.statusCode).toBe(403);
      expect(self.json().code).toBe('PLAN_SELF_APPROVAL');
      expect((await step('admin', 'approve')).statusCode).toBe(200);
      expect((await step('director', 'activate')).json().code).toBe('PLAN_SELF_APPROVAL');
      expect(
        (await step('director', 'activate', { overrideReason: 'I am in a hurry' })).json().code,
      ).toBe('PLAN_SELF_APPROVAL'); // only an administrator may override
      expect((await step('admin', 'activate')).statusCode).toBe(200);

      const other = (await call('admin', 'POST', `/api/plan-versions/${id}/copy`)).json().id;
      const step2 = (action: string, body: object = {}) =>
        versionOf(call, other).then((version) =>
          call('admin', 'POST', `/api/plan-versions/${other}/${action}`, { version, ...body }),
        );
      expect((await step2('submit')).statusCode).toBe(200);
      expect((await step2('approve')).json().code).toBe('PLAN_SELF_APPROVAL');
      expect(
        (await step2('approve', { overrideReason: 'sole administrator on leave cover' }))
          .statusCode,
      ).toBe(200);
      const entry = await t.db
        .selectFrom('audit_log')
        .select('after')
        .where('entity', '=', 'plan_version')
        .where('entity_id', '=', String(other))
        .where('action', '=', 'approve')
        .executeTakeFirstOrThrow();
      expect(JSON.parse(entry.after!)).toMatchObject({
        selfApprovalOverride: 'sole administrator on leave cover',
      });
    });
  });
});
