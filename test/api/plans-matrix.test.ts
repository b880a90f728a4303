import { beforeAll, expect, it } from 'vitest';
import { rebuildRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { unbalancedSplits } from './plan-invariants.ts';
import { versionOf } from '../support/plan-version.ts';

const WAN = 10_000_00; // 1万元 in fen

describeEachDialect('plans: the two-margin matrix fit', (t) => {
  const h = useApp(t);
  const call = (
    user: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    locale = 'en',
  ) => h.call(user, method, url, payload, locale);
  let versionId = 0;
  const lines: number[] = [];
  const regions: number[] = [];
  const version = async () =>
    (await call('admin', 'GET', `/api/plan-versions/${versionId}`)).json().version as number;
  const fit = (user: string, body: object, locale = 'en') =>
    call(
      user,
      'POST',
      `/api/plan-versions/${versionId}/matrix-fit`,
      { metricCode: 'revenue', ...body },
      locale,
    );
  const cellsOf = (where: { ownerId: number; period: string }) =>
    t.db
      .selectFrom('target_cells')
      .selectAll()
      .where('version_id', '=', versionId)
      .where('owner_id', '=', where.ownerId)
      .where('period', '=', where.period)
      .execute();

  // Given, once in a hook (not a first test the others depend on): two product lines, three
  // regions, a 1,200万 plan built down the org.
  beforeAll(async () => {
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
    for (const code of ['N', 'S', 'W']) {
      const res = await call('admin', 'POST', '/api/dimensions/region', {
        code,
        nameZh: `区域${code}`,
        nameEn: `Region ${code}`,
        attrs: { maturity: 'mature' },
      });
      expect(res.statusCode, res.body).toBe(201);
      regions.push(res.json().id);
    }
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
    const res = await call('admin', 'POST', `/api/plan-versions/${versionId}/decompose`, {
      mode: 'cascade',
      parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
      method: 'even',
      org: { method: 'even', inputs: {} },
    });
    expect(res.statusCode, res.body).toBe(200);
  });

  it('reads the matrix with margins pre-filled from the cell (even seed)', async () => {
    const res = await call(
      'admin',
      'GET',
      `/api/plan-versions/${versionId}/matrix?unitId=${h.fx.units.hq}&period=FY2026&rows=region&cols=product_line`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const m = res.json();
    expect(m.parent.value).toBe(1200 * WAN);
    expect(m.rows.map((r: { ref: string }) => r.ref)).toEqual(regions.map(String));
    expect(m.cols.map((c: { ref: string }) => c.ref)).toEqual(lines.map(String));
    expect(m.suggestedRowTotals).toEqual([400 * WAN, 400 * WAN, 400 * WAN]);
    expect(m.suggestedColTotals).toEqual([600 * WAN, 600 * WAN]);
    expect(m.current).toEqual([
      [null, null],
      [null, null],
      [null, null],
    ]);
  });

  it('names both sums when the margins disagree, in the caller’s language', async () => {
    const body = {
      unitId: h.fx.units.hq,
      period: 'FY2026',
      rowAxis: 'region',
      colAxis: 'product_line',
      rowTotals: { [regions[0]!]: 500 * WAN, [regions[1]!]: 400 * WAN, [regions[2]!]: 300 * WAN },
      colTotals: { [lines[0]!]: 700 * WAN, [lines[1]!]: 400 * WAN },
      dryRun: true,
    };
    const en = await fit('admin', body);
    expect(en.statusCode).toBe(400);
    expect(en.json()).toMatchObject({ code: 'MATRIX_TOTALS_DISAGREE' });
    expect(en.json().message).toContain('12,000,000.00');
    expect(en.json().message).toContain('11,000,000.00');
    const zh = await fit('admin', body, 'zh-CN');
    expect(zh.json().message).toBe(
      '行合计 12,000,000.00 与列合计 11,000,000.00 不一致（相差 1,000,000.00），两组合计必须相等',
    );
    // Agreeing margins that are not the cell's target are refused too
    const off = await fit('admin', {
      ...body,
      rowTotals: { ...body.rowTotals, [regions[2]!]: 200 * WAN },
    });
    expect(off.json()).toMatchObject({ code: 'MATRIX_PARENT_MISMATCH' });
  });

  const regionBody = () => ({
    unitId: h.fx.units.hq,
    period: 'FY2026',
    rowAxis: 'region',
    colAxis: 'product_line',
    seed: 'even',
    // Totals that cannot be rounded row by row: thirds of fen everywhere
    rowTotals: {
      [regions[0]!]: 500 * WAN + 1,
      [regions[1]!]: 400 * WAN + 1,
      [regions[2]!]: 300 * WAN - 2,
    },
    colTotals: { [lines[0]!]: 700 * WAN + 1, [lines[1]!]: 500 * WAN - 1 },
  });

  it('previews a fit whose every row and column is exact, writing nothing', async () => {
    const res = await fit('admin', { ...regionBody(), dryRun: true });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.applied).toBe(false);
    r.cells.forEach((row: number[], i: number) =>
      expect(row.reduce((a, x) => a + x, 0)).toBe(r.rowTotals[i]),
    );
    [0, 1].forEach((j) =>
      expect(r.cells.reduce((a: number, row: number[]) => a + row[j]!, 0)).toBe(r.colTotals[j]),
    );
    // Independence: region N gets 7/12 of its 500万 in HW, within a fen
    expect(
      Math.abs(r.cells[0][0] - ((500 * WAN + 1) * (700 * WAN + 1)) / (1200 * WAN)),
    ).toBeLessThan(1);
    expect(await cellsOf({ ownerId: h.fx.units.hq, period: 'FY2026' })).toHaveLength(1);
  });

  it('applies the fit through the cell path: version-checked, audited, explained', async () => {
    const stale = await fit('admin', { ...regionBody(), version: 1 });
    expect(stale.statusCode).toBe(409);
    const res = await fit('admin', { ...regionBody(), version: await version() });
    expect(res.statusCode, res.body).toBe(200);
    const r = res.json();
    expect(r.applied).toBe(true);
    const stored = await cellsOf({ ownerId: h.fx.units.hq, period: 'FY2026' });
    // the year, 3 region margins, 2 product-line margins, 6 cells
    expect(stored).toHaveLength(1 + 3 + 2 + 6);
    const cell = (regionId: number, lineId: number) =>
      stored.find((c) => c.region_id === regionId && c.product_line_id === lineId)!;
    regions.forEach((reg, i) => {
      expect(cell(reg, 0).value).toBe(r.rowTotals[i]);
      expect(cell(reg, lines[0]!).value + cell(reg, lines[1]!).value).toBe(r.rowTotals[i]);
    });
    lines.forEach((line, j) => {
      expect(cell(0, line).value).toBe(r.colTotals[j]);
      expect(regions.reduce((a, reg) => a + cell(reg, line).value, 0)).toBe(r.colTotals[j]);
    });
    expect(await unbalancedSplits(t.db, versionId)).toEqual([]);

    // "Why?" walks matrix_fit up to the year
    const why = (
      await call('admin', 'GET', `/api/target-cells/${cell(regions[0]!, lines[0]!).id}/why`)
    ).json();
    expect(
      why.chain.map((s: { split: { method: string } | null }) => s.split?.method ?? null),
    ).toEqual(['matrix_fit', 'matrix_fit', null]);
    expect(why.chain[0].split.inputs).toMatchObject({
      matrix: { rowAxis: 'region', colAxis: 'product_line', seed: 'even' },
      row: String(regions[0]),
      rowTotal: 500 * WAN + 1,
      colTotals: { [lines[0]!]: 700 * WAN + 1 },
    });

    const log = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('action', '=', 'matrix_fit')
      .execute();
    expect(log).toHaveLength(1);
    expect(JSON.parse(log[0]!.after!)).toMatchObject({ rowAxis: 'region', cells: r.cells });
  });

  it('keeps a locked cell and fits the rest around it', async () => {
    const stored = await cellsOf({ ownerId: h.fx.units.hq, period: 'FY2026' });
    const target = stored.find(
      (c) => c.region_id === regions[2] && c.product_line_id === lines[1],
    )!;
    const edit = await call('admin', 'PUT', `/api/plan-versions/${versionId}/cells`, {
      version: await version(),
      cellsRev: (await call('admin', 'GET', `/api/plan-versions/${versionId}`)).json().cellsRev,
      edits: [{ cellId: target.id, value: 10 * WAN }],
    });
    expect(edit.statusCode, edit.body).toBe(200);
    const body = {
      ...regionBody(),
      rowTotals: { [regions[0]!]: 400 * WAN, [regions[1]!]: 400 * WAN, [regions[2]!]: 400 * WAN },
      colTotals: { [lines[0]!]: 600 * WAN, [lines[1]!]: 600 * WAN },
      version: await version(),
    };
    const res = await fit('admin', body);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json().cells[2][1]).toBe(10 * WAN);
    expect(res.json().cells[2][0]).toBe(390 * WAN);
    expect(await unbalancedSplits(t.db, versionId)).toEqual([]);
  });

  it('fits the org × product lines of a month from last year’s actuals, re-spreading the reps', async () => {
    // Last March: T1 sold mostly HW, T2 mostly SW (order lines, then the rollups built from them)
    let n = 0;
    const sale = (unit: number, member: number, line: number, amount: number) =>
      t.db
        .insertInto('order_lines')
        .values({
          ext_id: `M-${++n}`,
          batch_id: 0,
          order_no: `MO-${n}`,
          is_primary: 1,
          order_date: '2025-03-10',
          org_unit_id: unit,
          member_id: member,
          product_line_id: line,
          amount,
        })
        .execute();
    await sale(h.fx.units.t1, h.fx.members.rep1, lines[0]!, 30 * WAN);
    await sale(h.fx.units.t1, h.fx.members.rep2, lines[1]!, 10 * WAN);
    await sale(h.fx.units.t2, h.fx.members.rep3, lines[0]!, 10 * WAN);
    await sale(h.fx.units.t2, h.fx.members.rep3, lines[1]!, 30 * WAN);
    await rebuildRollups(t.db);

    const read = await call(
      'mgrEast',
      'GET',
      `/api/plan-versions/${versionId}/matrix?unitId=${h.fx.units.east}&period=2026-03&rows=org&cols=product_line&seed=history`,
    );
    expect(read.statusCode, read.body).toBe(200);
    const m = read.json();
    expect(m.rows.map((r: { ref: string }) => r.ref)).toEqual([
      `unit:${h.fx.units.t1}`,
      `unit:${h.fx.units.t2}`,
    ]);
    expect(m.seedYear).toBe(2025);
    expect(m.seedMatrix).toEqual([
      [30 * WAN, 10 * WAN],
      [10 * WAN, 30 * WAN],
    ]);
    // The cascade gave 75万 to East, per head: T1 (two reps) 50万, T2 25万. Rows are pre-filled
    // from those cells; the columns, with no product-line cells yet, from last year's shares.
    expect(m.parent.value).toBe(75 * WAN);
    expect(m.suggestedRowTotals).toEqual([50 * WAN, 25 * WAN]);
    expect(m.suggestedColTotals).toEqual([37.5 * WAN, 37.5 * WAN]);

    // The manager moves 10万 from T2 to T1 and fits
    const res = await fit('mgrEast', {
      unitId: h.fx.units.east,
      period: '2026-03',
      rowAxis: 'org',
      colAxis: 'product_line',
      seed: 'history',
      rowTotals: {
        [`unit:${h.fx.units.t1}`]: 60 * WAN,
        [`unit:${h.fx.units.t2}`]: 15 * WAN,
      },
      colTotals: { [lines[0]!]: 37.5 * WAN, [lines[1]!]: 37.5 * WAN },
      version: await version(),
    });
    expect(res.statusCode, res.body).toBe(200);
    const cells = res.json().cells as number[][];
    // The seed's structure survives: T1 leans to HW, T2 to SW
    expect(cells[0]![0]).toBeGreaterThan(cells[0]![1]!);
    expect(cells[1]![1]).toBeGreaterThan(cells[1]![0]!);
    // T1's month moved up and its reps re-spread below it; every level still sums exactly
    const t1 = (await cellsOf({ ownerId: h.fx.units.t1, period: '2026-03' })).find(
      (c) => c.owner_type === 'unit' && c.product_line_id === 0,
    )!;
    expect(t1.value).toBe(60 * WAN);
    const reps = await t.db
      .selectFrom('target_cells')
      .select('value')
      .where('version_id', '=', versionId)
      .where('owner_type', '=', 'member')
      .where('owner_id', 'in', [h.fx.members.rep1, h.fx.members.rep2])
      .where('period', '=', '2026-03')
      .where('product_line_id', '=', 0)
      .execute();
    expect(reps.reduce((a, r) => a + r.value, 0)).toBe(t1.value);
    expect(await unbalancedSplits(t.db, versionId)).toEqual([]);
    const grid = (await call('admin', 'GET', `/api/plan-versions/${versionId}/grid`)).json();
    expect(grid.rows.filter((r: { check: boolean }) => r.check)).toEqual([]);
  });

  it('names the empty seed row, and refuses the year for an org matrix', async () => {
    const res = await fit('admin', {
      unitId: h.fx.units.hq,
      period: '2026-03',
      rowAxis: 'org',
      colAxis: 'product_line',
      seed: 'history',
      rowTotals: { [`unit:${h.fx.units.east}`]: 50 * WAN, [`unit:${h.fx.units.west}`]: 50 * WAN },
      colTotals: { [lines[0]!]: 50 * WAN, [lines[1]!]: 50 * WAN },
      dryRun: true,
    });
    // West sold nothing last March; the hq month is 100万
    expect(res.json()).toMatchObject({
      code: 'MATRIX_SEED_EMPTY',
      message: expect.stringContaining('Unit WEST'),
    });
    const year = await fit('admin', {
      unitId: h.fx.units.hq,
      period: 'FY2026',
      rowAxis: 'org',
      colAxis: 'product_line',
      rowTotals: {},
      colTotals: {},
      dryRun: true,
    });
    expect(year.json()).toMatchObject({ code: 'PLANNING_INVALID' });
  });

  it('is for planners inside their subtree, on a draft', async () => {
    const q = `/api/plan-versions/${versionId}/matrix?unitId=${h.fx.units.east}&period=2026-03&rows=org&cols=product_line`;
    expect((await call('mgrWest', 'GET', q)).statusCode).toBe(403);
    expect((await call('rep1', 'GET', q)).statusCode).toBe(403);
    expect((await call('viewer', 'GET', q)).statusCode).toBe(403);
    expect(
      (
        await fit('mgrWest', {
          unitId: h.fx.units.east,
          period: '2026-03',
          rowAxis: 'org',
          colAxis: 'product_line',
          rowTotals: {},
          colTotals: {},
          dryRun: true,
        })
      ).statusCode,
    ).toBe(403);
    await call('admin', 'POST', `/api/plan-versions/${versionId}/submit`, {
      version: await versionOf(call, versionId),
    });
    const submitted = await fit('admin', { ...regionBody(), dryRun: true });
    expect(submitted.statusCode).toBe(409);
    expect(submitted.json()).toMatchObject({ code: 'PLAN_NOT_EDITABLE' });
  });
});
