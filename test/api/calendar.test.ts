import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';

interface Day {
  date: string;
  working: boolean;
  kind: string;
  name: string | null;
  overridden: boolean;
}

describeEachDialect('calendar', (t) => {
  const h = useApp(t);
  const call = (
    user: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    locale = 'zh-CN',
  ) => h.call(user, method, url, payload, locale);
  const year = async (y: number, locale = 'zh-CN') => {
    const res = await call('rep1', 'GET', `/api/calendar/${y}`, undefined, locale);
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      year: number;
      hasOfficialData: boolean;
      workingDays: number;
      days: Day[];
    };
    return { ...body, day: (date: string) => body.days.find((d) => d.date === date)! };
  };

  describe('a year with the published schedule', () => {
    it('shows the official 2026 holidays and make-up working days', async () => {
      const y = await year(2026);
      expect(y.hasOfficialData).toBe(true);
      expect(y.days).toHaveLength(365);
      // Spring Festival 2026: Feb 15–23 off; Saturday Feb 14 and 28 are make-up working days
      expect(y.day('2026-02-17')).toEqual({
        date: '2026-02-17',
        working: false,
        kind: 'holiday',
        name: '春节',
        overridden: false,
      });
      expect(y.day('2026-02-14')).toMatchObject({ working: true, kind: 'makeup', name: '春节' });
      expect(y.day('2026-10-01')).toMatchObject({ working: false, name: '国庆节' });
      expect(y.day('2026-03-16')).toMatchObject({ working: true, kind: 'workday', name: null });
      // 261 weekdays − 19 weekday holidays + 6 make-up days
      expect(y.workingDays).toBe(248);
    });

    it('names holidays in the caller’s language', async () => {
      expect((await year(2026, 'en')).day('2026-02-17').name).toBe('Spring Festival');
    });
  });

  describe('a year without the published schedule', () => {
    it('has no official data until an admin adds an override', async () => {
      // Given 2027, which the holiday package does not cover yet
      expect((await year(2027)).hasOfficialData).toBe(false);
      const before = (await call('viewer', 'GET', '/api/calendar/years')).json() as {
        year: number;
        official: boolean;
        overrides: number;
      }[];
      expect(before.find((y) => y.year === 2026)).toEqual({
        year: 2026,
        official: true,
        overrides: 0,
      });
      expect(before.find((y) => y.year === 2027)).toBeUndefined();
      // When the admin marks the 2027 Spring Festival
      const put = await call('admin', 'PUT', '/api/calendar/overrides/2027-02-08', {
        kind: 'holiday',
        name: '春节',
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({ date: '2027-02-08', kind: 'holiday', name: '春节' });
      // Then 2027 counts as covered, and the day is off
      const y = await year(2027);
      expect(y.hasOfficialData).toBe(true);
      expect(y.day('2027-02-08')).toEqual({
        date: '2027-02-08',
        working: false,
        kind: 'holiday',
        name: '春节',
        overridden: true,
      });
      expect(y.workingDays).toBe(260);
      const after = (await call('viewer', 'GET', '/api/calendar/years')).json();
      expect(after.find((x: { year: number }) => x.year === 2027)).toEqual({
        year: 2027,
        official: false,
        overrides: 1,
      });
    });

    it('updates an override in place and lists overrides by year', async () => {
      await call('admin', 'PUT', '/api/calendar/overrides/2027-02-08', {
        kind: 'holiday',
        name: '春节假期',
      });
      await call('admin', 'PUT', '/api/calendar/overrides/2027-02-20', {
        kind: 'workday',
        name: '春节调休',
      });
      const list = (await call('rep1', 'GET', '/api/calendar/overrides?year=2027')).json();
      expect(list.map((o: { date: string; name: string }) => [o.date, o.name])).toEqual([
        ['2027-02-08', '春节假期'],
        ['2027-02-20', '春节调休'],
      ]);
      expect((await year(2027)).day('2027-02-20')).toMatchObject({ working: true, kind: 'makeup' });
      const log = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity', '=', 'holiday_override')
        .where('entity_id', '=', '2027-02-08')
        .execute();
      expect(log.map((l) => l.action)).toEqual(['create', 'update']);
      expect(JSON.parse(log[1]!.before!)).toMatchObject({ name: '春节' });
    });

    it('overrides the official schedule too', async () => {
      await call('admin', 'PUT', '/api/calendar/overrides/2026-03-16', {
        kind: 'holiday',
        name: '公司年假',
      });
      expect((await year(2026)).day('2026-03-16')).toMatchObject({
        working: false,
        kind: 'holiday',
        name: '公司年假',
        overridden: true,
      });
      expect((await call('admin', 'DELETE', '/api/calendar/overrides/2026-03-16')).statusCode).toBe(
        204,
      );
      expect((await year(2026)).workingDays).toBe(248);
    });

    it('goes back to no data when the overrides are removed', async () => {
      for (const date of ['2027-02-08', '2027-02-20']) {
        expect((await call('admin', 'DELETE', `/api/calendar/overrides/${date}`)).statusCode).toBe(
          204,
        );
      }
      expect((await year(2027)).hasOfficialData).toBe(false);
      expect((await call('admin', 'DELETE', '/api/calendar/overrides/2027-02-08')).statusCode).toBe(
        404,
      );
    });
  });

  describe('overrides', () => {
    it('reject an impossible date and an unknown kind', async () => {
      expect(
        (
          await call('admin', 'PUT', '/api/calendar/overrides/2027-02-30', {
            kind: 'holiday',
            name: '',
          })
        ).statusCode,
      ).toBe(400);
      expect(
        (
          await call('admin', 'PUT', '/api/calendar/overrides/2027-02-03', {
            kind: 'vacation',
            name: '',
          })
        ).statusCode,
      ).toBe(400);
    });

    it('are admin-only to change', async () => {
      for (const user of ['mgrEast', 'rep1', 'finance', 'viewer']) {
        expect(
          (
            await call(user, 'PUT', '/api/calendar/overrides/2027-01-01', {
              kind: 'holiday',
              name: '元旦',
            })
          ).statusCode,
        ).toBe(403);
        expect((await call(user, 'DELETE', '/api/calendar/overrides/2027-01-01')).statusCode).toBe(
          403,
        );
      }
    });
  });
});
