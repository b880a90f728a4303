import type { Db } from '../../src/db/connect.ts';
import { ensureBuiltinMetrics, metricByCode } from '../../src/db/plans/metrics.ts';
import { FIXED_NOW, type Fixture } from './app.ts';

export const WAN = 1_000_000; // fen in 1 万元

/**
 * Hand-made numbers (targets in an active plan per fiscal year, sales in the month rollups), then
 * the engine as the daily job runs it. Today is 2026-03-16: the last closed month is February.
 *   rep1 (T1)  target 100万, Jan 65万, Feb 66万  → review (below 70% twice, not below 60%)
 *   rep2 (T1)  target 100万, Jan 50万, Feb 55万  → stop-loss, its review suppressed
 *   rep3 (T2)  Dec 2025 100万 → 50万, Jan 65万, Feb 90万  → nothing in March; review as of February 5
 *   rep4 (T3)  target 100万, Jan 60万, Feb 69万  → review
 *   T1         target 200万, Jan 115万, Feb 121万 → review
 */
export async function seedAlertNumbers(db: Db, fx: Fixture): Promise<number> {
  const now = FIXED_NOW;
  await ensureBuiltinMetrics(db, now);
  const revenue = (await metricByCode(db, 'revenue')).id;
  const version = async (fy: number) => {
    const plan = await db
      .insertInto('plans')
      .values({
        fiscal_year: fy,
        name_zh: `${fy}`,
        name_en: `${fy}`,
        created_by: null,
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return (
      await db
        .insertInto('plan_versions')
        .values({
          plan_id: plan.id,
          number: 1,
          status: 'active',
          created_by: null,
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  };
  const v2025 = await version(2025);
  const v2026 = await version(2026);
  const target = (v: number, type: 'unit' | 'member', id: number, period: string, wan: number) =>
    db
      .insertInto('target_cells')
      .values({
        version_id: v,
        metric_id: revenue,
        owner_type: type,
        owner_id: id,
        period,
        value: wan * WAN,
        split_id: null,
        note: null,
      })
      .execute();
  const sale = async (unitId: number, memberId: number, month: string, wan: number) => {
    await db
      .insertInto('rollup_sales_month')
      .values({
        org_unit_id: unitId,
        member_id: memberId,
        product_line_id: 0,
        channel_id: 0,
        lifecycle: '',
        region_id: 0,
        segment_id: 0,
        month,
        amount: wan * WAN,
        gross_profit: 0,
        quantity: 1,
        orders: 1,
        lines: 1,
      })
      .execute();
  };
  const unitSale = (unitId: number, month: string, wan: number) =>
    db
      .insertInto('rollup_unit_month')
      .values({
        org_unit_id: unitId,
        dim: '',
        key: '',
        month,
        amount: wan * WAN,
        gross_profit: 0,
        quantity: 1,
        orders: 1,
        lines: 1,
      })
      .execute();
  const m = fx.members;
  for (const [id, unit, jan, feb] of [
    [m.rep1, fx.units.t1, 65, 66],
    [m.rep2, fx.units.t1, 50, 55],
    [m.rep3, fx.units.t2, 65, 90],
    [m.rep4, fx.units.t3, 60, 69],
  ] as const) {
    await target(v2026, 'member', id, '2026-01', 100);
    await target(v2026, 'member', id, '2026-02', 100);
    await sale(unit, id, '2026-01', jan);
    await sale(unit, id, '2026-02', feb);
  }
  await target(v2025, 'member', m.rep3, '2025-12', 100);
  await sale(fx.units.t2, m.rep3, '2025-12', 50);
  await target(v2026, 'unit', fx.units.t1, '2026-01', 200);
  await target(v2026, 'unit', fx.units.t1, '2026-02', 200);
  await unitSale(fx.units.t1, '2026-01', 115);
  await unitSale(fx.units.t1, '2026-02', 121);
  // The company has a head (no login): the escalation ladder has a rung above the region managers.
  const ceo = await db
    .insertInto('members')
    .values({
      code: 'CEO',
      name_zh: '总经理',
      name_en: 'CEO',
      tier: 'senior',
      hire_date: '2024-01-01',
      updated_at: now.toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('member_units')
    .values({
      member_id: ceo.id,
      org_unit_id: fx.units.hq,
      start_date: '2024-01-01',
      end_date: null,
    })
    .execute();
  await db
    .updateTable('org_units')
    .set({ manager_member_id: ceo.id })
    .where('id', '=', fx.units.hq)
    .execute();
  return ceo.id;
}
