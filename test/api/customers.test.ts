import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';

interface Customer {
  id: number;
  code: string;
  tier: string;
  ownerMemberId: number | null;
  ownerNameEn: string | null;
  segmentNameEn: string | null;
  regionNameEn: string | null;
  customerTypeNameEn: string | null;
  annualPurchase: number;
  version: number;
}

const WAN = 10_000_00; // 1万元 in fen

describeEachDialect('customers', (t) => {
  const h = useApp(t);
  const { call } = h;
  const dims: Record<string, number> = {};
  const ids: Record<string, number> = {};
  const customer = (
    code: string,
    ownerMemberId: number | null,
    annualPurchase: number,
    extra: object = {},
  ) => ({
    code,
    nameZh: `客户${code}`,
    nameEn: `Customer ${code}`,
    ownerMemberId,
    annualPurchase,
    ...extra,
  });
  const codes = async (user: string, query = '') =>
    (
      (await call(user, 'GET', `/api/customers?pageSize=100${query}`)).json().items as Customer[]
    ).map((c) => c.code);

  beforeAll(async () => {
    const dim = async (dimension: string, code: string, attrs: object = {}) => {
      const res = await call('admin', 'POST', `/api/dimensions/${dimension}`, {
        code,
        nameZh: code,
        nameEn: `${dimension} ${code}`,
        attrs,
      });
      dims[`${dimension}:${code}`] = res.json().id;
    };
    await dim('segment', 'KA');
    await dim('customer_type', 'ENT');
    await dim('region', 'SH', { maturity: 'mature' });
    // Given customers owned by rep1 and rep3 (East), rep4 (West), and one nobody owns
    const { rep1, rep3, rep4 } = h.fx.members;
    for (const [code, owner, amount] of [
      ['C-R1', rep1, 600 * WAN],
      ['C-R3', rep3, 200 * WAN],
      ['C-R4', rep4, 50 * WAN],
      ['C-NONE', null, 0],
    ] as const) {
      const res = await call(
        'admin',
        'POST',
        '/api/customers',
        customer(code, owner, amount, {
          segmentId: dims['segment:KA'],
          customerTypeId: dims['customer_type:ENT'],
          regionId: dims['region:SH'],
        }),
      );
      expect(res.statusCode, res.body).toBe(201);
      ids[code] = res.json().id;
    }
  });

  describe('tier', () => {
    it('is computed from annual purchase with the default rules (A ≥ 500万, B ≥ 100万)', async () => {
      const all = (await call('admin', 'GET', '/api/customers?pageSize=100')).json()
        .items as Customer[];
      expect(Object.fromEntries(all.map((c) => [c.code, c.tier]))).toEqual({
        'C-R1': 'A',
        'C-R3': 'B',
        'C-R4': 'C',
        'C-NONE': 'C',
      });
    });

    it('cannot be set by the client, and follows the amount on update', async () => {
      const created = await call('admin', 'POST', '/api/customers', {
        ...customer('C-TIER', null, 20 * WAN),
        tier: 'A',
      });
      expect(created.json().tier).toBe('C');
      const updated = await call('admin', 'PUT', `/api/customers/${created.json().id}`, {
        ...customer('C-TIER', null, 500 * WAN),
        version: 1,
      });
      expect(updated.json()).toMatchObject({ tier: 'A', annualPurchase: 500 * WAN, version: 2 });
    });
  });

  describe('reading', () => {
    it('returns the names of segment, type, region and owner, and filters', async () => {
      const [c] = (await call('admin', 'GET', '/api/customers?q=c-r1')).json().items as Customer[];
      expect(c).toMatchObject({
        code: 'C-R1',
        segmentNameEn: 'segment KA',
        customerTypeNameEn: 'customer_type ENT',
        regionNameEn: 'region SH',
        ownerNameEn: 'Person R1',
      });
      expect(await codes('admin', '&tier=B')).toEqual(['C-R3']);
      expect(await codes('admin', `&ownerMemberId=${h.fx.members.rep4}`)).toEqual(['C-R4']);
      expect(
        await codes('admin', `&segmentId=${dims['segment:KA']}&regionId=${dims['region:SH']}`),
      ).toEqual(['C-NONE', 'C-R1', 'C-R3', 'C-R4']);
    });

    it('Given codes with % and _, When searched for them, Then they match literally, ignoring case', async () => {
      for (const code of ['PCT%1', 'PCTX1', 'US_1', 'USX1'])
        expect(
          (await call('admin', 'POST', '/api/customers', customer(code, null, 0))).statusCode,
        ).toBe(201);
      expect(await codes('admin', `&q=${encodeURIComponent('t%1')}`)).toEqual(['PCT%1']);
      expect(await codes('admin', `&q=${encodeURIComponent('s_')}`)).toEqual(['US_1']);
      expect(await codes('admin', '&q=pctx')).toEqual(['PCTX1']);
    });

    it('shows everything to admin, finance and viewer', async () => {
      for (const user of ['finance', 'viewer']) {
        expect(await codes(user, '&q=C-R')).toEqual(['C-R1', 'C-R3', 'C-R4']);
      }
    });

    it('shows a rep only the customers they own', async () => {
      expect(await codes('rep1')).toEqual(['C-R1']);
      expect((await call('rep1', 'GET', `/api/customers/${ids['C-R1']}`)).statusCode).toBe(200);
      for (const other of ['C-R3', 'C-R4', 'C-NONE']) {
        expect((await call('rep1', 'GET', `/api/customers/${ids[other]}`)).statusCode, other).toBe(
          403,
        );
      }
      expect(await codes('rep2')).toEqual([]);
    });

    it('shows a manager the customers of members in their subtree only', async () => {
      expect(await codes('mgrEast')).toEqual(['C-R1', 'C-R3']);
      expect(await codes('mgrWest')).toEqual(['C-R4']);
      expect((await call('mgrEast', 'GET', `/api/customers/${ids['C-R4']}`)).statusCode).toBe(403);
      expect((await call('mgrEast', 'GET', `/api/customers/${ids['C-NONE']}`)).statusCode).toBe(
        403,
      );
    });
  });

  describe('writing', () => {
    it('is refused to reps, finance and viewers', async () => {
      for (const user of ['rep1', 'finance', 'viewer']) {
        expect(
          (await call(user, 'POST', '/api/customers', customer(`N-${user}`, h.fx.members.rep1, 0)))
            .statusCode,
          user,
        ).toBe(403);
        const edit = await call(user, 'PUT', `/api/customers/${ids['C-R1']}`, {
          ...customer('C-R1', h.fx.members.rep1, 0),
          version: 1,
        });
        expect(edit.statusCode, user).toBe(403);
      }
    });

    it('lets a manager create and edit customers of their own members', async () => {
      const created = await call(
        'mgrEast',
        'POST',
        '/api/customers',
        customer('C-MGR', h.fx.members.rep3, 150 * WAN),
      );
      expect(created.statusCode, created.body).toBe(201);
      expect(created.json().tier).toBe('B');
      const edit = await call('mgrEast', 'PUT', `/api/customers/${created.json().id}`, {
        ...customer('C-MGR', h.fx.members.rep1, 150 * WAN),
        version: 1,
      });
      expect(edit.statusCode).toBe(200);
      expect(edit.json().ownerMemberId).toBe(h.fx.members.rep1);
    });

    it('refuses a manager customers outside their subtree, in either direction of a hand-over', async () => {
      const { rep1, rep4 } = h.fx.members;
      // Create for another region's rep, or for nobody
      expect(
        (await call('mgrEast', 'POST', '/api/customers', customer('C-X1', rep4, 0))).statusCode,
      ).toBe(403);
      expect(
        (await call('mgrEast', 'POST', '/api/customers', customer('C-X2', null, 0))).statusCode,
      ).toBe(403);
      // Edit another region's customer, even to pull it into the own team
      const pull = await call('mgrEast', 'PUT', `/api/customers/${ids['C-R4']}`, {
        ...customer('C-R4', rep1, 50 * WAN),
        version: 1,
      });
      expect(pull.statusCode).toBe(403);
      // Give an own customer away to another region
      const push = await call('mgrEast', 'PUT', `/api/customers/${ids['C-R1']}`, {
        ...customer('C-R1', rep4, 600 * WAN),
        version: 1,
      });
      expect(push.statusCode).toBe(403);
      expect(
        (await call('mgrEast', 'DELETE', `/api/customers/${ids['C-R4']}?version=1`)).statusCode,
      ).toBe(403);
      // Nothing changed
      expect(
        (await call('admin', 'GET', `/api/customers/${ids['C-R4']}`)).json().ownerMemberId,
      ).toBe(rep4);
    });

    it('rejects a segment id that belongs to another dimension', async () => {
      const res = await call(
        'admin',
        'POST',
        '/api/customers',
        customer('C-BAD', null, 0, { segmentId: dims['region:SH'] }),
      );
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe('REFERENCE_NOT_FOUND');
    });

    it('rejects a duplicate code and a stale version', async () => {
      expect(
        (await call('admin', 'POST', '/api/customers', customer('C-R1', null, 0))).json().code,
      ).toBe('DUPLICATE');
      const body = { ...customer('C-R3', h.fx.members.rep3, 210 * WAN), version: 1 };
      expect((await call('admin', 'PUT', `/api/customers/${ids['C-R3']}`, body)).statusCode).toBe(
        200,
      );
      const stale = await call('mgrEast', 'PUT', `/api/customers/${ids['C-R3']}`, body);
      expect(stale.statusCode).toBe(409);
      expect(stale.json().code).toBe('VERSION_CONFLICT');
    });

    it('deletes with the current version and audits before and after', async () => {
      expect(
        (await call('admin', 'DELETE', `/api/customers/${ids['C-NONE']}?version=1`)).statusCode,
      ).toBe(204);
      expect((await call('admin', 'GET', `/api/customers/${ids['C-NONE']}`)).statusCode).toBe(404);
      const log = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity', '=', 'customer')
        .where('entity_id', '=', String(ids['C-R3']))
        .execute();
      const update = log.find((l) => l.action === 'update')!;
      expect(JSON.parse(update.before!)).toMatchObject({ annual_purchase: 200 * WAN, tier: 'B' });
      expect(JSON.parse(update.after!)).toMatchObject({ annualPurchase: 210 * WAN, tier: 'B' });
    });
  });
});
