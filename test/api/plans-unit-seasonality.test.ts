import { expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';
import { versionOf } from '../support/plan-version.ts';

const WAN = 10_000_00; // 1万元 in fen
const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);

describeEachDialect('plans: each unit’s own seasonality in the cascade', (t) => {
  const h = useApp(t);
  const { call } = h;
  let versionId = 0;

  const cascade = (user: string, seasonality?: 'company' | 'own', metricCode?: string) =>
    call(user, 'POST', `/api/plan-versions/${versionId}/decompose`, {
      mode: 'cascade',
      ...(metricCode ? { metricCode } : {}),
      parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
      method: 'even',
      inputs: {},
      org: { method: 'even', inputs: {}, ...(seasonality ? { seasonality } : {}) },
    });
  const unitMonths = async (unitId: number) =>
    (
      await t.db
        .selectFrom('target_cells')
        .select(['period', 'value'])
        .where('version_id', '=', versionId)
        .where('owner_type', '=', 'unit')
        .where('owner_id', '=', unitId)
        .where('product_line_id', '=', 0)
        .where('period', 'in', MONTHS)
        .orderBy('period')
        .execute()
    ).map((c) => c.value);

  it('Given a region that sold its year in December, When the plan is cascaded with own seasonality, Then its months follow its history and every margin stays exact', async () => {
    // Given FY2025: EAST's R1 sells a twelfth of its year… except a December twelve times a
    // month (200 orders a month each), R3 evenly, WEST's R4 evenly.
    const rows: object[] = [];
    for (let m = 1; m <= 12; m++) {
      const month = `2025-${String(m).padStart(2, '0')}`;
      for (let k = 0; k < 200; k++) {
        const date = `${month}-${String((k % 28) + 1).padStart(2, '0')}`;
        rows.push({ extId: `R1-${m}-${k}`, date, ownerCode: 'R1', amount: m === 12 ? 120 : 10 });
        rows.push({ extId: `R3-${m}-${k}`, date, ownerCode: 'R3', amount: 10 });
        rows.push({ extId: `R4-${m}-${k}`, date, ownerCode: 'R4', amount: 20 });
      }
    }
    // and this year, EAST has sold 20万 in January
    for (let k = 0; k < 100; k++)
      rows.push({ extId: `NOW-${k}`, date: '2026-01-15', ownerCode: 'R3', amount: 2000 });
    const imported = await call('admin', 'POST', '/api/facts/orders/batch', { rows });
    expect(imported.statusCode, imported.body).toBe(200);
    versionId = (
      await call('admin', 'POST', '/api/plans', {
        fiscalYear: 2026,
        nameZh: '计划',
        nameEn: 'Plan',
      })
    ).json().versions[0].id;
    const commit = await call('admin', 'PUT', `/api/plan-versions/${versionId}/commit`, {
      version: await versionOf(call, versionId),
      target: 1200 * WAN,
    });
    expect(commit.statusCode, commit.body).toBe(200);

    // When cascaded with the company's months: every unit is flat like the company's even split
    expect((await cascade('admin')).statusCode).toBe(200);
    const eastFlat = await unitMonths(h.fx.units.east);
    expect(eastFlat.every((v) => v === 75 * WAN)).toBe(true);

    // And then with each unit's own history blended toward its parent's (a manager may not)
    expect((await cascade('mgrEast', 'own')).statusCode).toBe(403);
    const res = await cascade('admin', 'own');
    expect(res.statusCode, res.body).toBe(200);

    // Then the years are the org method's (3 of 4 reps in EAST), the months the company's
    const east = await unitMonths(h.fx.units.east);
    const west = await unitMonths(h.fx.units.west);
    const t1 = await unitMonths(h.fx.units.t1);
    const t2 = await unitMonths(h.fx.units.t2);
    const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
    expect(sum(east)).toBe(900 * WAN);
    expect(sum(west)).toBe(300 * WAN);
    MONTHS.forEach((_, j) => expect(east[j]! + west[j]!).toBe(100 * WAN));
    MONTHS.forEach((_, j) => expect(t1[j]! + t2[j]!).toBe(east[j]));
    // And EAST's December outweighs its other months; WEST (even history, drawn halfway to the
    // company's December-heavy shape) leans less into December than EAST
    expect(east[11]!).toBeGreaterThan(east[0]! * 1.1);
    expect(west[11]! / sum(west)).toBeLessThan(east[11]! / sum(east));
    // T1 (R1's December) leans further into December than T2 (R3, even)
    expect(t1[11]! / sum(t1)).toBeGreaterThan(t2[11]! / sum(t2));
    const detail = (await call('admin', 'GET', `/api/plan-versions/${versionId}`)).json();
    expect(detail.decomposedBy.org.inputs).toMatchObject({ seasonality: 'own' });
    // Every split's children still add up to their parent
    const cells = await t.db
      .selectFrom('target_cells')
      .selectAll()
      .where('version_id', '=', versionId)
      .execute();
    const splits = await t.db
      .selectFrom('target_splits')
      .selectAll()
      .where('version_id', '=', versionId)
      .execute();
    for (const s of splits) {
      const key = JSON.parse(s.parent_key);
      const parent = cells.find(
        (c) =>
          c.owner_type === key.ownerType &&
          c.owner_id === key.ownerId &&
          c.period === key.period &&
          c.product_line_id === key.productLineId,
      )!;
      const kids = cells.filter((c) => c.split_id === s.id);
      expect(sum(kids.map((k) => k.value)), s.parent_key).toBe(parent.value);
    }
  });

  it('refuses own seasonality with locked cells below the company, naming why', async () => {
    const cell = await t.db
      .selectFrom('target_cells')
      .select('id')
      .where('version_id', '=', versionId)
      .where('owner_type', '=', 'unit')
      .where('owner_id', '=', h.fx.units.west)
      .where('period', '=', '2026-05')
      .where('product_line_id', '=', 0)
      .executeTakeFirstOrThrow();
    await t.db.updateTable('target_cells').set({ locked: 1 }).where('id', '=', cell.id).execute();
    const res = await cascade('admin', 'own');
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'PLANNING_INVALID' });
    expect(JSON.stringify(res.json())).toContain('locked');
    await t.db.updateTable('target_cells').set({ locked: 0 }).where('id', '=', cell.id).execute();
  });

  it('When the plan is active, Then the seasonal forecast reads each unit’s own months from its targets', async () => {
    for (const step of ['submit', 'approve', 'activate']) {
      const r = await call('admin', 'POST', `/api/plan-versions/${versionId}/${step}`, {
        version: await versionOf(call, versionId),
        ...(step === 'submit' ? {} : { overrideReason: 'one administrator in the fixture' }),
      });
      expect(r.statusCode, r.body).toBe(200);
    }
    const seasonal = async (unitId: number) => {
      const r = await call('admin', 'GET', `/api/tracking/overview?unitId=${unitId}&period=FY2026`);
      expect(r.statusCode, r.body).toBe(200);
      return r.json().forecast.seasonal as number;
    };
    // The company's months are even and its only sale is EAST's 20万. With the company's shape
    // EAST's months would be 75% of the company's each month and both project the same year;
    // with its own (December-heavy) shape less of EAST's year lies behind by March 16, so the
    // same 20万 projects more.
    const hq = await seasonal(h.fx.units.hq);
    const east = await seasonal(h.fx.units.east);
    expect(hq).toBeGreaterThan(0);
    expect(east).toBeGreaterThan(hq);
  });
});
