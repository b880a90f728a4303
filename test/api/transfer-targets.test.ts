import { beforeAll, expect, it } from 'vitest';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { unbalancedSplits } from './plan-invariants.ts';
import { versionOf } from '../support/plan-version.ts';

const WAN = 10_000_00; // 1万元 in fen

/**
 * Today is 2026-03-16 (the fixture's clock). The plan: 1,200万 for FY2026, 100万 a month, even per
 * head down HQ → East (T1: rep1, rep2; T2: rep3) / West (T3: rep4), so every rep has 25万 a month.
 * Version A is active; version D is its copy, a draft with January and February frozen.
 */
describeEachDialect('member transfers and their remaining targets', (t) => {
  const h = useApp(t);
  const call = (
    user: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    locale = 'en',
  ) => h.call(user, method, url, payload, locale);
  let active = 0;
  let draft = 0;
  const memberVersion = async (id: number) =>
    (await call('admin', 'GET', `/api/members/${id}`)).json().version as number;
  const transfer = async (user: string, memberId: number, body: object, locale = 'en') =>
    call(
      user,
      'POST',
      `/api/members/${memberId}/transfer`,
      { version: await memberVersion(memberId), ...body },
      locale,
    );
  /** The cell of an owner in a month (not split by a dimension), with the unit it was split from. */
  const cell = async (
    versionId: number,
    ownerType: 'unit' | 'member',
    id: number,
    period: string,
  ) => {
    const c = await t.db
      .selectFrom('target_cells as c')
      .leftJoin('target_splits as s', 's.id', 'c.split_id')
      .select(['c.id', 'c.value', 'c.note', 'c.locked', 's.parent_key'])
      .where('c.version_id', '=', versionId)
      .where('c.owner_type', '=', ownerType)
      .where('c.owner_id', '=', id)
      .where('c.period', '=', period)
      .where('c.product_line_id', '=', 0)
      .executeTakeFirst();
    return c
      ? {
          value: c.value,
          note: c.note,
          locked: c.locked,
          parent: c.parent_key ? (JSON.parse(c.parent_key) as { ownerId: number }).ownerId : null,
        }
      : undefined;
  };
  const gridChecks = async (versionId: number) =>
    (await call('admin', 'GET', `/api/plan-versions/${versionId}/grid`))
      .json()
      .rows.filter((r: { check: boolean }) => r.check)
      .map((r: { code: string; mismatches: string[] }) => `${r.code} ${r.mismatches.join(',')}`);

  // Given, once in a hook (not a first test the others depend on): an active plan, a draft copy.
  beforeAll(async () => {
    active = (
      await call('admin', 'POST', '/api/plans', {
        fiscalYear: 2026,
        nameZh: '计划',
        nameEn: 'Plan',
      })
    ).json().versions[0].id;
    await call('admin', 'PUT', `/api/plan-versions/${active}/commit`, {
      version: await versionOf(call, active),
      target: 1200 * WAN,
    });
    const built = await call('admin', 'POST', `/api/plan-versions/${active}/decompose`, {
      mode: 'cascade',
      parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
      method: 'even',
      org: { method: 'even', inputs: {} },
    });
    expect(built.statusCode, built.body).toBe(200);
    for (const step of ['submit', 'approve', 'activate'])
      expect(
        (
          await call('admin', 'POST', `/api/plan-versions/${active}/${step}`, {
            version: await versionOf(call, active),
            ...(step === 'submit' ? {} : { overrideReason: 'one administrator in the fixture' }),
          })
        ).statusCode,
      ).toBe(200);
    const copy = await call('admin', 'POST', `/api/plan-versions/${active}/copy`);
    expect(copy.statusCode, copy.body).toBe(201);
    draft = copy.json().id;
    expect(copy.json().frozenBefore).toBe('2026-03');
    expect((await cell(active, 'member', h.fx.members.rep1, '2026-07'))?.value).toBe(25 * WAN);
  });

  it('shows the remaining target and refuses a transfer without a decision', async () => {
    // rep1 moves to T2 from 1 February (recorded late): February is closed in the active version
    const preview = await call(
      'mgrEast',
      'GET',
      `/api/members/${h.fx.members.rep1}/transfer-targets?unitId=${h.fx.units.t2}&date=2026-02-01`,
    );
    expect(preview.statusCode, preview.body).toBe(200);
    const p = preview.json();
    expect(p).toMatchObject({ needsDecision: true, fromMonth: '2026-02' });
    expect(
      p.targets.map((x: { versionId: number; status: string }) => [x.versionId, x.status]),
    ).toEqual([
      [active, 'active'],
      [draft, 'draft'],
    ]);
    for (const x of p.targets) {
      expect(x.months.map((m: { period: string }) => m.period)[0]).toBe('2026-03');
      expect(x.months).toHaveLength(10);
      expect(x.total).toBe(250 * WAN);
    }
    const refused = await transfer(
      'mgrEast',
      h.fx.members.rep1,
      { unitId: h.fx.units.t2, date: '2026-02-01' },
      'zh-CN',
    );
    expect(refused.statusCode).toBe(400);
    expect(refused.json()).toMatchObject({ code: 'TRANSFER_TARGET_DECISION_REQUIRED' });
    expect(refused.json().message).toContain('2026-03');
    expect(refused.json().message).toContain('2,500,000.00');
    // Nothing happened: still in T1
    expect((await call('admin', 'GET', `/api/members/${h.fx.members.rep1}`)).json().unitId).toBe(
      h.fx.units.t1,
    );
  });

  it('lets a manager decide only inside their subtree', async () => {
    const body = { unitId: h.fx.units.t2, date: '2026-02-01', targets: { decision: 'move' } };
    expect((await transfer('mgrWest', h.fx.members.rep1, body)).statusCode).toBe(403);
    expect((await transfer('rep1', h.fx.members.rep1, body)).statusCode).toBe(403);
    expect(
      (await transfer('mgrEast', h.fx.members.rep1, { ...body, unitId: h.fx.units.t3 })).statusCode,
    ).toBe(403);
    expect(
      (
        await call(
          'mgrWest',
          'GET',
          `/api/members/${h.fx.members.rep1}/transfer-targets?unitId=${h.fx.units.t3}&date=2026-02-01`,
        )
      ).statusCode,
    ).toBe(403);
  });

  it('move: the member’s months go to the new team; old team down, new team up, East unchanged', async () => {
    const res = await transfer('mgrEast', h.fx.members.rep1, {
      unitId: h.fx.units.t2,
      date: '2026-02-01',
      targets: { decision: 'move' },
    });
    expect(res.statusCode, res.body).toBe(200);
    for (const v of [active, draft]) {
      const rep1 = await cell(v, 'member', h.fx.members.rep1, '2026-07');
      expect(rep1).toMatchObject({ value: 25 * WAN, parent: h.fx.units.t2 });
      expect((await cell(v, 'unit', h.fx.units.t1, '2026-07'))?.value).toBe(25 * WAN);
      expect((await cell(v, 'unit', h.fx.units.t2, '2026-07'))?.value).toBe(50 * WAN);
      expect((await cell(v, 'unit', h.fx.units.east, '2026-07'))?.value).toBe(75 * WAN);
      // The closed (active) and frozen (draft) months stay with the old team
      expect(await cell(v, 'member', h.fx.members.rep1, '2026-02')).toMatchObject({
        value: 25 * WAN,
        parent: h.fx.units.t1,
      });
      expect((await cell(v, 'unit', h.fx.units.t1, '2026-02'))?.value).toBe(50 * WAN);
      expect(await unbalancedSplits(t.db, v)).toEqual([]);
      expect(await gridChecks(v)).toEqual([]);
    }
    const log = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'transfer_targets')
      .orderBy('id')
      .execute();
    expect(log.map((l) => Number(l.entity_id))).toEqual([active, draft]);
    expect(JSON.parse(log[0]!.after!)).toMatchObject({
      memberId: h.fx.members.rep1,
      decision: 'move',
      metric: 'revenue',
      total: 250 * WAN,
      toUnitId: h.fx.units.t2,
    });
    // The version moved on: a grid edit holding the old version conflicts
    const stale = await call('admin', 'PUT', `/api/plan-versions/${draft}/cells`, {
      version: 1,
      cellsRev: 0,
      edits: [{ cellId: 1, value: 1 }],
    });
    expect(stale.statusCode).toBe(409);
  });

  it('keep: a mid-month transfer keeps the rest of the year with the old team, with a note', async () => {
    const res = await transfer('admin', h.fx.members.rep4, {
      unitId: h.fx.units.t1,
      date: '2026-10-15',
      targets: { decision: 'keep' },
    });
    expect(res.statusCode, res.body).toBe(200);
    for (const v of [active, draft]) {
      // October is handed over from November on; the cells stay under T3
      const oct = await cell(v, 'member', h.fx.members.rep4, '2026-10');
      expect(oct).toMatchObject({ value: 25 * WAN, parent: h.fx.units.t3, note: null });
      const nov = await cell(v, 'member', h.fx.members.rep4, '2026-11');
      expect(nov).toMatchObject({ value: 25 * WAN, parent: h.fx.units.t3 });
      expect(nov!.note).toContain('2026-10-15');
      expect((await cell(v, 'unit', h.fx.units.t3, '2026-11'))?.value).toBe(25 * WAN);
      expect((await cell(v, 'unit', h.fx.units.t1, '2026-11'))?.value).toBe(25 * WAN);
      expect(await unbalancedSplits(t.db, v)).toEqual([]);
      // The grid shows the kept months under the old team, so every team still adds up
      expect(await gridChecks(v)).toEqual([]);
    }
  });

  it('re-split: refused when nobody is left in the old team', async () => {
    // From March on rep2 is T1's only member in the plan
    const res = await transfer('mgrEast', h.fx.members.rep2, {
      unitId: h.fx.units.t2,
      date: '2026-09-01',
      targets: { decision: 'resplit' },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'TRANSFER_RESPLIT_NO_MEMBERS' });
    expect((await call('admin', 'GET', `/api/members/${h.fx.members.rep2}`)).json().unitId).toBe(
      h.fx.units.t1,
    );
  });

  it('re-split: the old team absorbs the rest; the member starts in the new team with what was entered', async () => {
    // rep3 leaves T2 (now rep1 and rep3, 25万 each) for T3 from September, with 40万 there
    const res = await transfer('admin', h.fx.members.rep3, {
      unitId: h.fx.units.t3,
      date: '2026-09-01',
      targets: { decision: 'resplit', newUnitAmounts: { revenue: 40 * WAN } },
    });
    expect(res.statusCode, res.body).toBe(200);
    for (const v of [active, draft]) {
      for (const m of ['2026-09', '2026-10', '2026-11', '2026-12']) {
        // T2 keeps its 50万, all on rep1 now
        expect((await cell(v, 'unit', h.fx.units.t2, m))?.value).toBe(50 * WAN);
        expect((await cell(v, 'member', h.fx.members.rep1, m))?.value).toBe(50 * WAN);
        // rep3 has 10万 a month in T3, taken from rep4; T3 and West are unchanged
        expect(await cell(v, 'member', h.fx.members.rep3, m)).toMatchObject({
          value: 10 * WAN,
          parent: h.fx.units.t3,
        });
        expect((await cell(v, 'member', h.fx.members.rep4, m))?.value).toBe(15 * WAN);
        expect((await cell(v, 'unit', h.fx.units.t3, m))?.value).toBe(25 * WAN);
      }
      // August is untouched
      expect((await cell(v, 'member', h.fx.members.rep3, '2026-08'))?.value).toBe(25 * WAN);
      expect(await unbalancedSplits(t.db, v)).toEqual([]);
      expect(await gridChecks(v)).toEqual([]);
    }
    const log = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'transfer_targets')
      .orderBy('id', 'desc')
      .limit(1)
      .execute();
    const after = JSON.parse(log[0]!.after!);
    expect(after).toMatchObject({ decision: 'resplit', total: 100 * WAN });
    expect(after.months).toEqual(
      ['2026-09', '2026-10', '2026-11', '2026-12'].map((period) => ({
        period,
        amount: 25 * WAN,
        newUnit: 10 * WAN,
      })),
    );
  });

  it('needs no decision when nothing is left behind', async () => {
    const preview = await call(
      'admin',
      'GET',
      `/api/members/${h.fx.members.mgrEast}/transfer-targets?unitId=${h.fx.units.t1}&date=2026-04-01`,
    );
    expect(preview.json()).toMatchObject({ needsDecision: false, targets: [] });
    const res = await transfer('admin', h.fx.members.mgrEast, {
      unitId: h.fx.units.t1,
      date: '2026-04-01',
    });
    expect(res.statusCode, res.body).toBe(200);
  });
});
