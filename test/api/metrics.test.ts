import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';
import { BUILTIN_METRICS } from '../../src/domain/planning/metrics.ts';
import { ensureBuiltinMetrics } from '../../src/db/plans/metrics.ts';

describeEachDialect('metrics', (t) => {
  const h = useApp(t);
  const { call } = h;
  const aovPerLead = {
    code: 'revenue_per_lead',
    nameZh: '线索产出',
    nameEn: 'Revenue per lead',
    level: 'process',
    kind: 'derived',
    unit: 'fen',
  };

  describe('the built-in catalogue', () => {
    it('is synced at startup, once, and readable by everyone', async () => {
      const res = await call('rep1', 'GET', '/api/metrics');
      expect(res.statusCode).toBe(200);
      const codes = res.json().map((m: { code: string }) => m.code);
      expect(codes).toEqual(BUILTIN_METRICS.map((m) => m.code));
      expect(res.json().find((m: { code: string }) => m.code === 'aov')).toMatchObject({
        kind: 'derived',
        formula: { numerator: 'revenue', denominator: 'deals' },
        builtin: true,
      });
      // Syncing again changes nothing
      await ensureBuiltinMetrics(t.db, new Date());
      expect((await call('rep1', 'GET', '/api/metrics')).json()).toHaveLength(
        BUILTIN_METRICS.length,
      );
    });

    it('is read-only', async () => {
      const revenue = (await call('admin', 'GET', '/api/metrics'))
        .json()
        .find((m: { code: string }) => m.code === 'revenue');
      const res = await call('admin', 'PUT', `/api/metrics/${revenue.id}`, {
        ...revenue,
        nameEn: 'Sales',
        formula: null,
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('METRIC_BUILTIN_READONLY');
      expect(
        (await call('admin', 'DELETE', `/api/metrics/${revenue.id}?version=1`)).statusCode,
      ).toBe(409);
    });
  });

  describe('custom metrics', () => {
    it('are created by admins only, with formulas checked against the METHOD rules', async () => {
      expect(
        (
          await call('mgrEast', 'POST', '/api/metrics', {
            ...aovPerLead,
            formula: { numerator: 'revenue', denominator: 'leads' },
          })
        ).statusCode,
      ).toBe(403);
      const bad = [
        { ...aovPerLead, formula: null },
        { ...aovPerLead, formula: { numerator: 'revenue', denominator: 'collection_rate' } },
        { ...aovPerLead, formula: { numerator: 'revenue', denominator: 'nope' } },
        {
          ...aovPerLead,
          kind: 'additive',
          formula: { numerator: 'revenue', denominator: 'leads' },
        },
        {
          ...aovPerLead,
          kind: 'ratio',
          unit: 'fen',
          formula: { numerator: 'revenue', denominator: 'leads' },
        },
      ];
      for (const body of bad) {
        const res = await call('admin', 'POST', '/api/metrics', body);
        expect(res.statusCode, JSON.stringify(body)).toBe(400);
        expect(res.json().code).toBe('METRIC_FORMULA_INVALID');
      }
      const ok = await call('admin', 'POST', '/api/metrics', {
        ...aovPerLead,
        formula: { numerator: 'revenue', denominator: 'leads' },
      });
      expect(ok.statusCode, ok.body).toBe(201);
      expect(ok.json()).toMatchObject({ code: 'revenue_per_lead', builtin: false, version: 1 });
      expect(
        (
          await call('admin', 'POST', '/api/metrics', {
            ...aovPerLead,
            formula: { numerator: 'revenue', denominator: 'leads' },
          })
        ).json().code,
      ).toBe('DUPLICATE');
    });

    it('are updated with optimistic concurrency and deleted when unused', async () => {
      const m = (await call('admin', 'GET', '/api/metrics'))
        .json()
        .find((x: { code: string }) => x.code === 'revenue_per_lead');
      const upd = await call('admin', 'PUT', `/api/metrics/${m.id}`, {
        ...m,
        nameEn: 'Yield per lead',
      });
      expect(upd.statusCode, upd.body).toBe(200);
      expect(upd.json()).toMatchObject({ nameEn: 'Yield per lead', version: 2 });
      expect(
        (await call('admin', 'PUT', `/api/metrics/${m.id}`, { ...m, nameEn: 'Stale' })).statusCode,
      ).toBe(409);
      expect((await call('admin', 'DELETE', `/api/metrics/${m.id}?version=1`)).statusCode).toBe(
        409,
      );
      expect((await call('admin', 'DELETE', `/api/metrics/${m.id}?version=2`)).statusCode).toBe(
        204,
      );
      const log = await t.db
        .selectFrom('audit_log')
        .select('action')
        .where('entity', '=', 'metric')
        .execute();
      expect(log.map((l) => l.action)).toEqual(['create', 'update', 'delete']);
    });

    it('cannot lose an additive metric a derived one is built from', async () => {
      const base = await call('admin', 'POST', '/api/metrics', {
        code: 'trials',
        nameZh: '试用',
        nameEn: 'Trials',
        level: 'process',
        kind: 'additive',
        unit: 'count',
      });
      expect(base.statusCode, base.body).toBe(201);
      await call('admin', 'POST', '/api/metrics', {
        ...aovPerLead,
        code: 'revenue_per_trial',
        formula: { numerator: 'revenue', denominator: 'trials' },
      });
      const del = await call('admin', 'DELETE', `/api/metrics/${base.json().id}?version=1`);
      expect(del.statusCode).toBe(409);
      expect(del.json().code).toBe('IN_USE');
    });
  });
});
