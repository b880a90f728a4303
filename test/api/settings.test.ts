import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';
import { getSetting, getSettings } from '../../src/db/settings.ts';

const WAN = 10_000_00; // 1万元 in fen

describeEachDialect('settings', (t) => {
  const h = useApp(t);
  const { call } = h;
  const rules = (a: number, b: number) => [
    { tier: 'A', minAnnualPurchase: a * WAN },
    { tier: 'B', minAnnualPurchase: b * WAN },
    { tier: 'C', minAnnualPurchase: 0 },
  ];

  describe('defaults', () => {
    it('are served before anything was saved, to every role', async () => {
      const res = await call('rep1', 'GET', '/api/settings');
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual({
        fiscalYearStartMonth: 1,
        customerTierRules: rules(500, 100),
        companyNameZh: '',
        companyNameEn: '',
        version: 1,
      });
      expect(await getSetting(t.db, 'fiscalYearStartMonth')).toBe(1);
    });
  });

  describe('changing the tier rules', () => {
    it('re-tiers every customer in the same transaction and audits it', async () => {
      // Given a customer buying 600万 a year, an A under the default rules
      const created = await call('admin', 'POST', '/api/customers', {
        code: 'C600',
        nameZh: '甲',
        nameEn: 'A',
        annualPurchase: 600 * WAN,
      });
      expect(created.json().tier).toBe('A');
      // When the admin raises A to 1,000万
      const res = await call('admin', 'PUT', '/api/settings', {
        fiscalYearStartMonth: 4,
        customerTierRules: rules(1000, 100),
        companyNameZh: '示例公司',
        companyNameEn: 'Example Co',
        version: 1,
      });
      // Then the settings are saved, and the customer is now a B
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        fiscalYearStartMonth: 4,
        companyNameEn: 'Example Co',
        version: 2,
        reclassifiedCustomers: 1,
      });
      expect((await call('admin', 'GET', `/api/customers/${created.json().id}`)).json().tier).toBe(
        'B',
      );
      expect((await getSettings(t.db)).customerTierRules).toEqual(rules(1000, 100));
      // And the audit says who changed what, and which customer moved
      const log = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('action', '=', 'reclassify')
        .execute();
      expect(log).toHaveLength(1);
      expect(JSON.parse(log[0]!.after!).changed).toEqual([
        { id: created.json().id, code: 'C600', from: 'A', to: 'B' },
      ]);
    });

    it('makes new customers follow the new rules', async () => {
      const res = await call('admin', 'POST', '/api/customers', {
        code: 'C700',
        nameZh: '乙',
        nameEn: 'B',
        annualPurchase: 700 * WAN,
      });
      expect(res.json().tier).toBe('B');
    });

    it('refuses rules where a better tier does not need more', async () => {
      const res = await call('admin', 'PUT', '/api/settings', {
        fiscalYearStartMonth: 4,
        customerTierRules: rules(100, 100),
        companyNameZh: '',
        companyNameEn: '',
        version: 2,
      });
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('TIER_RULES_INVALID');
      expect((await call('admin', 'GET', '/api/settings')).json().version).toBe(2);
    });
  });

  describe('concurrency and permissions', () => {
    it('rejects a save from a stale version', async () => {
      const res = await call('admin', 'PUT', '/api/settings', {
        fiscalYearStartMonth: 1,
        customerTierRules: rules(500, 100),
        companyNameZh: '',
        companyNameEn: '',
        version: 1,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json()).toMatchObject({
        code: 'VERSION_CONFLICT',
        params: { current: 2, given: 1 },
      });
      // Nothing was re-tiered by the refused save
      expect((await call('admin', 'GET', '/api/customers?q=C600')).json().items[0].tier).toBe('B');
    });

    it('rejects a fiscal year starting in month 13', async () => {
      const res = await call('admin', 'PUT', '/api/settings', {
        fiscalYearStartMonth: 13,
        customerTierRules: rules(500, 100),
        companyNameZh: '',
        companyNameEn: '',
        version: 2,
      });
      expect(res.statusCode).toBe(400);
    });

    it('is admin-only to change', async () => {
      for (const user of ['mgrEast', 'rep1', 'finance', 'viewer']) {
        const res = await call(user, 'PUT', '/api/settings', {
          fiscalYearStartMonth: 1,
          customerTierRules: rules(500, 100),
          companyNameZh: '',
          companyNameEn: '',
          version: 2,
        });
        expect(res.statusCode, user).toBe(403);
      }
    });
  });
});
