import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';
import { seedReportData } from '../support/report-fixture.ts';

/**
 * The battle report and the weekly sheet over HTTP: the numbers are the tracking dashboard's for
 * the same unit and days, the scope is the dashboard's. "Today" is Monday 2026-03-16.
 */
describeEachDialect('reports API', (t) => {
  const h = useApp(t);
  const get = (user: string, url: string) => h.call(user, 'GET', url);
  const ok = async (user: string, url: string) => {
    const res = await get(user, url);
    expect(res.statusCode, res.body).toBe(200);
    return res.json();
  };

  beforeAll(async () => {
    await seedReportData(t.db, h.fx);
  });

  const METRICS = ['revenue', 'deals', 'new_customers'] as const;
  const figuresOf = (o: any) => ({
    actual: o.actual,
    hasTarget: o.hasTarget,
    target: o.target,
    attainmentBp: o.attainmentBp,
    timeProgressBp: o.timeProgressBp,
    differenceBp: o.aheadBehind?.differenceBp ?? null,
    gap: o.gap,
    requiredRunRate: o.requiredRunRate,
  });

  describe('battle report', () => {
    it("equals the dashboard's overview and ranking for the same unit and day", async () => {
      const east = h.fx.units.east;
      const { report, text } = await ok('mgrEast', `/api/reports/battle?unitId=${east}`);
      expect(report.date).toBe('2026-03-15'); // yesterday by default
      expect(report.unit).toMatchObject({ id: east, code: 'EAST', nameEn: 'Unit EAST' });
      for (const [i, metric] of METRICS.entries()) {
        const month = await ok(
          'mgrEast',
          `/api/tracking/overview?unitId=${east}&period=2026-03&asOf=2026-03-15&metric=${metric}`,
        );
        expect(report.monthToDate[i]).toEqual({ metric, unit: month.unit, ...figuresOf(month) });
        const day = await ok(
          'mgrEast',
          `/api/tracking/overview?unitId=${east}&period=2026-03-15&asOf=2026-03-15&metric=${metric}`,
        );
        expect(report.day[i]).toEqual({ metric, unit: day.unit, actual: day.actual });
      }
      // By hand: East sold 1,600,000 to the 15th against 6,000,000; 100,000 on the 15th.
      expect(report.monthToDate[0].actual).toBe(1_600_000);
      expect(report.monthToDate[0].attainmentBp).toBe(2_667);
      expect(report.day[0].actual).toBe(100_000);
      // March 2026 has 22 working days, 10 of them to Sunday the 15th: 12 left.
      expect(report.remainingWorkingDays).toBe(12);
      expect(report.monthToDate[0].requiredRunRate).toBe(366_667); // 4,400,000 ÷ 12, rounded up

      const ranking = await ok(
        'mgrEast',
        `/api/tracking/ranking?unitId=${east}&period=2026-03&asOf=2026-03-15&by=child_unit`,
      );
      // T2 35% (700,000 of 2,000,000) leads; T1 22.5% (900,000 of 4,000,000) is behind.
      expect(report.leaders.by).toBe('child_unit');
      expect(report.leaders.top.map((r: any) => r.id)).toEqual([h.fx.units.t2]);
      expect(report.leaders.behind.id).toBe(h.fx.units.t1);
      const t1 = ranking.rows.find((r: any) => r.id === h.fx.units.t1);
      expect(report.leaders.behind).toEqual({
        rank: t1.rank,
        id: t1.id,
        nameZh: t1.nameZh,
        nameEn: t1.nameEn,
        actual: t1.actual,
        target: t1.target,
        attainmentBp: t1.attainmentBp,
        gap: t1.gap,
      });

      expect(text['zh-CN'].title).toBe('每日战报｜组织EAST｜3月15日');
      expect(text.en.lines).toContain(
        '- **Revenue** ¥16.00K of ¥60.00K, 26.7% attained, 18.8 pts behind time; gap ¥44.00K, ¥3.67K a working day needed',
      );
      expect(text['zh-CN'].lines).toContain('**最落后**：组织T1 22.5%，缺口 3.10万');
    });

    it('ranks the members of a team, and defaults to the unit one manages', async () => {
      const { report } = await ok('admin', `/api/reports/battle?unitId=${h.fx.units.t1}`);
      expect(report.leaders.by).toBe('member');
      // rep1 400,000 of 2,000,000 (20%), rep2 500,000 of 2,000,000 (25%)
      expect(report.leaders.top.map((r: any) => r.id)).toEqual([h.fx.members.rep2]);
      expect(report.leaders.behind.id).toBe(h.fx.members.rep1);
      const own = await ok('mgrWest', '/api/reports/battle');
      expect(own.report.unit.id).toBe(h.fx.units.west);
      const company = await ok('viewer', '/api/reports/battle?date=2026-03-13');
      expect(company.report.unit.id).toBe(h.fx.units.hq);
      expect(company.report.day[0].actual).toBe(200_000);
    });

    it('is refused outside the scope as the dashboard is', async () => {
      const east = h.fx.units.east;
      for (const [user, url] of [
        ['mgrWest', `/api/reports/battle?unitId=${east}`],
        ['mgrEast', `/api/reports/battle?unitId=${h.fx.units.hq}`],
        ['rep1', `/api/reports/battle?unitId=${h.fx.units.t1}`],
        ['mgrWest', `/api/reports/weekly?unitId=${east}`],
        ['rep1', `/api/reports/weekly?unitId=${h.fx.units.t1}`],
      ] as const) {
        const report = await get(user, url);
        const dashboard = await get(
          user,
          url.replace(/\/reports\/(battle|weekly)/, '/tracking/overview'),
        );
        expect(dashboard.statusCode).toBe(403);
        expect(report.statusCode, `${user} ${url}`).toBe(403);
      }
      expect((await get('admin', '/api/reports/battle?unitId=999999')).statusCode).toBe(404);
      // a rep's own node is themself: a report is for a unit
      const rep = await get('rep1', '/api/reports/battle');
      expect(rep.statusCode).toBe(400);
      expect(rep.json().code).toBe('TRACKING_NEEDS_UNIT');
      const anonymous = await h.app.inject({ method: 'GET', url: '/api/reports/battle' });
      expect(anonymous.statusCode).toBe(401);
    });

    it('reports only days that are over', async () => {
      const res = await get(
        'admin',
        `/api/reports/battle?unitId=${h.fx.units.east}&date=2026-03-16`,
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('REPORT_PERIOD_OPEN');
    });
  });

  describe('weekly sheet', () => {
    it("equals the dashboard's week and month for the same unit", async () => {
      const east = h.fx.units.east;
      const { report, text } = await ok('mgrEast', `/api/reports/weekly?unitId=${east}`);
      expect(report).toMatchObject({
        week: '2026-W11',
        start: '2026-03-09',
        end: '2026-03-15',
        asOf: '2026-03-15',
        openAlerts: [],
      });
      for (const [i, metric] of METRICS.entries()) {
        const week = await ok(
          'mgrEast',
          `/api/tracking/overview?unitId=${east}&period=2026-W11&asOf=2026-03-15&metric=${metric}`,
        );
        expect(report.weekFigures[i]).toEqual({ metric, unit: week.unit, ...figuresOf(week) });
      }
      // 500,000 + 700,000 + 100,000 in the week of 9–15 March
      expect(report.weekFigures[0].actual).toBe(1_300_000);
      expect(text['zh-CN'].title).toBe('周会数据｜组织EAST｜2026-W11（3月9日–3月15日）');
      expect(text.en.lines.some((l: string) => l.startsWith('**Open alerts**'))).toBe(false);
    });

    it('counts a running week to yesterday and refuses a week not started', async () => {
      const running = await ok(
        'admin',
        `/api/reports/weekly?unitId=${h.fx.units.east}&week=2026-W11`,
      );
      expect(running.report.asOf).toBe('2026-03-15');
      const future = await get(
        'admin',
        `/api/reports/weekly?unitId=${h.fx.units.east}&week=2026-W12`,
      );
      expect(future.statusCode).toBe(400);
      expect(future.json().code).toBe('REPORT_PERIOD_OPEN');
      const bad = await get('admin', `/api/reports/weekly?unitId=${h.fx.units.east}&week=2026-03`);
      expect(bad.statusCode).toBe(400);
      expect(bad.json().code).toBe('PERIOD_INVALID');
    });
  });

  describe('schedule', () => {
    it('is read by anyone signed in and changed by admins only, at the version read', async () => {
      const s = await ok('viewer', '/api/reports/schedule');
      expect(s).toEqual({
        battle: { enabled: true, atMinute: 510, kinds: ['company', 'region'] },
        weekly: { enabled: true, weekday: 1, atMinute: 480, kinds: ['company', 'region'] },
        version: 1,
      });
      const next = { ...s, battle: { ...s.battle, atMinute: 540, kinds: ['team'] } };
      expect((await h.call('mgrEast', 'PUT', '/api/reports/schedule', next)).statusCode).toBe(403);
      const saved = await h.call('admin', 'PUT', '/api/reports/schedule', next);
      expect(saved.statusCode, saved.body).toBe(200);
      expect(saved.json()).toEqual({ ...next, version: 2 });
      expect((await h.call('admin', 'PUT', '/api/reports/schedule', next)).statusCode).toBe(409);
      const bad = await h.call('admin', 'PUT', '/api/reports/schedule', {
        ...next,
        version: 2,
        weekly: { ...next.weekly, weekday: 8 },
      });
      expect(bad.statusCode).toBe(400);
      // back to the defaults for the other tests
      const back = await h.call('admin', 'PUT', '/api/reports/schedule', { ...s, version: 2 });
      expect(back.statusCode).toBe(200);
    });
  });
});
