import { insertProductLine } from '../support/catalog.ts';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import { rebuildRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { readTable } from '../../src/app/import/read-table.ts';
import { describeEachDialect } from '../support/databases.ts';
import { FIXED_NOW, useApp } from '../support/app.ts';
import { orderedTiers, studentTCdf } from '../../src/domain/tracking/index.ts';

/**
 * Tracking over a small company (see test/support/app.ts; "today" is 2026-03-16, a Monday).
 * Calendar facts the numbers below rely on (official 2026 schedule):
 *   February: Spring Festival 15–23 off, Saturdays 14 and 28 worked (调休) → 16 working days;
 *   March: no holiday → 22 working days; April: 6 April (清明) off → 21 working days.
 * T1's month targets: Feb 1,600,000 (100,000 a working day), Mar 2,200,000 (100,000), Apr
 * 4,200,000 (200,000). Every member has a March target of 1,000,000.
 */
describeEachDialect('tracking API', (t) => {
  const h = useApp(t);
  const get = async (user: string, url: string) =>
    h.app.inject({ method: 'GET', url, headers: { cookie: await h.login(user) } });
  const pl: Record<'a' | 'b' | 'c', number> = { a: 0, b: 0, c: 0 };

  beforeAll(async () => {
    const { db } = t;
    const { units: u, members: m } = h.fx;
    const now = FIXED_NOW.toISOString();
    for (const k of ['a', 'b', 'c'] as const)
      pl[k] = await insertProductLine(db, {
        code: `PL-${k}`,
        nameZh: `产品线${k}`,
        nameEn: `Line ${k}`,
      });

    let n = 0;
    const line = (
      date: string,
      member: number,
      unit: number,
      amount: number,
      productLine = 0,
      grossProfit = 0,
    ) => ({
      ext_id: `L${++n}`,
      batch_id: 1,
      order_no: `SO${n}`,
      order_date: date,
      member_id: member,
      org_unit_id: unit,
      product_line_id: productLine,
      amount,
      gross_profit: grossProfit,
    });
    await db
      .insertInto('order_lines')
      .values([
        // February 2026, T1: 800,000 up to the 13th, and one sale after it
        line('2026-02-03', m.rep1, u.t1, 300_000, 0, 90_000),
        line('2026-02-10', m.rep2, u.t1, 500_000, 0, 110_000),
        line('2026-02-20', m.rep1, u.t1, 999),
        // the comparison periods: February 2025 and January 2026
        line('2025-02-05', m.rep1, u.t1, 400_000),
        line('2025-02-20', m.rep1, u.t1, 7_000_000),
        line('2026-01-12', m.rep2, u.t1, 1_000_000),
        // the leap day and a month's last day: February 2025's comparison periods, whole
        line('2024-02-29', m.rep1, u.t1, 123_000),
        line('2025-01-31', m.rep1, u.t1, 77_000),
        // March 2026 up to the 16th (ranking: 120%, 90%, 70%, 60%, 50%, 30%)
        line('2026-03-02', m.mgrEast, u.east, 1_200_000),
        line('2026-03-03', m.rep1, u.t1, 300_000, pl.a),
        line('2026-03-04', m.rep1, u.t1, 300_000, pl.b),
        line('2026-03-05', m.rep1, u.t1, 300_000, pl.c),
        line('2026-03-06', m.rep2, u.t1, 500_000),
        line('2026-03-09', m.rep3, u.t2, 700_000),
        line('2026-03-10', m.mgrWest, u.west, 600_000),
        line('2026-03-11', m.rep4, u.t3, 300_000),
        // after today: not an actual yet
        line('2026-03-20', m.rep1, u.t1, 50_000),
        // the week 2026-W14 (30 March – 5 April)
        line('2026-03-31', m.rep1, u.t1, 100_000),
        line('2026-04-02', m.rep2, u.t1, 200_000),
      ])
      .execute();
    await rebuildRollups(db);

    await db
      .insertInto('collections')
      .values({
        ext_id: 'C1',
        batch_id: 1,
        collected_date: '2026-02-12',
        member_id: m.rep1,
        org_unit_id: u.t1,
        amount: 400_000,
      })
      .execute();
    const lead = (id: string, date: string) => ({
      ext_id: id,
      batch_id: 1,
      created_date: date,
      member_id: m.rep1,
      org_unit_id: u.t1,
    });
    await db
      .insertInto('leads')
      .values([
        lead('LD1', '2026-02-02'),
        lead('LD2', '2026-02-03'),
        lead('LD3', '2026-02-09'),
        lead('LD4', '2026-02-13'),
      ])
      .execute();
    const opp = (
      id: string,
      o: {
        created: string;
        status: string;
        amount: number;
        prob?: number;
        expected?: string;
        closed?: string;
      },
    ) => ({
      ext_id: id,
      batch_id: 1,
      created_date: o.created,
      member_id: m.rep1,
      org_unit_id: u.t1,
      amount: o.amount,
      stage: o.status,
      status: o.status,
      probability_bp: o.prob ?? 0,
      expected_close_date: o.expected ?? null,
      closed_date: o.closed ?? null,
    });
    await db
      .insertInto('opportunities')
      .values([
        opp('O1', { created: '2026-01-20', status: 'won', amount: 300_000, closed: '2026-02-10' }),
        opp('O2', { created: '2026-02-01', status: 'won', amount: 500_000, closed: '2026-02-11' }),
        opp('O3', {
          created: '2026-02-04',
          status: 'open',
          amount: 1_000_000,
          prob: 5_000,
          expected: '2026-02-25',
        }),
        opp('O4', {
          created: '2026-02-05',
          status: 'open',
          amount: 2_000_000,
          prob: 5_000,
          expected: '2026-03-10',
        }),
      ])
      .execute();

    const metric = await db
      .selectFrom('metrics')
      .select('id')
      .where('code', '=', 'revenue')
      .executeTakeFirstOrThrow();
    const plan = await db
      .insertInto('plans')
      .values({ fiscal_year: 2026, name_zh: '2026年度', name_en: 'FY2026', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const version = (number: number, status: 'active' | 'draft') =>
      db
        .insertInto('plan_versions')
        .values({
          plan_id: plan.id,
          number,
          status,
          settings: JSON.stringify({ basePct: 8_000, challengePct: 12_000, bufferPct: 1_500 }),
          created_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
    const active = await version(1, 'active');
    const draft = await version(2, 'draft');
    const cell = (
      versionId: number,
      ownerType: 'unit' | 'member',
      ownerId: number,
      period: string,
      value: number,
      productLine = 0,
    ) => ({
      version_id: versionId,
      metric_id: metric.id,
      owner_type: ownerType,
      owner_id: ownerId,
      period,
      value,
      product_line_id: productLine,
    });
    await db
      .insertInto('target_cells')
      .values([
        cell(active.id, 'unit', u.t1, 'FY2026', 30_000_000),
        cell(active.id, 'unit', u.t1, '2026-02', 1_600_000),
        cell(active.id, 'unit', u.t1, '2026-03', 2_200_000),
        cell(active.id, 'unit', u.t1, '2026-04', 4_200_000),
        ...Object.values(m).map((id) => cell(active.id, 'member', id, '2026-03', 1_000_000)),
        cell(active.id, 'member', m.rep1, '2026-03', 600_000, pl.a),
        cell(active.id, 'member', m.rep1, '2026-03', 400_000, pl.b),
        cell(active.id, 'unit', u.east, '2026-03', 5_000_000),
        cell(active.id, 'unit', u.t2, '2026-03', 1_000_000),
        // a draft is not what anyone is measured against
        cell(draft.id, 'unit', u.t1, '2026-02', 99_000_000),
        cell(draft.id, 'unit', u.t1, '2026-03', 99_000_000),
      ])
      .execute();
  });

  describe('overview', () => {
    it('matches a hand computation in a month with Spring Festival', async () => {
      const res = await get(
        'admin',
        `/api/tracking/overview?unitId=${h.fx.units.t1}&period=2026-02&asOf=2026-02-13`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const o = res.json();
      expect(o.node).toEqual({
        type: 'unit',
        id: h.fx.units.t1,
        nameZh: '组织T1',
        nameEn: 'Unit T1',
      });
      expect(o.period).toEqual({ id: '2026-02', start: '2026-02-01', end: '2026-02-28' });
      // Given: target 1,600,000 over 16 working days; 800,000 sold by Friday the 13th (10 working days)
      expect(o.target).toBe(1_600_000);
      expect(o.actual).toBe(800_000);
      expect(o.attainmentBp).toBe(5_000);
      expect(o.timeProgressBp).toBe(6_250); // 10 ÷ 16
      expect(o.aheadBehind).toEqual({ differenceBp: -1_250, status: 'behind' });
      expect(o.gap).toBe(800_000);
      // 6 working days left: Saturday 14 (调休) and 24–28 after the holiday; 800,000 ÷ 6 rounded up
      expect(o.elapsedWorkingDays).toBe(10);
      expect(o.remainingWorkingDays).toBe(6);
      expect(o.requiredRunRate).toBe(133_334);
      expect(o.tiers).toEqual({
        base: 1_280_000,
        target: 1_600_000,
        challenge: 1_920_000,
        sprint: 1_840_000,
      });
      expect(o.tierReached).toBe('none');
      expect(o.nextTier).toEqual({ tier: 'base', amount: 1_280_000, needed: 480_000 });
      // Same 13 days last year 400,000 (+100%); 1–13 January 1,000,000 (−20%)
      expect(o.growth).toEqual({
        yoyBp: 10_000,
        lastYear: 400_000,
        popBp: -2_000,
        previous: 1_000_000,
      });
      expect(o.orders).toBe(2);
      expect(o.aov).toBe(400_000);
      expect(o.grossProfit).toBe(200_000);
      expect(o.grossMarginBp).toBe(2_500);
      expect(o.collections).toEqual({
        imported: true,
        collected: 400_000,
        due: 800_000,
        rateBp: 5_000,
        targetBp: null, // no collection-rate target in this plan
        differenceBp: null,
      });
      expect(o.funnel).toMatchObject({ leads: 4, opportunities: 3, deals: 2 });
      expect(o.funnel.steps.map((s: { rateBp: number }) => s.rateBp)).toEqual([7_500, 6_667]);
      expect(o.avgSalesCycleDays).toBe(15.5); // (21 + 10) ÷ 2
      expect(o.forecast.linear).toBe(1_280_000); // 800,000 × 16 ÷ 10
      expect(o.forecast.seasonal).toBe(1_280_000);
      expect(o.forecast.pipeline).toBe(1_300_000); // + 1,000,000 × 50% closing by the 28th
      // Tier probabilities are centred on the seasonal projection (issue 12: they used to come
      // from the open pipeline alone and could contradict the forecasts). 1,280,000 is exactly
      // the base: 50%. No usable history (February 2024 had nothing by the 13th), so the spread is
      // the prior at 62.5% elapsed, σ = 0.08 × √(0.375 ÷ 0.625) ≈ 6.2%, with the heavy tails of
      // a Student t with 2 degrees of freedom (σ itself is a guess): the target, 25% above the
      // projection, is 3.6 σ away, 0.5 − 3.6 ÷ (2√(2 + 3.6²)) ≈ 3.5%.
      expect(
        o.forecast.tierProbabilities.map((p: { tier: string; probabilityBp: number }) => [
          p.tier,
          p.probabilityBp,
        ]),
      ).toEqual([
        ['base', 5_000],
        ['target', 346],
        ['sprint', 140],
        ['challenge', 113],
      ]);
    });

    it('widens or narrows the tier probabilities by the past years at the same point', async () => {
      // Given FY2026 as of 16 March, and FY2025 and FY2024 that had each sold all of their year by
      // 16 March (7,477,000 and 123,000): last year's projection, made with the share of the year
      // before (100%), was exact — one past error of 0, shrunk with the prior (two pseudo-years);
      // a Student t with 1 + 2 degrees of freedom
      const o = (
        await get(
          'admin',
          `/api/tracking/overview?unitId=${h.fx.units.t1}&period=FY2026&asOf=2026-03-16`,
        )
      ).json();
      const share = o.actual / o.forecast.seasonal;
      const prior = 0.08 * Math.sqrt((1 - share) / share);
      const sigma = Math.sqrt((2 * prior * prior) / 3);
      const expected = orderedTiers(o.tiers).map(({ tier, amount }) => [
        tier,
        Math.min(
          9_999,
          Math.max(
            1,
            Math.round(studentTCdf(Math.log(o.forecast.seasonal / amount) / sigma, 3) * 10_000),
          ),
        ),
      ]);
      const got = o.forecast.tierProbabilities.map((p: { tier: string; probabilityBp: number }) => [
        p.tier,
        p.probabilityBp,
      ]);
      // 3,200,999 sold, projection 9,484,441 (share ≈ 33.7%): prior ≈ 11.2%, σ ≈ 9.2%
      expect(got).toEqual([
        ['base', 9_884],
        ['target', 9_201],
        ['sprint', 6_194],
        ['challenge', 4_515],
      ]);
      expect(got).toEqual(expected);
    });

    it('compares a finished month with whole calendar months, leap day included', async () => {
      // Given February 2025 over (28 days): last year is all 29 days of February 2024, the
      // previous period all 31 days of January 2025 — not their first 28 days
      const o = (
        await get('admin', `/api/tracking/overview?unitId=${h.fx.units.t1}&period=2025-02`)
      ).json();
      expect(o.actual).toBe(7_400_000);
      expect(o.growth).toEqual({
        yoyBp: 591_626, // 7,400,000 ÷ 123,000 − 1
        lastYear: 123_000,
        popBp: 951_039, // 7,400,000 ÷ 77,000 − 1
        previous: 77_000,
      });
    });

    it('counts the day itself and defaults to this month as of today in China', async () => {
      const o = (await get('admin', `/api/tracking/overview?unitId=${h.fx.units.t1}`)).json();
      expect(o.asOf).toBe('2026-03-16');
      expect(o.period.id).toBe('2026-03');
      expect(o.actual).toBe(1_400_000); // not the sale of the 20th
      expect(o.timeProgressBp).toBe(5_000); // 11 of 22 working days
      expect(o.attainmentBp).toBe(6_364); // 1,400,000 ÷ 2,200,000
    });

    it('sums both months’ days for a week that straddles two months', async () => {
      const week = (
        await get(
          'admin',
          `/api/tracking/overview?unitId=${h.fx.units.t1}&period=2026-W14&asOf=2026-04-05`,
        )
      ).json();
      // 30–31 March at 100,000 + 1–3 April at 200,000 (4–5 April are the weekend/清明)
      expect(week.period).toEqual({ id: '2026-W14', start: '2026-03-30', end: '2026-04-05' });
      expect(week.target).toBe(800_000);
      expect(week.actual).toBe(300_000);
      const march = (
        await get(
          'admin',
          `/api/tracking/overview?unitId=${h.fx.units.t1}&start=2026-03-30&end=2026-03-31&asOf=2026-04-05`,
        )
      ).json();
      const april = (
        await get(
          'admin',
          `/api/tracking/overview?unitId=${h.fx.units.t1}&start=2026-04-01&end=2026-04-05&asOf=2026-04-05`,
        )
      ).json();
      expect(march.target + april.target).toBe(week.target);
      expect(march.target).toBe(200_000);
      // Time progress on the same day weights: by Wednesday 1 April 400,000 of 800,000 was due
      // (50%, where counting working days would say 3 of 5 = 60%)
      const wed = (
        await get(
          'admin',
          `/api/tracking/overview?unitId=${h.fx.units.t1}&period=2026-W14&asOf=2026-04-01`,
        )
      ).json();
      expect(wed.timeProgressBp).toBe(5_000);
      expect(wed.elapsedWorkingDays).toBe(3);
    });

    it('honours an admin calendar override in targets and time progress', async () => {
      await t.db
        .insertInto('holiday_overrides')
        .values({
          date: '2026-04-13',
          kind: 'holiday',
          name: '公司活动日',
          updated_at: FIXED_NOW.toISOString(),
        })
        .execute();
      // April now has 20 working days (210,000 a day); by Tuesday 14th 8 of them are done (not 9 of 21)
      const o = (
        await get(
          'admin',
          `/api/tracking/overview?unitId=${h.fx.units.t1}&period=2026-04&asOf=2026-04-14`,
        )
      ).json();
      expect(o.elapsedWorkingDays).toBe(8);
      expect(o.remainingWorkingDays).toBe(12);
      expect(o.timeProgressBp).toBe(4_000);
      const day = (
        await get(
          'admin',
          `/api/tracking/overview?unitId=${h.fx.units.t1}&period=2026-04-13&asOf=2026-04-14`,
        )
      ).json();
      expect(day.target).toBe(0);
      await t.db.deleteFrom('holiday_overrides').execute();
    });

    it('equals an independent SQL sum over the order lines credited to the subtree', async () => {
      const o = (
        await get(
          'admin',
          `/api/tracking/overview?unitId=${h.fx.units.east}&start=2026-02-01&end=2026-04-30&asOf=2026-03-31`,
        )
      ).json();
      const { total } = await t.db
        .selectFrom('order_lines')
        .innerJoin('org_units', 'org_units.id', 'order_lines.org_unit_id')
        .select(sql<number>`coalesce(sum(order_lines.amount), 0)`.as('total'))
        .where('org_units.path', 'like', `%/${h.fx.units.east}/%`)
        .where('order_date', '>=', '2026-02-01')
        .where('order_date', '<=', '2026-03-31')
        .executeTakeFirstOrThrow();
      expect(o.actual).toBe(Number(total));
      expect(o.actual).toBe(4_250_999);
    });

    it('has no attainment without an active target', async () => {
      const o = (await get('admin', `/api/tracking/overview?unitId=${h.fx.units.t3}`)).json();
      expect(o).toMatchObject({
        target: 0,
        actual: 300_000,
        attainmentBp: null,
        aheadBehind: null,
        gap: -300_000,
      });
    });
  });

  describe('series', () => {
    it('gives the cumulative line by week, edge weeks clipped, with the forecast to the period end', async () => {
      const res = await get(
        'admin',
        `/api/tracking/series?unitId=${h.fx.units.t1}&period=2026-03&granularity=week`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const s = res.json();
      expect(s.points.map((p: { period: string }) => p.period)).toEqual([
        '2026-W09',
        '2026-W10',
        '2026-W11',
        '2026-W12',
        '2026-W13',
        '2026-W14',
      ]);
      expect(s.points[0]).toMatchObject({
        start: '2026-03-01',
        end: '2026-03-01',
        target: 0,
        actual: 0,
      });
      expect(s.points[5]).toMatchObject({
        start: '2026-03-30',
        end: '2026-03-31',
        target: 200_000,
        actual: null,
        cumActual: null,
      });
      expect(s.points.at(-1).cumTarget).toBe(2_200_000);
      expect(s.points[1]).toMatchObject({
        actual: 1_400_000,
        cumActual: 1_400_000,
        forecastCum: null,
      });
      // asOf (16th) sits in W12; linear: 1,400,000 × 22 ÷ 11 at the end
      const overview = (
        await get('admin', `/api/tracking/overview?unitId=${h.fx.units.t1}`)
      ).json();
      expect(s.points.at(-1).forecastCum).toBe(overview.forecast.linear);
      expect(overview.forecast.linear).toBe(2_800_000);
    });

    it('sums days to the overview target for any granularity', async () => {
      for (const granularity of ['day', 'week', 'month']) {
        const s = (
          await get(
            'admin',
            `/api/tracking/series?unitId=${h.fx.units.t1}&period=FY2026-Q1&granularity=${granularity}`,
          )
        ).json();
        expect(s.points.at(-1).cumTarget, granularity).toBe(3_800_000);
        const reported = s.points.filter((p: { cumActual: number | null }) => p.cumActual !== null);
        expect(reported.at(-1).cumActual, granularity).toBe(3_200_999);
      }
    });
  });

  describe('breakdown', () => {
    it('splits by product line with shares summing to exactly 100% and the members’ line targets', async () => {
      const res = await get(
        'admin',
        `/api/tracking/breakdown?unitId=${h.fx.units.t1}&by=product_line`,
      );
      expect(res.statusCode, res.body).toBe(200);
      const b = res.json();
      expect(b.total).toBe(1_400_000);
      const shares = b.rows.map((r: { shareBp: number }) => r.shareBp);
      expect(shares.reduce((a: number, x: number) => a + x, 0)).toBe(10_000);
      const byKey = Object.fromEntries(b.rows.map((r: { key: string }) => [r.key, r]));
      expect(byKey['0']).toMatchObject({
        actual: 500_000,
        shareBp: 3_571,
        target: 0,
        nameEn: 'None',
      });
      expect(byKey[String(pl.a)]).toMatchObject({
        nameZh: '产品线a',
        actual: 300_000,
        shareBp: 2_143,
        target: 600_000,
        attainmentBp: 5_000,
        targetShareBp: 6_000,
      });
      expect(byKey[String(pl.b)]).toMatchObject({ target: 400_000, targetShareBp: 4_000 });
      expect(byKey[String(pl.c)]).toMatchObject({
        target: 0,
        targetShareBp: 0,
        attainmentBp: null,
      });
    });

    it('lists every child unit, with the unit’s own sales as a direct row', async () => {
      const b = (
        await get('admin', `/api/tracking/breakdown?unitId=${h.fx.units.east}&by=child_unit`)
      ).json();
      const rows = Object.fromEntries(b.rows.map((r: { id: number }) => [r.id, r]));
      expect(rows[h.fx.units.t1]).toMatchObject({ actual: 1_400_000, target: 2_200_000 });
      expect(rows[h.fx.units.t2]).toMatchObject({ actual: 700_000, target: 1_000_000 });
      expect(rows[h.fx.units.east]).toMatchObject({
        actual: 1_200_000,
        nameEn: 'Unit EAST (direct)',
      });
      expect(b.rows.reduce((a: number, r: { shareBp: number }) => a + r.shareBp, 0)).toBe(10_000);
    });
  });

  describe('ranking', () => {
    it('ranks the company’s members by attainment with 271 bands (6 people: 1 / 4 / 1)', async () => {
      const res = await get('admin', '/api/tracking/ranking?by=member');
      expect(res.statusCode, res.body).toBe(200);
      const rows = res.json().rows as {
        id: number;
        rank: number;
        band: string;
        attainmentBp: number;
        gap: number;
      }[];
      const m = h.fx.members;
      expect(rows.map((r) => r.id)).toEqual([m.mgrEast, m.rep1, m.rep3, m.mgrWest, m.rep2, m.rep4]);
      expect(rows.map((r) => r.rank)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(rows.map((r) => r.band)).toEqual([
        'top',
        'middle',
        'middle',
        'middle',
        'middle',
        'bottom',
      ]);
      expect(rows.map((r) => r.attainmentBp)).toEqual([12_000, 9_000, 7_000, 6_000, 5_000, 3_000]);
      expect(rows[0]!.gap).toBe(-200_000);
    });

    it('ranks child units and refuses a member node', async () => {
      const r = (await get('mgrEast', '/api/tracking/ranking?by=child_unit')).json();
      expect(r.node.id).toBe(h.fx.units.east);
      expect(r.rows.map((x: { id: number }) => x.id)).toEqual([h.fx.units.t2, h.fx.units.t1]); // 70% before 64%
      const refused = await get('rep1', '/api/tracking/ranking');
      expect(refused.statusCode).toBe(400);
      expect(refused.json().code).toBe('TRACKING_NEEDS_UNIT');
    });
  });

  describe('scope', () => {
    it('lets a rep see only their own member node', async () => {
      const { members: m, units: u } = h.fx;
      const own = await get('rep1', '/api/tracking/overview');
      expect(own.json().node).toMatchObject({ type: 'member', id: m.rep1 });
      expect(own.json().actual).toBe(900_000);
      for (const url of [`memberId=${m.rep2}`, `unitId=${u.t1}`, `unitId=${u.hq}`]) {
        for (const path of ['overview', 'series', 'breakdown?by=channel&', 'ranking']) {
          const sep = path.includes('?') ? '' : '?';
          const res = await get('rep1', `/api/tracking/${path}${sep}${url}`);
          expect(res.statusCode, `${path} ${url}`).toBe(403);
        }
      }
    });

    it('keeps a manager inside their subtree', async () => {
      const { members: m, units: u } = h.fx;
      expect((await get('mgrEast', `/api/tracking/overview?unitId=${u.t1}`)).statusCode).toBe(200);
      expect((await get('mgrEast', `/api/tracking/overview?memberId=${m.rep3}`)).statusCode).toBe(
        200,
      );
      expect((await get('mgrEast', `/api/tracking/overview?unitId=${u.west}`)).statusCode).toBe(
        403,
      );
      expect((await get('mgrEast', `/api/tracking/overview?unitId=${u.hq}`)).statusCode).toBe(403);
      expect((await get('mgrEast', `/api/tracking/overview?memberId=${m.rep4}`)).statusCode).toBe(
        403,
      );
      expect((await get('mgrEast', `/api/tracking/ranking?unitId=${u.west}`)).statusCode).toBe(403);
    });

    it('lets finance and viewers read everything', async () => {
      expect(
        (await get('finance', `/api/tracking/overview?unitId=${h.fx.units.t3}`)).statusCode,
      ).toBe(200);
      expect(
        (await get('viewer', `/api/tracking/overview?memberId=${h.fx.members.rep4}`)).statusCode,
      ).toBe(200);
    });
  });

  describe('me and export', () => {
    it('gives a rep their month, their fiscal year and the month’s daily series', async () => {
      const res = await get('rep1', '/api/tracking/me');
      expect(res.statusCode, res.body).toBe(200);
      const me = res.json();
      expect(me.month).toMatchObject({
        node: { type: 'member', id: h.fx.members.rep1 },
        period: { id: '2026-03' },
        target: 1_000_000,
        actual: 900_000,
      });
      expect(me.year.period).toEqual({ id: 'FY2026', start: '2026-01-01', end: '2026-12-31' });
      expect(me.series.points).toHaveLength(31);
      expect(me.choices).toEqual([
        { type: 'member', id: h.fx.members.rep1, nameZh: '人员R1', nameEn: 'Person R1' },
      ]);
      expect((await get('admin', '/api/tracking/me')).statusCode).toBe(404);
    });

    it('gives a manager the unit they answer for, and their own targets on request', async () => {
      const { members: m, units: u } = h.fx;
      const res = await get('mgrEast', '/api/tracking/me');
      expect(res.statusCode, res.body).toBe(200);
      const me = res.json();
      expect(me.choices.map((c: { type: string; id: number }) => [c.type, c.id])).toEqual([
        ['member', m.mgrEast],
        ['unit', u.east],
      ]);
      // East in March up to the 16th: mgrEast 1,200,000 + T1 1,400,000 + T2 700,000
      expect(me.month).toMatchObject({
        node: { type: 'unit', id: u.east },
        period: { id: '2026-03' },
        actual: 3_300_000,
      });
      expect(me.year.node).toMatchObject({ type: 'unit', id: u.east });
      const own = (await get('mgrEast', '/api/tracking/me?node=me')).json();
      expect(own.month).toMatchObject({
        node: { type: 'member', id: m.mgrEast },
        actual: 1_200_000,
      });
      const east = await get('mgrEast', `/api/tracking/me?node=${u.east}`);
      expect(east.json().month.node).toMatchObject({ type: 'unit', id: u.east });
    });

    it('refuses a unit one does not manage, even inside one’s subtree', async () => {
      const { units: u } = h.fx;
      // T1 lies under East, but it is the dashboard's business, not mgrEast's "my targets"
      expect((await get('mgrEast', `/api/tracking/me?node=${u.t1}`)).statusCode).toBe(403);
      expect((await get('mgrEast', `/api/tracking/me?node=${u.west}`)).statusCode).toBe(403);
      expect((await get('rep1', `/api/tracking/me?node=${u.t1}`)).statusCode).toBe(403);
      expect((await get('rep1', '/api/tracking/me?node=abc')).statusCode).toBe(400);
    });

    it('exports a table as xlsx with headers in the caller’s language', async () => {
      const res = await h.app.inject({
        method: 'GET',
        url: `/api/tracking/export?table=ranking&unitId=${h.fx.units.hq}`,
        headers: { cookie: await h.login('admin'), 'x-locale': 'zh-CN' },
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.headers['content-type']).toContain('spreadsheetml');
      const table = await readTable(res.rawPayload, 'ranking.xlsx');
      expect(table.headers.slice(0, 3)).toEqual(['名次', '分组', '名称']);
      expect(table.rows).toHaveLength(6);
      const en = await get('admin', `/api/tracking/export?table=overview&unitId=${h.fx.units.t1}`);
      expect((await readTable(en.rawPayload, 'o.xlsx')).headers).toEqual(['Measure', 'Value']);
    });

    it('exports numbers in the reader’s display unit with Excel formats, names translated', async () => {
      // Given the overview of T1 for February 2026 as of the 13th (see the first test)
      const url = `/api/tracking/export?table=overview&unitId=${h.fx.units.t1}&period=2026-02&asOf=2026-02-13`;
      const sheetOf = async (locale: string) => {
        const res = await h.app.inject({
          method: 'GET',
          url,
          headers: { cookie: await h.login('admin'), 'x-locale': locale },
        });
        expect(res.statusCode, res.body).toBe(200);
        const wb = new ExcelJS.Workbook();
        await wb.xlsx.load(res.rawPayload as unknown as ExcelJS.Buffer);
        const ws = wb.worksheets[0]!;
        const rows = new Map<string, ExcelJS.Cell>();
        ws.eachRow((row, n) => {
          if (n > 1) rows.set(String(row.getCell(1).value), row.getCell(2));
        });
        return rows;
      };
      // Then, in 万元 (the admin's unit): 800,000 fen is 0.8万 as a number, formatted with decimals
      const zh = await sheetOf('zh-CN');
      expect(zh.get('实际（万元）')?.value).toBe(0.8);
      expect(zh.get('实际（万元）')?.numFmt).toBe('#,##0.00');
      expect(zh.get('目标（万元）')?.value).toBe(1.6);
      // ratios are percentages, not basis points: 50.00%
      expect(zh.get('完成率')?.value).toBe(0.5);
      expect(zh.get('完成率')?.numFmt).toBe('0.00%');
      expect(zh.get('指标')?.value).toBe('销售额');
      expect(zh.get('已达档位')?.value).toBe('未达保底');
      expect(zh.get('成单量')?.numFmt).toBe('#,##0');
      const en = await sheetOf('en');
      expect(en.get('Actual (¥K)')?.value).toBe(8); // 8,000 yuan in thousands
      expect(en.get('Metric')?.value).toBe('Revenue');
      expect(en.get('Tier reached')?.value).toBe('Below base');

      // When the reader works in 亿元, the average order (4,000元 = 0.00004亿) keeps its digits
      const unit = async (amountUnit: string) =>
        h.app.inject({
          method: 'PUT',
          url: '/api/auth/me/preferences',
          headers: { cookie: await h.login('admin') },
          payload: { amountUnit },
        });
      expect((await unit('yi')).statusCode).toBe(200);
      try {
        const yi = await sheetOf('zh-CN');
        const aov = yi.get('客单价（亿元）')!;
        expect(aov.value).toBe(0.00004);
        expect(aov.numFmt).toBe('#,##0.000000'); // 0.000040, never 0.0000
      } finally {
        await unit('wan');
      }
    });
  });
});
