import { rebuildRollups } from '../../src/app/facts/rebuild-rollups.ts';
import type { Db } from '../../src/db/connect.ts';
import { ensureBuiltinMetrics } from '../../src/db/plans/metrics.ts';
import type { Fixture } from './app.ts';

/**
 * March 2026 sales and targets for the report tests, over the fixture of test/support/app.ts
 * ("today" 2026-03-16, a Monday; yesterday Sunday the 15th). Revenue targets: East 6,000,000
 * (T1 4,000,000, T2 2,000,000), West 4,000,000 (T3), HQ 10,000,000; a deals target for East.
 */
export async function seedReportData(db: Db, fx: Fixture): Promise<void> {
  const { units: u, members: m } = fx;
  let n = 0;
  const line = (date: string, member: number, unit: number, amount: number) => ({
    ext_id: `RL${++n}`,
    batch_id: 1,
    order_no: `RSO${n}`,
    order_date: date,
    member_id: member,
    org_unit_id: unit,
    amount,
  });
  await db
    .insertInto('order_lines')
    .values([
      line('2026-03-02', m.rep1, u.t1, 300_000),
      line('2026-03-09', m.rep2, u.t1, 500_000),
      line('2026-03-10', m.rep3, u.t2, 700_000),
      line('2026-03-13', m.rep4, u.t3, 200_000),
      // yesterday
      line('2026-03-15', m.rep1, u.t1, 100_000),
      // today: not in any report yet
      line('2026-03-16', m.rep1, u.t1, 999),
    ])
    .execute();
  await rebuildRollups(db);

  await ensureBuiltinMetrics(db, new Date('2026-03-01T00:00:00Z'));
  const metricId = async (code: string) =>
    (await db.selectFrom('metrics').select('id').where('code', '=', code).executeTakeFirstOrThrow())
      .id;
  const [revenue, deals] = [await metricId('revenue'), await metricId('deals')];
  const now = '2026-03-01T00:00:00.000Z';
  const plan = await db
    .insertInto('plans')
    .values({ fiscal_year: 2026, name_zh: '2026年度', name_en: 'FY2026', created_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const version = await db
    .insertInto('plan_versions')
    .values({
      plan_id: plan.id,
      number: 1,
      status: 'active',
      settings: JSON.stringify({ basePct: 8_000, challengePct: 12_000, bufferPct: 1_500 }),
      created_at: now,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const cell = (metric: number, type: 'unit' | 'member', id: number, value: number) => ({
    version_id: version.id,
    metric_id: metric,
    owner_type: type,
    owner_id: id,
    period: '2026-03',
    value,
  });
  await db
    .insertInto('target_cells')
    .values([
      cell(revenue, 'unit', u.hq, 10_000_000),
      cell(revenue, 'unit', u.east, 6_000_000),
      cell(revenue, 'unit', u.west, 4_000_000),
      cell(revenue, 'unit', u.t1, 4_000_000),
      cell(revenue, 'unit', u.t2, 2_000_000),
      cell(revenue, 'unit', u.t3, 4_000_000),
      cell(revenue, 'member', m.rep1, 2_000_000),
      cell(revenue, 'member', m.rep2, 2_000_000),
      cell(revenue, 'member', m.rep3, 2_000_000),
      cell(revenue, 'member', m.rep4, 4_000_000),
      cell(deals, 'unit', u.east, 10),
    ])
    .execute();
}
