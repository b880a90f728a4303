import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';

interface DimensionMember {
  id: number;
  dimension: string;
  code: string;
  attrs: Record<string, unknown>;
  version: number;
}

describeEachDialect('dimensions', (t) => {
  const h = useApp(t);
  const { call } = h;
  const member = (code: string, attrs: object = {}) => ({
    code,
    nameZh: `维度${code}`,
    nameEn: `Dim ${code}`,
    attrs,
  });

  describe('attributes per dimension', () => {
    it('stores a channel with its kind and monthly lead supply', async () => {
      const res = await call(
        'admin',
        'POST',
        '/api/dimensions/channel',
        member('WEB', { kind: 'online', monthlyLeadSupply: 2000 }),
      );
      expect(res.statusCode, res.body).toBe(201);
      expect(res.json()).toMatchObject({
        dimension: 'channel',
        code: 'WEB',
        attrs: { kind: 'online', monthlyLeadSupply: 2000 },
        version: 1,
      });
    });

    it('rejects attributes that do not fit the dimension, naming the attribute', async () => {
      const badKind = await call(
        'admin',
        'POST',
        '/api/dimensions/channel',
        member('TV', { kind: 'tv' }),
      );
      expect(badKind.statusCode).toBe(400);
      expect(badKind.json()).toMatchObject({ code: 'VALIDATION', params: { field: 'attrs.kind' } });
      const noMaturity = await call('admin', 'POST', '/api/dimensions/region', member('NORTH'));
      expect(noMaturity.json().params.field).toBe('attrs.maturity');
      const extra = await call(
        'admin',
        'POST',
        '/api/dimensions/segment',
        member('KA', { color: 'red' }),
      );
      expect(extra.statusCode).toBe(400);
    });

    it('rejects an unknown dimension', async () => {
      expect((await call('admin', 'GET', '/api/dimensions/planet')).statusCode).toBe(400);
    });
  });

  describe('codes', () => {
    it('are unique within a dimension, not across dimensions', async () => {
      expect(
        (
          await call(
            'admin',
            'POST',
            '/api/dimensions/region',
            member('EAST', { maturity: 'mature' }),
          )
        ).statusCode,
      ).toBe(201);
      expect(
        (await call('admin', 'POST', '/api/dimensions/segment', member('EAST'))).statusCode,
      ).toBe(201);
      const dup = await call(
        'admin',
        'POST',
        '/api/dimensions/region',
        member('EAST', { maturity: 'emerging' }),
      );
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('DUPLICATE');
      const regions = (
        await call('rep1', 'GET', '/api/dimensions/region')
      ).json() as DimensionMember[];
      expect(regions.map((r) => r.code)).toEqual(['EAST']);
    });
  });

  describe('update and delete', () => {
    it('updates with the current version and rejects a stale one', async () => {
      const [east] = (
        await call('admin', 'GET', '/api/dimensions/region')
      ).json() as DimensionMember[];
      const edit = (maturity: string) =>
        call('admin', 'PUT', `/api/dimensions/region/${east!.id}`, {
          ...member('EAST', { maturity }),
          version: east!.version,
        });
      const first = await edit('emerging');
      expect(first.statusCode).toBe(200);
      expect(first.json().attrs).toEqual({ maturity: 'emerging' });
      expect((await edit('mature')).json().code).toBe('VERSION_CONFLICT');
    });

    it('does not reach a member through another dimension', async () => {
      const [east] = (
        await call('admin', 'GET', '/api/dimensions/region')
      ).json() as DimensionMember[];
      expect(
        (
          await call(
            'admin',
            'DELETE',
            `/api/dimensions/channel/${east!.id}?version=${east!.version}`,
          )
        ).statusCode,
      ).toBe(404);
    });

    it('refuses to delete a member a customer uses, then deletes it once unused', async () => {
      const [east] = (
        await call('admin', 'GET', '/api/dimensions/region')
      ).json() as DimensionMember[];
      const customer = await call('admin', 'POST', '/api/customers', {
        code: 'C-DIM',
        nameZh: '客户',
        nameEn: 'Customer',
        regionId: east!.id,
        annualPurchase: 0,
      });
      expect(customer.statusCode, customer.body).toBe(201);
      const refused = await call(
        'admin',
        'DELETE',
        `/api/dimensions/region/${east!.id}?version=${east!.version}`,
      );
      expect(refused.statusCode).toBe(409);
      expect(refused.json().code).toBe('IN_USE');
      await call('admin', 'DELETE', `/api/customers/${customer.json().id}?version=1`);
      expect(
        (
          await call(
            'admin',
            'DELETE',
            `/api/dimensions/region/${east!.id}?version=${east!.version}`,
          )
        ).statusCode,
      ).toBe(204);
    });

    it('are admin-only', async () => {
      for (const user of ['mgrEast', 'rep1', 'finance', 'viewer']) {
        expect(
          (await call(user, 'POST', '/api/dimensions/segment', member(`N-${user}`))).statusCode,
        ).toBe(403);
      }
    });
  });
});
