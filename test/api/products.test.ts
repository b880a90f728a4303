import { beforeAll, describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';

interface Product {
  id: number;
  code: string;
  productLineId: number;
  productLineNameEn: string;
  grossMarginBp: number;
  listPrice: number | null;
  version: number;
}

describeEachDialect('products', (t) => {
  const h = useApp(t);
  const { call } = h;
  const lines: Record<string, number> = {};
  const product = (code: string, productLineId: number, extra: object = {}) => ({
    code,
    nameZh: `产品${code}`,
    nameEn: `Product ${code}`,
    productLineId,
    grossMarginBp: 3500,
    ...extra,
  });

  beforeAll(async () => {
    // Given software with a cloud sub-line, and a separate services line
    for (const [code, parent] of [
      ['SW', null],
      ['CLOUD', 'SW'],
      ['SVC', null],
    ] as const) {
      const res = await call('admin', 'POST', '/api/product-lines', {
        parentId: parent ? lines[parent] : null,
        code,
        nameZh: code,
        nameEn: `Line ${code}`,
      });
      lines[code] = res.json().id;
    }
    for (const [code, line] of [
      ['ERP', 'SW'],
      ['SAAS', 'CLOUD'],
      ['IMPL', 'SVC'],
    ] as const) {
      const res = await call(
        'admin',
        'POST',
        '/api/products',
        product(code, lines[line]!, { listPrice: 1_000_000 }),
      );
      expect(res.statusCode, res.body).toBe(201);
    }
  });

  describe('list', () => {
    it('filters by a product line including its sub-lines, with line names', async () => {
      const res = await call('rep1', 'GET', `/api/products?productLineId=${lines.SW}`);
      expect(res.statusCode).toBe(200);
      const body = res.json() as { items: Product[]; total: number };
      expect(body.total).toBe(2);
      expect(body.items.map((p) => [p.code, p.productLineNameEn])).toEqual([
        ['ERP', 'Line SW'],
        ['SAAS', 'Line CLOUD'],
      ]);
    });

    it('searches by code or name and pages', async () => {
      const search = (await call('viewer', 'GET', '/api/products?q=impl')).json();
      expect(search.items.map((p: Product) => p.code)).toEqual(['IMPL']);
      const page2 = (await call('viewer', 'GET', '/api/products?page=2&pageSize=2')).json();
      expect(page2).toMatchObject({ total: 3, items: [{ code: 'SAAS' }] });
    });
  });

  describe('writes', () => {
    it('creates, reads and updates a product with margin in basis points and price in fen', async () => {
      const created = await call(
        'admin',
        'POST',
        '/api/products',
        product('CRM', lines.SW!, { grossMarginBp: 6250, listPrice: null }),
      );
      expect(created.statusCode).toBe(201);
      const id = created.json().id;
      const read = (await call('finance', 'GET', `/api/products/${id}`)).json() as Product;
      expect(read).toMatchObject({ code: 'CRM', grossMarginBp: 6250, listPrice: null, version: 1 });
      const updated = await call(
        'admin',
        'PUT',
        `/api/products/${id}`,
        product('CRM', lines.CLOUD!, { listPrice: 9_999_900, version: 1 }),
      );
      expect(updated.statusCode).toBe(200);
      expect(updated.json()).toMatchObject({
        productLineId: lines.CLOUD,
        productLineNameEn: 'Line CLOUD',
        listPrice: 9_999_900,
        version: 2,
      });
    });

    it('rejects a margin above 100%, an unknown line and a duplicate code', async () => {
      expect(
        (
          await call(
            'admin',
            'POST',
            '/api/products',
            product('X1', lines.SW!, { grossMarginBp: 10_001 }),
          )
        ).statusCode,
      ).toBe(400);
      const unknown = await call('admin', 'POST', '/api/products', product('X2', 999_999));
      expect(unknown.statusCode).toBe(400);
      expect(unknown.json().code).toBe('REFERENCE_NOT_FOUND');
      const dup = await call('admin', 'POST', '/api/products', product('ERP', lines.SW!));
      expect(dup.statusCode).toBe(409);
      expect(dup.json().code).toBe('DUPLICATE');
    });

    it('rejects a stale version on update and delete', async () => {
      const erp = (await call('admin', 'GET', '/api/products?q=ERP')).json().items[0] as Product;
      const first = await call(
        'admin',
        'PUT',
        `/api/products/${erp.id}`,
        product('ERP', lines.SW!, { grossMarginBp: 4000, version: erp.version }),
      );
      expect(first.statusCode).toBe(200);
      const second = await call(
        'admin',
        'PUT',
        `/api/products/${erp.id}`,
        product('ERP', lines.SW!, { grossMarginBp: 4100, version: erp.version }),
      );
      expect(second.statusCode).toBe(409);
      expect(second.json().code).toBe('VERSION_CONFLICT');
      expect(
        (await call('admin', 'DELETE', `/api/products/${erp.id}?version=${erp.version}`))
          .statusCode,
      ).toBe(409);
      expect(
        (await call('admin', 'DELETE', `/api/products/${erp.id}?version=${erp.version + 1}`))
          .statusCode,
      ).toBe(204);
      expect((await call('admin', 'GET', `/api/products/${erp.id}`)).statusCode).toBe(404);
    });

    it('are admin-only', async () => {
      for (const user of ['mgrEast', 'rep1', 'finance', 'viewer']) {
        expect(
          (await call(user, 'POST', '/api/products', product(`N-${user}`, lines.SW!))).statusCode,
        ).toBe(403);
      }
    });
  });
});
