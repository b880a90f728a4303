import { insertProductLine } from '../support/catalog.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Lifecycle } from '../../src/db/schema.ts';
import { rebuildRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { readTable } from '../../src/app/import/read-table.ts';
import { describeEachDialect } from '../support/databases.ts';
import { FIXED_NOW, useApp } from '../support/app.ts';

/**
 * Tracking beyond revenue, on the small company of test/support/app.ts ("today" is Monday
 * 2026-03-16; March 2026 has 22 working days, 11 of them elapsed by the 16th, so a month target
 * spread by working days is half due). Every figure below is counted by hand from the rows
 * inserted in beforeAll.
 */
describeEachDialect('tracking API: every metric, slices, tiers', (t) => {
  const h = useApp(t);
  const get = async (user: string, url: string, locale = 'en') =>
    h.app.inject({
      method: 'GET',
      url,
      headers: { cookie: await h.login(user), 'x-locale': locale },
    });
  const ok = async (user: string, url: string) => {
    const res = await get(user, url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };
  const pl = { a: 0, b: 0, a1: 0 };
  let region = 0;

  beforeAll(async () => {
    const { db } = t;
    const { units: u, members: m } = h.fx;
    const now = FIXED_NOW.toISOString();
    for (const k of ['a', 'b'] as const)
      pl[k] = await insertProductLine(db, {
        code: `PL-${k}`,
        nameZh: `产品线${k}`,
        nameEn: `Line ${k}`,
      });
    // a sub-line of line a: facts sit on sub-lines, plans split by lines
    pl.a1 = await insertProductLine(db, {
      code: 'PL-a1',
      nameZh: '产品线a1',
      nameEn: 'Line a1',
      parent: { id: pl.a!, path: `/${pl.a}/` },
    });
    const dim = async (dimension: 'channel' | 'region', code: string) =>
      (
        await db
          .insertInto('dimension_members')
          .values({
            dimension,
            code,
            name_zh: `维度${code}`,
            name_en: code,
            attrs: '{}',
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow()
      ).id;
    const own = await dim('channel', 'OWN');
    const partner = await dim('channel', 'PARTNER');
    region = await dim('region', 'EASTR');

    let n = 0;
    const line = (
      date: string,
      member: number,
      unit: number,
      amount: number,
      lifecycle: Lifecycle,
      productLine: number,
    ) => ({
      // Every line its own customer: each new or referral deal is a new customer.
      customer_id: 100 + n + 1,
      ext_id: `L${++n}`,
      batch_id: 1,
      order_no: `SO${n}`,
      order_date: date,
      member_id: member,
      org_unit_id: unit,
      product_line_id: productLine,
      channel_id: own,
      lifecycle,
      amount,
    });
    await db
      .insertInto('order_lines')
      .values([
        line('2026-03-02', m.rep1, u.t1, 100_000, 'new', pl.a),
        line('2026-03-03', m.rep1, u.t1, 200_000, 'referral', pl.b),
        line('2026-03-04', m.rep2, u.t1, 300_000, 'existing', pl.a),
        line('2026-03-05', m.rep3, u.t2, 400_000, 'new', pl.a),
        line('2026-03-06', m.rep4, u.t3, 500_000, 'new', pl.b),
        // comparisons for new customers: 10 February (previous period), 5 March 2025 (last year)
        line('2026-02-10', m.rep1, u.t1, 50_000, 'new', pl.a),
        line('2025-03-05', m.rep1, u.t1, 70_000, 'new', pl.a),
        // April: a sale on the sub-line
        line('2026-04-10', m.rep1, u.t1, 70_000, 'existing', pl.a1),
        line('2026-04-13', m.rep2, u.t1, 10_000, 'existing', pl.a),
      ])
      .execute();
    await rebuildRollups(db);

    const coll = (id: string, date: string, member: number, unit: number, amount: number) => ({
      ext_id: id,
      batch_id: 1,
      collected_date: date,
      member_id: member,
      org_unit_id: unit,
      amount,
    });
    await db
      .insertInto('collections')
      .values([
        coll('C1', '2026-03-05', m.rep1, u.t1, 300_000),
        coll('C2', '2026-03-09', m.rep2, u.t1, 100_000),
        coll('C3', '2026-03-10', m.rep3, u.t2, 200_000),
        coll('C4', '2026-03-20', m.rep1, u.t1, 999), // after asOf
        coll('C5', '2026-02-05', m.rep1, u.t1, 200_000), // the previous period
      ])
      .execute();
    const lead = (id: string, date: string, member: number, unit: number, channel: number) => ({
      ext_id: id,
      batch_id: 1,
      created_date: date,
      member_id: member,
      org_unit_id: unit,
      channel_id: channel,
    });
    await db
      .insertInto('leads')
      .values([
        lead('LD1', '2026-03-02', m.rep1, u.t1, own),
        lead('LD2', '2026-03-03', m.rep1, u.t1, own),
        lead('LD3', '2026-03-04', m.rep3, u.t2, partner),
        lead('LD4', '2026-02-27', m.rep1, u.t1, own),
      ])
      .execute();
    const opp = (id: string, created: string, member: number, unit: number) => ({
      ext_id: id,
      batch_id: 1,
      created_date: created,
      member_id: member,
      org_unit_id: unit,
      stage: 'open',
      status: 'open',
    });
    await db
      .insertInto('opportunities')
      .values([
        opp('O1', '2026-03-05', m.rep1, u.t1),
        opp('O2', '2026-03-06', m.rep3, u.t2),
        opp('O3', '2026-02-20', m.rep1, u.t1),
      ])
      .execute();
    const act = (id: string, date: string, member: number, unit: number, kind: string) => ({
      ext_id: id,
      batch_id: 1,
      activity_date: date,
      member_id: member,
      org_unit_id: unit,
      kind,
    });
    await db
      .insertInto('activities')
      .values([
        act('A1', '2026-03-02', m.rep1, u.t1, 'visit'),
        act('A2', '2026-03-03', m.rep1, u.t1, 'visit'),
        act('A3', '2026-03-02', m.rep1, u.t1, 'call'),
        act('A4', '2026-03-04', m.rep1, u.t1, 'meeting'),
        act('A5', '2026-03-05', m.rep2, u.t1, 'visit'),
        act('A6', '2026-03-06', m.rep4, u.t3, 'call'),
      ])
      .execute();

    const metricId = async (code: string) =>
      (
        await db
          .selectFrom('metrics')
          .select('id')
          .where('code', '=', code)
          .executeTakeFirstOrThrow()
      ).id;
    const plan = await db
      .insertInto('plans')
      .values({ fiscal_year: 2026, name_zh: '2026年度', name_en: 'FY2026', created_at: now })
      .returning('id')
      .executeTakeFirstOrThrow();
    const v = await db
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
    const cell = (
      metric: number,
      ownerType: 'unit' | 'member',
      ownerId: number,
      period: string,
      value: number,
      productLine = 0,
    ) => ({
      version_id: v.id,
      metric_id: metric,
      owner_type: ownerType,
      owner_id: ownerId,
      period,
      value,
      product_line_id: productLine,
    });
    const [revenue, collections, newCustomers, rate] = await Promise.all(
      ['revenue', 'collections', 'new_customers', 'collection_rate'].map(metricId),
    );
    await db
      .insertInto('target_cells')
      .values([
        cell(collections!, 'unit', u.t1, '2026-03', 440_000),
        cell(collections!, 'member', m.rep1, '2026-03', 300_000),
        cell(collections!, 'member', m.rep2, '2026-03', 80_000),
        cell(newCustomers!, 'unit', u.t1, '2026-03', 4),
        // the company's collection rate, a ratio: 90%, inherited below
        cell(rate!, 'unit', u.hq, 'FY2026', 9_000),
        // revenue by product line: the company's own cells, and rep1's (T1 has none of its own)
        cell(revenue!, 'unit', u.hq, '2026-03', 1_000_000),
        cell(revenue!, 'unit', u.hq, '2026-03', 600_000, pl.a),
        cell(revenue!, 'unit', u.hq, '2026-03', 400_000, pl.b),
        cell(revenue!, 'member', m.rep1, '2026-03', 100_000, pl.a),
      ])
      .execute();
  });

  describe('metrics other than sales', () => {
    it('tracks collections against their target: attainment, time progress, gap, run-rate, growth', async () => {
      const o = await ok(
        'admin',
        `/api/tracking/overview?unitId=${h.fx.units.t1}&metric=collections`,
      );
      expect(o).toMatchObject({
        metric: 'collections',
        unit: 'fen',
        filter: null,
        hasTarget: true,
        target: 440_000,
        actual: 400_000, // 300,000 + 100,000; not the 999 of the 20th
        attainmentBp: 9_091,
        timeProgressBp: 5_000,
        gap: 40_000,
        remainingWorkingDays: 11,
        requiredRunRate: 3_637, // 40,000 ÷ 11 rounded up
        tierReached: 'base', // 80% ≤ 90.9% < 100%
      });
      // 1–16 February: 200,000 (+100%); nothing in March 2025
      expect(o.growth).toEqual({ yoyBp: null, lastYear: 0, popBp: 10_000, previous: 200_000 });
    });

    it('counts new customers as deals of new and referral customers', async () => {
      const o = await ok(
        'admin',
        `/api/tracking/overview?unitId=${h.fx.units.t1}&metric=new_customers`,
      );
      expect(o).toMatchObject({ unit: 'count', target: 4, actual: 2, attainmentBp: 5_000, gap: 2 });
      expect(o.growth).toEqual({ yoyBp: 10_000, lastYear: 1, popBp: 10_000, previous: 1 });
      const company = await ok('admin', '/api/tracking/overview?metric=new_customers');
      expect(company.actual).toBe(4); // 2 in T1, 1 in T2, 1 in T3; the existing customer's deal is not one
      expect(company.target).toBe(0);
    });

    it('counts leads and opportunities created, visits and calls by kind', async () => {
      const t1 = h.fx.units.t1;
      const actual = async (q: string) => (await ok('admin', `/api/tracking/overview?${q}`)).actual;
      expect(await actual(`unitId=${t1}&metric=leads`)).toBe(2);
      expect(await actual(`unitId=${h.fx.units.east}&metric=leads`)).toBe(3);
      expect(await actual(`unitId=${h.fx.units.east}&metric=opportunities`)).toBe(2);
      expect(await actual(`unitId=${t1}&metric=visits`)).toBe(3); // the meeting is neither
      expect(await actual(`unitId=${t1}&metric=calls`)).toBe(1);
      expect(await actual(`metric=calls`)).toBe(2);
      expect(await actual(`memberId=${h.fx.members.rep1}&metric=visits`)).toBe(2);
      expect(
        await actual(`memberId=${h.fx.members.rep1}&metric=leads&period=2026-02&asOf=2026-03-16`),
      ).toBe(1);
    });

    it('gives the cumulative series of a count metric by day', async () => {
      const s = await ok(
        'admin',
        `/api/tracking/series?unitId=${h.fx.units.t1}&metric=visits&granularity=day`,
      );
      const at = (day: string) => s.points.find((p: { period: string }) => p.period === day);
      expect(at('2026-03-02')).toMatchObject({ actual: 1, cumActual: 1 });
      expect(at('2026-03-05')).toMatchObject({ actual: 1, cumActual: 3 });
      expect(at('2026-03-16')).toMatchObject({ cumActual: 3 });
      expect(at('2026-03-17')).toMatchObject({ actual: null, cumActual: null });
      expect(s.points.at(-1).cumTarget).toBe(0); // no visit target
    });

    it('breaks down by the dimensions a fact kind has, and refuses the others in the caller’s language', async () => {
      const byLifecycle = await ok(
        'admin',
        `/api/tracking/breakdown?unitId=${h.fx.units.t1}&metric=new_customers&by=lifecycle`,
      );
      expect(
        Object.fromEntries(
          byLifecycle.rows.map((r: { key: string; actual: number }) => [r.key, r.actual]),
        ),
      ).toEqual({ new: 1, referral: 1 });
      const byChannel = await ok(
        'admin',
        `/api/tracking/breakdown?unitId=${h.fx.units.east}&metric=leads&by=channel`,
      );
      expect(
        byChannel.rows.map((r: { nameEn: string; actual: number }) => [r.nameEn, r.actual]),
      ).toEqual([
        ['OWN', 2],
        ['PARTNER', 1],
      ]);
      const byMember = await ok('admin', `/api/tracking/breakdown?metric=calls&by=member`);
      const calls = byMember.rows.filter((r: { actual: number }) => r.actual > 0);
      expect(calls.map((r: { id: number }) => r.id).sort()).toEqual(
        [h.fx.members.rep1, h.fx.members.rep4].sort(),
      );
      const refused = await get(
        'admin',
        `/api/tracking/breakdown?unitId=${h.fx.units.t1}&metric=visits&by=product_line`,
        'zh-CN',
      );
      expect(refused.statusCode).toBe(400);
      expect(refused.json()).toMatchObject({
        code: 'TRACKING_DIMENSION_UNAVAILABLE',
        message: '拜访量的数据没有产品线维度，无法按此拆分',
      });
    });

    it('ranks child units by a count metric', async () => {
      const r = await ok(
        'admin',
        `/api/tracking/ranking?unitId=${h.fx.units.east}&metric=leads&by=child_unit&rankBy=actual`,
      );
      expect(r.rows.map((x: { id: number; actual: number }) => [x.id, x.actual])).toEqual([
        [h.fx.units.t1, 2],
        [h.fx.units.t2, 1],
      ]);
      expect(r.rows.every((x: { tier: unknown }) => x.tier === null)).toBe(true); // no lead targets
    });
  });

  describe('collection rate against its ratio target', () => {
    it('is Σ collected ÷ Σ booked, with the company’s 90% inherited by a region and a rep', async () => {
      const hq = await ok('admin', '/api/tracking/overview');
      // collected 300,000 + 100,000 + 200,000 of 1,500,000 booked by the 16th
      expect(hq.collections).toEqual({
        imported: true,
        collected: 600_000,
        due: 1_500_000,
        rateBp: 4_000,
        targetBp: 9_000,
        differenceBp: -5_000,
      });
      const east = await ok('admin', `/api/tracking/overview?unitId=${h.fx.units.east}`);
      expect(east.collections).toMatchObject({
        rateBp: 6_000,
        targetBp: 9_000,
        differenceBp: -3_000,
      });
      const rep = await ok('rep1', '/api/tracking/overview');
      // 300,000 ÷ 300,000 booked by rep1: 100%, the rate is not an average of anything
      expect(rep.collections).toMatchObject({
        rateBp: 10_000,
        targetBp: 9_000,
        differenceBp: 1_000,
      });
    });
  });

  describe('dimension filter', () => {
    it('filters revenue to a product line with the plan’s targets for it', async () => {
      const o = await ok('admin', `/api/tracking/overview?dim=product_line&key=${pl.a}`);
      expect(o.filter).toEqual({
        dim: 'product_line',
        key: String(pl.a),
        nameZh: '产品线a',
        nameEn: 'Line a',
      });
      expect(o).toMatchObject({
        hasTarget: true,
        target: 600_000,
        actual: 800_000,
        attainmentBp: 13_333,
      });
      expect(o.orders).toBe(3);
      // Collections, leads and opportunities carry no product line: not shown, never unfiltered
      expect(o.collections).toBeNull();
      expect(o.funnel).toBeNull();
      expect(o.forecast.pipeline).toBeNull();
    });

    it('sums the members’ slice targets for a unit without its own, and says when there is none', async () => {
      const t1 = await ok(
        'admin',
        `/api/tracking/overview?unitId=${h.fx.units.t1}&dim=product_line&key=${pl.a}`,
      );
      expect(t1).toMatchObject({ hasTarget: true, target: 100_000, actual: 400_000 });
      const t3 = await ok(
        'admin',
        `/api/tracking/overview?unitId=${h.fx.units.t3}&dim=product_line&key=${pl.a}`,
      );
      expect(t3).toMatchObject({ hasTarget: false, target: 0, actual: 0, attainmentBp: null });
      const byLifecycle = await ok('admin', '/api/tracking/overview?dim=lifecycle&key=new');
      expect(byLifecycle).toMatchObject({ hasTarget: false, actual: 1_000_000 });
    });

    it('filters the series, the breakdown and the ranking alike', async () => {
      const q = `dim=product_line&key=${pl.a}`;
      const s = await ok('admin', `/api/tracking/series?${q}&granularity=month`);
      expect(s.points).toHaveLength(1);
      expect(s.points[0]).toMatchObject({ actual: 800_000, target: 600_000 });
      const b = await ok('admin', `/api/tracking/breakdown?${q}&by=child_unit`);
      expect(b.total).toBe(800_000);
      const r = await ok('admin', `/api/tracking/ranking?${q}&by=member&rankBy=actual`);
      const row = (id: number) => r.rows.find((x: { id: number }) => x.id === id);
      expect(row(h.fx.members.rep3)).toMatchObject({ actual: 400_000, target: 0, tier: null });
      expect(row(h.fx.members.rep1)).toMatchObject({
        actual: 100_000,
        target: 100_000,
        attainmentBp: 10_000,
        tier: 'target',
      });
    });

    it('counts a product line with its sub-lines, in the filter and in the breakdown', async () => {
      const april = 'period=2026-04&asOf=2026-04-30';
      const o = await ok('admin', `/api/tracking/overview?${april}&dim=product_line&key=${pl.a}`);
      expect(o).toMatchObject({ actual: 80_000, orders: 2 });
      const b = await ok('admin', `/api/tracking/breakdown?${april}&by=product_line`);
      expect(b.rows.map((r: { key: string; actual: number }) => [r.key, r.actual])).toEqual([
        [String(pl.a), 80_000],
      ]);
    });

    it('refuses what cannot be answered, in the caller’s language', async () => {
      const collections = await get(
        'admin',
        `/api/tracking/overview?metric=collections&dim=product_line&key=${pl.a}`,
        'zh-CN',
      );
      expect(collections.statusCode).toBe(400);
      expect(collections.json()).toMatchObject({
        code: 'TRACKING_FILTER_UNSUPPORTED',
        message: '回款额不能按产品线筛选（只有销售额、毛利和成单数有该维度）',
      });
      const daily = await get(
        'admin',
        `/api/tracking/series?dim=region&key=${region}&granularity=day`,
      );
      expect(daily.json()).toMatchObject({
        code: 'TRACKING_SERIES_MONTHS_ONLY',
        message: 'Filtered by region, the trend is by month only (days and weeks do not carry it)',
      });
      // A region over part of a month that is not the running one: the rollups cannot say
      const partial = await get(
        'admin',
        `/api/tracking/overview?dim=region&key=${region}&start=2026-03-02&end=2026-03-10&asOf=2026-03-16`,
      );
      expect(partial.json().code).toBe('ROLLUP_MONTHS_ONLY');
      expect((await get('admin', '/api/tracking/overview?dim=product_line')).statusCode).toBe(400);
      expect(
        (await get('admin', '/api/tracking/overview?dim=product_line&key=999999')).statusCode,
      ).toBe(404);
      expect(
        (await get('admin', '/api/tracking/overview?dim=lifecycle&key=bogus')).statusCode,
      ).toBe(400);
    });

    it('answers a region filter for the running month (no later sales exist yet)', async () => {
      const o = await ok('admin', `/api/tracking/overview?dim=region&key=${region}`);
      expect(o).toMatchObject({ actual: 0, hasTarget: false });
      expect(o.growth).toMatchObject({ lastYear: null, previous: null, yoyBp: null });
    });
  });

  describe('tiers in the ranking', () => {
    it('gives each row the tier reached on its own target with the plan’s settings', async () => {
      const r = await ok(
        'admin',
        `/api/tracking/ranking?unitId=${h.fx.units.t1}&metric=collections&by=member`,
      );
      const byId = Object.fromEntries(r.rows.map((x: { id: number }) => [x.id, x]));
      // rep2: 100,000 of 80,000 = 125% ≥ challenge (120%); rep1: 300,000 of 300,000 = target
      expect(byId[h.fx.members.rep2]).toMatchObject({
        attainmentBp: 12_500,
        tier: 'challenge',
        tiers: { base: 64_000, target: 80_000, challenge: 96_000, sprint: 92_000 },
      });
      expect(byId[h.fx.members.rep1]).toMatchObject({ attainmentBp: 10_000, tier: 'target' });
    });

    it('exports the tier column with the ranking', async () => {
      const res = await get(
        'admin',
        `/api/tracking/export?table=ranking&unitId=${h.fx.units.t1}&metric=collections`,
        'zh-CN',
      );
      expect(res.statusCode, res.body).toBe(200);
      const table = await readTable(res.rawPayload, 'ranking.xlsx');
      expect(table.headers).toContain('达成档位');
      expect(table.headers).toContain('实际（万元）');
      const tierCol = table.headers.indexOf('达成档位');
      expect(table.rows.map((row) => String(row.cells[tierCol]))).toEqual(['挑战', '目标']);
      const visits = await get(
        'admin',
        `/api/tracking/export?table=series&unitId=${h.fx.units.t1}&metric=visits`,
        'zh-CN',
      );
      expect((await readTable(visits.rawPayload, 's.xlsx')).headers).toContain('实际');
    });
  });

  describe('scope', () => {
    it('keeps a rep to their own metrics and a manager inside the subtree, filtered or not', async () => {
      const { members: m, units: u } = h.fx;
      for (const q of [
        `memberId=${m.rep2}&metric=collections`,
        `memberId=${m.rep2}&metric=visits`,
        `unitId=${u.t1}&metric=leads`,
        `memberId=${m.rep2}&dim=product_line&key=${pl.a}`,
      ]) {
        for (const path of ['overview', 'series', 'ranking']) {
          const res = await get('rep1', `/api/tracking/${path}?${q}`);
          expect(res.statusCode, `${path} ${q}`).toBe(403);
        }
      }
      expect((await get('rep1', '/api/tracking/overview?metric=calls')).statusCode).toBe(200);
      for (const q of [
        `unitId=${u.t3}&metric=calls`,
        `memberId=${m.rep4}&metric=new_customers`,
        `unitId=${u.west}&dim=product_line&key=${pl.b}`,
      ]) {
        expect((await get('mgrEast', `/api/tracking/overview?${q}`)).statusCode, q).toBe(403);
        expect(
          (await get('mgrEast', `/api/tracking/export?table=overview&${q}`)).statusCode,
          q,
        ).toBe(403);
      }
      expect(
        (await get('mgrEast', `/api/tracking/ranking?unitId=${u.t1}&metric=collections`))
          .statusCode,
      ).toBe(200);
    });
  });
});
