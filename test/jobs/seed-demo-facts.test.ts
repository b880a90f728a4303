import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.ts';
import { parseKeyText } from '../../src/db/plans/keys.ts';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { actualsMonths, buildDemoActuals } from '../../src/app/seed-demo/actuals.ts';
import { DEMO_PASSWORD } from '../../src/app/seed-demo/demo-logins.ts';
import { buildDemoPlan } from '../../src/app/seed-demo/demo-plan.ts';
import { seedDemo } from '../../src/app/seed-demo/seed-demo.ts';
import { describeEachDialect } from '../support/databases.ts';

const TODAY = '2026-03-16';
const NOW = new Date('2026-03-16T02:00:00.000Z');
/** The company's order lines dated in March 2026 up to the 16th, in fen — pinned: the demo is deterministic. */
const MARCH_TO_DATE = 1_431_034_900;

describeEachDialect('seed-demo actuals and plan', (t) => {
  const sum = async (from: string, to: string) =>
    Number(
      (
        await t.db
          .selectFrom('order_lines')
          .select((eb) => eb.fn.sum<number>('amount').as('s'))
          .where('order_date', '>=', from)
          .where('order_date', '<=', to)
          .executeTakeFirstOrThrow()
      ).s,
    );

  // Seeded once for the file in a hook, not in a first test the others would silently depend on.
  beforeAll(async () => {
    expect(await seedDemo(t.db, { today: TODAY, now: NOW })).toMatchObject({ seeded: true });
  });

  it('has order lines in every month from FY2024 through today, and no fact dated after today', async () => {
    const months = await t.db
      .selectFrom('order_lines')
      .select(sql<string>`substr(order_date, 1, 7)`.as('m'))
      .distinct()
      .orderBy('m')
      .execute();
    expect(months.map((m) => m.m)).toEqual(actualsMonths(TODAY, 1));
    expect(months[0]!.m).toBe('2024-01');
    for (const [table, column] of [
      ['order_lines', 'order_date'],
      ['collections', 'collected_date'],
      ['leads', 'created_date'],
      ['opportunities', 'created_date'],
      ['activities', 'activity_date'],
    ] as const) {
      const r = await t.db
        .selectFrom(table)
        .select([sql<string>`max(${sql.ref(column)})`.as('last'), (eb) => eb.fn.countAll().as('n')])
        .executeTakeFirstOrThrow();
      expect(Number(r.n), table).toBeGreaterThan(1000);
      expect(r.last <= TODAY, table).toBe(true);
    }
  });

  it('leaves rollups that a full recomputation agrees with', async () => {
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('grows year on year with a strong Q4, collects about 90% and refunds a little', async () => {
    const y2024 = await sum('2024-01-01', '2024-12-31');
    const y2025 = await sum('2025-01-01', '2025-12-31');
    expect(y2025 / y2024).toBeGreaterThan(1.1);
    const q4 = await sum('2025-10-01', '2025-12-31');
    for (const [a, b] of [
      ['2025-01-01', '2025-03-31'],
      ['2025-04-01', '2025-06-30'],
      ['2025-07-01', '2025-09-30'],
    ] as const)
      expect(q4).toBeGreaterThan(await sum(a, b));
    const collected = Number(
      (
        await t.db
          .selectFrom('collections')
          .select((eb) => eb.fn.sum<number>('amount').as('s'))
          .where('collected_date', '<=', '2025-12-31')
          .executeTakeFirstOrThrow()
      ).s,
    );
    const rate = collected / (y2024 + y2025);
    expect(rate).toBeGreaterThan(0.85);
    expect(rate).toBeLessThan(0.95);
    const refunds = await t.db
      .selectFrom('order_lines')
      .select((eb) => eb.fn.countAll().as('n'))
      .where('amount', '<', 0)
      .executeTakeFirstOrThrow();
    expect(Number(refunds.n)).toBeGreaterThan(100);
  });

  it("keeps Wang Lei's sales before 1 July 2025 with East Team 1 and credits the later ones to East Team 2", async () => {
    const rows = await t.db
      .selectFrom('order_lines as o')
      .innerJoin('members as m', 'm.id', 'o.member_id')
      .innerJoin('org_units as u', 'u.id', 'o.org_unit_id')
      .select([
        'u.code',
        sql<string>`min(o.order_date)`.as('first'),
        sql<string>`max(o.order_date)`.as('last'),
      ])
      .where('m.name_en', '=', 'Wang Lei')
      .groupBy('u.code')
      .orderBy('u.code')
      .execute();
    expect(rows.map((r) => r.code)).toEqual(['EAST-1', 'EAST-2']);
    expect(rows[0]!.last < '2025-07-01').toBe(true);
    expect(rows[1]!.first >= '2025-07-01').toBe(true);
  });

  it('has an open pipeline expected to close this month', async () => {
    const open = await t.db
      .selectFrom('opportunities')
      .select(['probability_bp', 'expected_close_date'])
      .where('status', '=', 'open')
      .execute();
    expect(
      open.filter((o) => o.expected_close_date! > TODAY && o.expected_close_date! <= '2026-03-31')
        .length,
    ).toBeGreaterThan(20);
    expect(new Set(open.map((o) => o.probability_bp)).size).toBeGreaterThan(2);
    const closed = await t.db
      .selectFrom('opportunities')
      .select(['status', 'stage_history'])
      .where('status', '!=', 'open')
      .execute();
    expect(new Set(closed.map((o) => o.status))).toEqual(new Set(['won', 'lost']));
    expect(closed.every((o) => JSON.parse(o.stage_history).length >= 2)).toBe(true);
  });

  it('has exactly one active plan for the current fiscal year whose months sum to the committed target', async () => {
    const versions = await t.db
      .selectFrom('plan_versions as v')
      .innerJoin('plans as p', 'p.id', 'v.plan_id')
      .select(['v.id', 'v.number', 'v.status', 'v.committed_target', 'p.fiscal_year'])
      .orderBy('v.number')
      .execute();
    expect(versions.map((v) => [v.fiscal_year, v.number, v.status])).toEqual([
      [2026, 1, 'active'],
      [2026, 2, 'draft'],
    ]);
    const active = versions[0]!;
    const revenue = await t.db
      .selectFrom('metrics')
      .select('id')
      .where('code', '=', 'revenue')
      .executeTakeFirstOrThrow();
    const root = await t.db
      .selectFrom('org_units')
      .select('id')
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    const cells = await t.db
      .selectFrom('target_cells')
      .selectAll()
      .where('version_id', '=', active.id)
      .where('metric_id', '=', revenue.id)
      .execute();
    const plain = cells.filter(
      (c) =>
        c.product_line_id === 0 &&
        c.region_id === 0 &&
        c.segment_id === 0 &&
        c.channel_id === 0 &&
        c.lifecycle === '',
    );
    const rootCells = plain.filter((c) => c.owner_type === 'unit' && c.owner_id === root.id);
    expect(rootCells.find((c) => c.period === 'FY2026')!.value).toBe(active.committed_target);
    const months = rootCells.filter((c) => /^\d{4}-\d{2}$/.test(c.period));
    expect(months).toHaveLength(12);
    expect(months.reduce((a, c) => a + c.value, 0)).toBe(active.committed_target);
    // The committed target is last year's actual + 20%, rounded to 10万元.
    expect(
      Math.abs(active.committed_target! - (await sum('2025-01-01', '2025-12-31')) * 1.2),
    ).toBeLessThanOrEqual(5_000_000);
    // Strong Q4 in the seasonality, too.
    const q = [0, 1, 2, 3].map((i) =>
      months
        .sort((a, b) => (a.period < b.period ? -1 : 1))
        .slice(i * 3, i * 3 + 3)
        .reduce((a, c) => a + c.value, 0),
    );
    expect(Math.max(...q)).toBe(q[3]);
  });

  it('cascades every month to every rep: reps sum to their team, teams to the region, product lines to the rep', async () => {
    const v = await t.db
      .selectFrom('plan_versions')
      .select('id')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    const revenue = await t.db
      .selectFrom('metrics')
      .select('id')
      .where('code', '=', 'revenue')
      .executeTakeFirstOrThrow();
    const splits = await t.db
      .selectFrom('target_splits')
      .select(['id', 'parent_key', 'axis'])
      .where('version_id', '=', v.id)
      .where('metric_id', '=', revenue.id)
      .execute();
    const cells = await t.db
      .selectFrom('target_cells')
      .selectAll()
      .where('version_id', '=', v.id)
      .where('metric_id', '=', revenue.id)
      .execute();
    const bySplit = new Map<number, number>();
    for (const c of cells)
      if (c.split_id !== null) bySplit.set(c.split_id, (bySplit.get(c.split_id) ?? 0) + c.value);
    const cellByKey = new Map(
      cells.map((c) => [`${c.owner_type}:${c.owner_id}:${c.period}:${c.product_line_id}`, c.value]),
    );
    const axes = new Map<string, number>();
    for (const s of splits) {
      axes.set(s.axis, (axes.get(s.axis) ?? 0) + 1);
      const k = parseKeyText(s.parent_key);
      const parent = cellByKey.get(`${k.ownerType}:${k.ownerId}:${k.period}:${k.productLineId}`);
      expect(bySplit.get(s.id), s.parent_key).toBe(parent);
    }
    const teamMembers = await t.db
      .selectFrom('member_units as mu')
      .innerJoin('org_units as u', 'u.id', 'mu.org_unit_id')
      .select('mu.member_id')
      .distinct()
      .where('u.kind', '=', 'team')
      .execute();
    const repMonthCells = cells.filter(
      (c) => c.owner_type === 'member' && c.product_line_id === 0 && /^2026-\d{2}$/.test(c.period),
    );
    expect(new Set(repMonthCells.map((c) => c.owner_id))).toEqual(
      new Set(teamMembers.map((m) => m.member_id)),
    );
    expect(axes.get('org')).toBeGreaterThanOrEqual(12 * 17);
    expect(axes.get('product_line')).toBeGreaterThanOrEqual(13);
  });

  it('ranks reps with a spread: some ahead of their year-to-date target, some behind', async () => {
    const v = await t.db
      .selectFrom('plan_versions')
      .select('id')
      .where('status', '=', 'active')
      .executeTakeFirstOrThrow();
    const revenue = await t.db
      .selectFrom('metrics')
      .select('id')
      .where('code', '=', 'revenue')
      .executeTakeFirstOrThrow();
    const targets = await t.db
      .selectFrom('target_cells')
      .select(['owner_id', (eb) => eb.fn.sum<number>('value').as('v')])
      .where('version_id', '=', v.id)
      .where('metric_id', '=', revenue.id)
      .where('owner_type', '=', 'member')
      .where('product_line_id', '=', 0)
      .where('period', 'in', ['2026-01', '2026-02'])
      .groupBy('owner_id')
      .execute();
    const actuals = await t.db
      .selectFrom('rollup_sales_month')
      .select(['member_id', (eb) => eb.fn.sum<number>('amount').as('a')])
      .where('month', 'in', ['2026-01', '2026-02'])
      .groupBy('member_id')
      .execute();
    const actualOf = new Map(actuals.map((a) => [a.member_id, Number(a.a)]));
    const attainment = targets
      .filter((x) => Number(x.v) > 0)
      .map((x) => (actualOf.get(x.owner_id) ?? 0) / Number(x.v));
    expect(attainment.filter((a) => a >= 1.1).length).toBeGreaterThan(5);
    expect(attainment.filter((a) => a < 0.9).length).toBeGreaterThan(5);
  });

  it('sets a 90% collection-rate target and a new-customer count, and a v2 draft that raises the rest of the year', async () => {
    const rows = await t.db
      .selectFrom('target_cells as c')
      .innerJoin('metrics as m', 'm.id', 'c.metric_id')
      .innerJoin('plan_versions as v', 'v.id', 'c.version_id')
      .select(['m.code', 'c.value', 'v.number'])
      .where('c.period', '=', 'FY2026')
      .where('c.owner_type', '=', 'unit')
      .where('c.product_line_id', '=', 0)
      .execute();
    const of = (code: string, n: number) =>
      rows.find((r) => r.code === code && r.number === n)?.value;
    expect(of('collection_rate', 1)).toBe(9000);
    expect(of('new_customers', 1)).toBeGreaterThan(0);
    expect(of('revenue', 2)).toBeGreaterThan(of('revenue', 1)!);
    const frozen = await t.db
      .selectFrom('plan_versions')
      .select('frozen_before')
      .where('number', '=', 2)
      .executeTakeFirstOrThrow();
    expect(frozen.frozen_before).toBe('2026-03');
  });

  it('produces the same current-month numbers for the same day', async () => {
    expect(await sum('2026-03-01', TODAY)).toBe(MARCH_TO_DATE);
    const pure = buildDemoActuals(buildDemoPlan(TODAY), { today: TODAY, fiscalStartMonth: 1 });
    expect(
      pure.orders.filter((o) => o.date >= '2026-03-01').reduce((a, o) => a + o.amount, 0),
    ).toBe(MARCH_TO_DATE);
  });

  it("shows on the dashboard the company's last-year actual that a direct SQL sum over order lines gives", async () => {
    const app = await buildApp({ db: t.db, dialect: t.dialect, now: () => NOW });
    try {
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'director', password: DEMO_PASSWORD },
      });
      const cookie = `tf_session=${login.cookies.find((c) => c.name === 'tf_session')!.value}`;
      const root = await t.db
        .selectFrom('org_units')
        .select('id')
        .where('parent_id', 'is', null)
        .executeTakeFirstOrThrow();
      const res = await app.inject({
        method: 'GET',
        url: `/api/tracking/overview?unitId=${root.id}&period=FY2025&asOf=${TODAY}`,
        headers: { cookie },
      });
      expect(res.statusCode).toBe(200);
      expect(res.json().actual).toBe(await sum('2025-01-01', '2025-12-31'));
      const now = await app.inject({
        method: 'GET',
        url: `/api/tracking/overview?unitId=${root.id}&period=FY2026&asOf=${TODAY}`,
        headers: { cookie },
      });
      expect(now.json().target).toBeGreaterThan(0);
      expect(now.json().actual).toBe(await sum('2026-01-01', TODAY));
    } finally {
      await app.close();
    }
  });
});

describe('the demo actuals', () => {
  it('are the same for the same day and move with the calendar', () => {
    const a = buildDemoActuals(buildDemoPlan(TODAY), { today: TODAY, fiscalStartMonth: 1 });
    expect(buildDemoActuals(buildDemoPlan(TODAY), { today: TODAY, fiscalStartMonth: 1 })).toEqual(
      a,
    );
    const later = buildDemoActuals(buildDemoPlan('2027-05-02'), {
      today: '2027-05-02',
      fiscalStartMonth: 1,
    });
    expect(later.start).toBe('2025-01-01');
    expect(later.orders.every((o) => o.date <= '2027-05-02')).toBe(true);
    expect(later.orders.some((o) => o.date.startsWith('2027-05'))).toBe(true);
  });

  it('start two fiscal years back with a fiscal year from April', () => {
    expect(actualsMonths('2026-03-16', 4)[0]).toBe('2023-04');
    expect(actualsMonths('2026-04-01', 4)[0]).toBe('2024-04');
    expect(actualsMonths('2026-04-01', 4).at(-1)).toBe('2026-04');
  });
});
