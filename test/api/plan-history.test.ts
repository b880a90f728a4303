import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { getSettings, updateSettings } from '../../src/db/settings.ts';
import { rebuildRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { describeEachDialect } from '../support/databases.ts';
import { FIXED_NOW, useApp } from '../support/app.ts';

const WAN = 1_000_000; // 1万元 in fen

async function sheetOf(body: Buffer): Promise<(string | number | null)[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(body as unknown as ArrayBuffer);
  const ws = wb.worksheets[0]!;
  const rows: (string | number | null)[][] = [];
  ws.eachRow((r) =>
    rows.push(
      (r.values as unknown[])
        .slice(1)
        .map((v) => (v === undefined ? null : (v as string | number))),
    ),
  );
  return rows;
}

/**
 * The planner's history (last years' monthly actuals, from the rollups) and its spreadsheet
 * exports, over the small company of test/support/app.ts. Orders: FY2025 East 1,000万 in March and
 * 200万 in December, West 300万 in March; FY2024 East 400万 in March; one FY2026 order that must
 * not count.
 */
describeEachDialect('plans: history and exports', (t) => {
  const h = useApp(t);
  const call = async (
    user: string,
    url: string,
    method: 'GET' | 'POST' | 'PUT' = 'GET',
    payload?: object,
  ) =>
    h.app.inject({
      method,
      url,
      headers: { cookie: await h.login(user) },
      ...(payload ? { payload } : {}),
    });
  let v1 = 0;
  let v2 = 0;

  beforeAll(async () => {
    const { units: u, members: m } = h.fx;
    let n = 0;
    const line = (date: string, member: number, unit: number, amount: number) => ({
      ext_id: `H${++n}`,
      batch_id: 1,
      order_no: `SO-H${n}`,
      order_date: date,
      member_id: member,
      org_unit_id: unit,
      product_line_id: 0,
      amount,
      gross_profit: amount / 4,
    });
    await t.db
      .insertInto('order_lines')
      .values([
        line('2025-03-05', m.rep1, u.t1, 600 * WAN),
        line('2025-03-20', m.rep3, u.t2, 400 * WAN),
        line('2025-12-31', m.rep2, u.t1, 200 * WAN),
        line('2025-03-10', m.rep4, u.t3, 300 * WAN),
        line('2024-03-01', m.rep1, u.t1, 400 * WAN),
        line('2026-01-15', m.rep1, u.t1, 999 * WAN),
      ])
      .execute();
    await rebuildRollups(t.db);
    const res = await call('admin', '/api/plans', 'POST', {
      fiscalYear: 2026,
      nameZh: '2026年计划',
      nameEn: 'Plan 2026',
    });
    v1 = res.json().versions[0].id;
  });

  describe('history', () => {
    it("gives the company's monthly actuals of the years before the plan's, last year first", async () => {
      // When the director asks for two years of revenue
      const res = await call('admin', `/api/plan-versions/${v1}/history?metric=revenue&years=2`);
      // Then FY2025 and FY2024 come back month by month, FY2026's order left out
      expect(res.statusCode, res.body).toBe(200);
      const body = res.json();
      expect(body.metric).toBe('revenue');
      expect(body.unitId).toBe(h.fx.units.hq);
      expect(body.years.map((y: { fiscalYear: number }) => y.fiscalYear)).toEqual([2025, 2024]);
      const [y2025, y2024] = body.years;
      expect(y2025.months).toHaveLength(12);
      expect(y2025.months[0]).toEqual({ month: '2025-01', amount: 0 });
      expect(y2025.months[2]).toEqual({ month: '2025-03', amount: 1300 * WAN });
      expect(y2025.months[11]).toEqual({ month: '2025-12', amount: 200 * WAN });
      expect(y2025.total).toBe(1500 * WAN);
      expect(y2025.complete).toBe(true);
      expect(y2024.total).toBe(400 * WAN);
      expect(body.lastYearActual).toBe(1500 * WAN);
    });

    it('reads gross profit and deals too, and one unit when asked', async () => {
      const gp = (
        await call('admin', `/api/plan-versions/${v1}/history?metric=gross_profit&years=1`)
      ).json();
      expect(gp.lastYearActual).toBe(375 * WAN);
      const deals = (
        await call(
          'admin',
          `/api/plan-versions/${v1}/history?metric=deals&years=1&unitId=${h.fx.units.west}`,
        )
      ).json();
      expect(deals).toMatchObject({ unitId: h.fx.units.west, lastYearActual: 1 });
    });

    it("lets a manager read their own subtree (by default) but not another's, and refuses reps", async () => {
      const own = await call('mgrEast', `/api/plan-versions/${v1}/history?years=1`);
      expect(own.statusCode, own.body).toBe(200);
      expect(own.json()).toMatchObject({ unitId: h.fx.units.east, lastYearActual: 1200 * WAN });
      expect(
        (await call('mgrEast', `/api/plan-versions/${v1}/history?unitId=${h.fx.units.west}`))
          .statusCode,
      ).toBe(403);
      expect(
        (await call('mgrEast', `/api/plan-versions/${v1}/history?unitId=${h.fx.units.hq}`))
          .statusCode,
      ).toBe(403);
      expect((await call('rep1', `/api/plan-versions/${v1}/history`)).statusCode).toBe(403);
      expect((await call('finance', `/api/plan-versions/${v1}/history`)).statusCode).toBe(403);
    });

    it("gives last year's actual of every unit and member, for the org split by history", async () => {
      const { units: u, members: m } = h.fx;
      const res = await call('admin', `/api/plan-versions/${v1}/history/owners`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toEqual({
        metric: 'revenue',
        fiscalYear: 2025,
        complete: true,
        owners: {
          [`unit:${u.hq}`]: 1500 * WAN,
          [`unit:${u.east}`]: 1200 * WAN,
          [`unit:${u.west}`]: 300 * WAN,
          [`unit:${u.t1}`]: 800 * WAN,
          [`unit:${u.t2}`]: 400 * WAN,
          [`unit:${u.t3}`]: 300 * WAN,
          [`member:${m.rep1}`]: 600 * WAN,
          [`member:${m.rep2}`]: 200 * WAN,
          [`member:${m.rep3}`]: 400 * WAN,
          [`member:${m.rep4}`]: 300 * WAN,
        },
      });
      // A manager reads their own subtree only; a rep reads none.
      const mgr = await call('mgrEast', `/api/plan-versions/${v1}/history/owners`);
      expect(Object.keys(mgr.json().owners).sort()).toEqual(
        [
          `unit:${u.east}`,
          `unit:${u.t1}`,
          `unit:${u.t2}`,
          `member:${m.rep1}`,
          `member:${m.rep2}`,
          `member:${m.rep3}`,
        ].sort(),
      );
      expect(
        (await call('mgrEast', `/api/plan-versions/${v1}/history/owners?unitId=${u.west}`))
          .statusCode,
      ).toBe(403);
      expect((await call('rep1', `/api/plan-versions/${v1}/history/owners`)).statusCode).toBe(403);
    });

    it('follows the fiscal year start month from the settings', async () => {
      // Given a fiscal year that starts in April: FY2025 is 2025-04 … 2026-03
      const s = await getSettings(t.db);
      await updateSettings(t.db, s.version, { ...s, fiscalYearStartMonth: 4 }, FIXED_NOW);
      try {
        const body = (await call('admin', `/api/plan-versions/${v1}/history?years=2`)).json();
        expect(body.years[0].months[0].month).toBe('2025-04');
        expect(body.years[0].months[11].month).toBe('2026-03');
        // December 2025 and January 2026 in FY2025; March 2025 in FY2024
        expect(body.lastYearActual).toBe(1199 * WAN);
        // "today" (2026-03-16) lies inside FY2025 now: its total is to date
        expect(body.years[0].complete).toBe(false);
        expect(body.years[1].total).toBe(1300 * WAN);
      } finally {
        const now = await getSettings(t.db);
        await updateSettings(t.db, now.version, { ...now, fiscalYearStartMonth: 1 }, FIXED_NOW);
      }
    });
  });

  describe('exports', () => {
    beforeAll(async () => {
      const v = (await call('admin', `/api/plan-versions/${v1}`)).json();
      const r = await call('admin', `/api/plan-versions/${v1}/commit`, 'PUT', {
        version: v.version,
        target: 1200 * WAN + 55,
      });
      expect(r.statusCode, r.body).toBe(200);
      const copy = await call('admin', `/api/plan-versions/${v1}/copy`, 'POST', {});
      expect(copy.statusCode, copy.body).toBe(201);
      v2 = copy.json().id;
      const d = (await call('admin', `/api/plan-versions/${v2}`)).json();
      const c2 = await call('admin', `/api/plan-versions/${v2}/commit`, 'PUT', {
        version: d.version,
        target: 1300 * WAN,
      });
      expect(c2.statusCode, c2.body).toBe(200);
    });

    it('exports the version compare with money in 元 and headers in the asked language', async () => {
      const res = await call('admin', `/api/plan-versions/compare.xlsx?a=${v1}&b=${v2}&lang=zh-CN`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-disposition']).toContain('.xlsx');
      const rows = await sheetOf(res.rawPayload);
      expect(rows[0]).toEqual([
        '类型',
        '责任主体',
        '期间',
        '第 1 版（元）',
        '第 2 版（元）',
        '变化（后 − 前）（元）',
      ]);
      expect(rows[1]).toEqual(['组织', '组织HQ', 'FY2026', 12_000_000.55, 13_000_000, 999_999.45]);
    });

    it('exports proposals and the monthly table, in English by the caller', async () => {
      const p = await call('admin', `/api/plan-versions/${v2}/proposals.xlsx?lang=en`);
      expect(p.statusCode, p.body).toBe(200);
      const prows = await sheetOf(p.rawPayload);
      expect(prows[0]?.slice(0, 4)).toEqual(['Level', 'Type', 'Owner', 'Assigned (yuan)']);
      expect(prows[1]?.slice(0, 4)).toEqual([0, 'Unit', 'Unit HQ', 13_000_000]);
      const m = await call(
        'admin',
        `/api/plan-versions/${v2}/monthly-table.xlsx?month=2026-03&lang=en`,
      );
      expect(m.statusCode, m.body).toBe(200);
      const mrows = await sheetOf(m.rawPayload);
      expect(mrows[0]).toEqual([
        'Type',
        'Owner',
        'Metric',
        'Unit',
        'Monthly target',
        'Weekly average',
        'Week 1',
        'Week 2',
        'Week 3',
        'Week 4',
        'Key strategy',
      ]);
    });

    it('keeps the JSON reads’ scope: a rep cannot export the company proposals', async () => {
      expect(
        (await call('rep1', `/api/plan-versions/${v2}/proposals.xlsx?unitId=${h.fx.units.hq}`))
          .statusCode,
      ).toBe(403);
    });
  });
});
