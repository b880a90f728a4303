import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';
import { versionOf } from '../support/plan-version.ts';

const WAN = 10_000_00; // 1万元 in fen

describeEachDialect('plans: the whole plan in one call', (t) => {
  const h = useApp(t);
  const { call } = h;
  let versionId = 0;
  let lines: number[] = [];
  const cells = () =>
    t.db.selectFrom('target_cells').selectAll().where('version_id', '=', versionId).execute();

  const cascade = (user: string, time: object, extra: object = {}) =>
    call(user, 'POST', `/api/plan-versions/${versionId}/decompose`, {
      mode: 'cascade',
      parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
      ...time,
      org: { method: 'even', inputs: {} },
      productLines: {
        method: 'weights',
        inputs: { weights: { [String(lines[0])]: 3, [String(lines[1])]: 1 } },
      },
      ...extra,
    });

  it('splits the year over months, the org and product lines, every level exact', async () => {
    // Given two product lines and a committed 1,200万
    for (const code of ['HW', 'SW']) {
      const res = await call('admin', 'POST', '/api/product-lines', {
        parentId: null,
        code,
        nameZh: code,
        nameEn: code,
      });
      expect(res.statusCode, res.body).toBe(201);
      lines.push(res.json().id);
    }
    lines = lines.slice(0, 2);
    versionId = (
      await call('admin', 'POST', '/api/plans', {
        fiscalYear: 2026,
        nameZh: '计划',
        nameEn: 'Plan',
      })
    ).json().versions[0].id;
    expect(
      (
        await call('admin', 'PUT', `/api/plan-versions/${versionId}/commit`, {
          version: await versionOf(call, versionId),
          target: 1200 * WAN,
        })
      ).statusCode,
    ).toBe(200);

    // When the director cascades it: Q 40/25/30/5, even per member, products 3:1
    expect(
      (
        await cascade('mgrEast', {
          method: 'seasonality',
          inputs: { quarterPercentsBp: [4000, 2500, 3000, 500] },
        })
      ).statusCode,
    ).toBe(403);
    const res = await cascade('admin', {
      method: 'seasonality',
      inputs: { quarterPercentsBp: [4000, 2500, 3000, 500] },
    });
    expect(res.statusCode, res.body).toBe(200);
    // 12 root months + 12 × (5 units + 4 reps) + 12 × 4 reps × 2 lines
    expect(res.json().cellsWritten).toBe(12 + 108 + 96);

    // Then every set of children sums exactly to its parent
    const all = await cells();
    const byId = new Map(all.map((c) => [c.id, c]));
    const splits = await t.db
      .selectFrom('target_splits')
      .selectAll()
      .where('version_id', '=', versionId)
      .execute();
    // one time split; per month one org split for each of HQ, EAST, WEST, T1, T2, T3; one product split per rep-month
    expect(splits.length).toBe(1 + 12 * 6 + 12 * 4);
    for (const s of splits) {
      const kids = all.filter((c) => c.split_id === s.id);
      const parentKey = JSON.parse(s.parent_key);
      const parent = all.find(
        (c) =>
          c.owner_type === parentKey.ownerType &&
          c.owner_id === parentKey.ownerId &&
          c.period === parentKey.period &&
          c.product_line_id === parentKey.productLineId,
      );
      expect(
        kids.reduce((a, k) => a + k.value, 0),
        s.parent_key,
      ).toBe(parent!.value);
    }
    // Each rep carries a quarter of the year, 3:1 over the product lines
    const rep1 = all.filter(
      (c) =>
        c.owner_type === 'member' && c.owner_id === h.fx.members.rep1 && c.product_line_id === 0,
    );
    expect(rep1.reduce((a, c) => a + c.value, 0)).toBe(300 * WAN);
    const rep1Jan = rep1.find((c) => c.period === '2026-01')!;
    expect(rep1Jan.value).toBe(40 * WAN);
    const hw = all.find(
      (c) =>
        c.owner_id === h.fx.members.rep1 &&
        c.period === '2026-01' &&
        c.product_line_id === lines[0],
    )!;
    expect(hw.value).toBe(30 * WAN);
    expect(byId.get(hw.id)!.split_id).not.toBeNull();
    const grid = (await call('admin', 'GET', `/api/plan-versions/${versionId}/grid`)).json();
    expect(grid.rows.filter((r: { check: boolean }) => r.check)).toEqual([]);
  });

  it('re-spreads the product lines below a member when their month is edited', async () => {
    const rows = (await call('admin', 'GET', `/api/plan-versions/${versionId}/grid`)).json().rows;
    const r1 = rows.find((r: { code: string }) => r.code === 'R1').cells['2026-01'];
    const { version, cellsRev } = (
      await call('admin', 'GET', `/api/plan-versions/${versionId}`)
    ).json();
    const res = await call('mgrEast', 'PUT', `/api/plan-versions/${versionId}/cells`, {
      version,
      cellsRev,
      edits: [{ cellId: r1.cellId, value: 48 * WAN }],
    });
    expect(res.statusCode, res.body).toBe(200);
    const all = await cells();
    const pl = all.filter(
      (c) =>
        c.owner_id === h.fx.members.rep1 &&
        c.owner_type === 'member' &&
        c.period === '2026-01' &&
        c.product_line_id !== 0,
    );
    expect(pl.map((c) => c.value).sort((a, b) => b - a)).toEqual([36 * WAN, 12 * WAN]);
    const r2 = all.find(
      (c) =>
        c.owner_id === h.fx.members.rep2 &&
        c.owner_type === 'member' &&
        c.period === '2026-01' &&
        c.product_line_id === 0,
    )!;
    expect(r2.value).toBe(32 * WAN);
  });

  it('keeps locks and key strategies when the plan is rebuilt by working days', async () => {
    const rows = (await call('admin', 'GET', `/api/plan-versions/${versionId}/grid`)).json().rows;
    const r1 = rows.find((r: { code: string }) => r.code === 'R1').cells['2026-01'];
    await call('mgrEast', 'PUT', `/api/plan-versions/${versionId}/monthly-table`, {
      cellId: r1.cellId,
      keyStrategy: '老客户续约',
    });
    const res = await cascade('admin', { method: 'working_days', inputs: {} });
    expect(res.statusCode, res.body).toBe(200);
    const months = res.json().months as { period: string; value: number }[];
    expect(months.reduce((a, m) => a + m.value, 0)).toBe(1200 * WAN);
    // Spring Festival makes February lighter than March
    expect(months[1]!.value).toBeLessThan(months[2]!.value);
    const all = await cells();
    const kept = all.find(
      (c) =>
        c.owner_type === 'member' &&
        c.owner_id === h.fx.members.rep1 &&
        c.period === '2026-01' &&
        c.product_line_id === 0,
    )!;
    expect(kept).toMatchObject({ value: 48 * WAN, locked: 1, note: '老客户续约' });
    const grid = (await call('admin', 'GET', `/api/plan-versions/${versionId}/grid`)).json();
    expect(grid.rows.filter((r: { check: boolean }) => r.check)).toEqual([]);
  });

  it('lets the director (manager of the company root) approve and activate what another submitted', async () => {
    await t.db
      .updateTable('org_units')
      .set({ manager_member_id: h.fx.members.mgrWest })
      .where('id', '=', h.fx.units.hq)
      .execute();
    expect(
      (
        await call('admin', 'POST', `/api/plan-versions/${versionId}/submit`, {
          version: await versionOf(call, versionId),
        })
      ).statusCode,
    ).toBe(200);
    expect(
      (
        await call('mgrWest', 'POST', `/api/plan-versions/${versionId}/approve`, {
          version: await versionOf(call, versionId),
        })
      ).statusCode,
    ).toBe(200);
    const res = await call('mgrWest', 'POST', `/api/plan-versions/${versionId}/activate`, {
      version: await versionOf(call, versionId),
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'active', activatedAt: expect.any(String) });
  });
});
