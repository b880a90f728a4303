import { describe, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';

interface Line {
  id: number;
  parentId: number | null;
  code: string;
  path: string;
  productCount: number;
  version: number;
}

describeEachDialect('product lines', (t) => {
  const h = useApp(t);
  const { call } = h;
  const create = async (code: string, parentId: number | null) => {
    const res = await call('admin', 'POST', '/api/product-lines', {
      parentId,
      code,
      nameZh: `线${code}`,
      nameEn: `Line ${code}`,
    });
    expect(res.statusCode, res.body).toBe(201);
    return res.json() as Line;
  };
  const list = async () => (await call('rep1', 'GET', '/api/product-lines')).json() as Line[];
  const byCode = async (code: string) => (await list()).find((l) => l.code === code)!;

  describe('tree', () => {
    it('lists lines in path order with materialized paths and product counts', async () => {
      // Given hardware with servers and storage below it, and a product filed under servers
      const hw = await create('HW', null);
      const srv = await create('SRV', hw.id);
      await create('STO', hw.id);
      await call('admin', 'POST', '/api/products', {
        code: 'P-SRV',
        nameZh: '服务器',
        nameEn: 'Server',
        productLineId: srv.id,
        grossMarginBp: 3000,
      });
      // When anyone signed in lists the lines
      const lines = await list();
      // Then the tree comes in path order and counts direct products
      expect(lines.map((l) => l.code)).toEqual(['HW', 'SRV', 'STO']);
      expect(lines.find((l) => l.code === 'SRV')).toMatchObject({
        parentId: hw.id,
        path: `/${hw.id}/${srv.id}/`,
        productCount: 1,
      });
      expect(lines.find((l) => l.code === 'HW')!.productCount).toBe(0);
    });

    it('moves a line with its sub-lines and refuses to move it under itself', async () => {
      const hw = await byCode('HW');
      const srv = await byCode('SRV');
      const gpu = await create('GPU', srv.id);
      // When hardware is moved under its own descendant
      const cycle = await call('admin', 'PUT', `/api/product-lines/${hw.id}`, {
        ...hw,
        nameZh: 'x',
        nameEn: 'x',
        parentId: gpu.id,
      });
      // Then it is refused
      expect(cycle.statusCode).toBe(400);
      expect(cycle.json().code).toBe('TREE_CYCLE');
      // When servers become a top-level line
      const moved = await call('admin', 'PUT', `/api/product-lines/${srv.id}`, {
        parentId: null,
        code: 'SRV',
        nameZh: '服务器',
        nameEn: 'Servers',
        version: srv.version,
      });
      expect(moved.statusCode, moved.body).toBe(200);
      // Then its sub-line follows it
      expect(moved.json().path).toBe(`/${srv.id}/`);
      expect((await byCode('GPU')).path).toBe(`/${srv.id}/${gpu.id}/`);
    });
  });

  describe('concurrency and uniqueness', () => {
    it('rejects the second of two edits made from the same version', async () => {
      const sto = await byCode('STO');
      const edit = (nameEn: string) =>
        call('admin', 'PUT', `/api/product-lines/${sto.id}`, {
          parentId: sto.parentId,
          code: 'STO',
          nameZh: '存储',
          nameEn,
          version: sto.version,
        });
      expect((await edit('Storage')).statusCode).toBe(200);
      const second = await edit('Disks');
      expect(second.statusCode).toBe(409);
      expect(second.json()).toMatchObject({
        code: 'VERSION_CONFLICT',
        params: { current: sto.version + 1, given: sto.version },
      });
    });

    it('rejects a duplicate code', async () => {
      const res = await call('admin', 'POST', '/api/product-lines', {
        parentId: null,
        code: 'HW',
        nameZh: '重',
        nameEn: 'Dup',
      });
      expect(res.statusCode).toBe(409);
      expect(res.json().code).toBe('DUPLICATE');
    });
  });

  describe('delete', () => {
    it('is refused while the line has products or sub-lines', async () => {
      const srv = await byCode('SRV');
      const withProducts = await call(
        'admin',
        'DELETE',
        `/api/product-lines/${srv.id}?version=${srv.version}`,
      );
      expect(withProducts.statusCode).toBe(409);
      expect(withProducts.json().code).toBe('IN_USE');
      const hw = await byCode('HW');
      const withChildren = await call(
        'admin',
        'DELETE',
        `/api/product-lines/${hw.id}?version=${hw.version}`,
      );
      expect(withChildren.json().code).toBe('IN_USE');
    });

    it('removes an empty line given its current version, and audits it', async () => {
      const gpu = await byCode('GPU');
      const stale = await call(
        'admin',
        'DELETE',
        `/api/product-lines/${gpu.id}?version=${gpu.version + 5}`,
      );
      expect(stale.statusCode).toBe(409);
      expect(
        (await call('admin', 'DELETE', `/api/product-lines/${gpu.id}?version=${gpu.version}`))
          .statusCode,
      ).toBe(204);
      expect((await list()).map((l) => l.code)).not.toContain('GPU');
      const log = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity', '=', 'product_line')
        .where('action', '=', 'delete')
        .execute();
      expect(log.map((l) => JSON.parse(l.before!).code)).toEqual(['GPU']);
    });
  });

  describe('non-admins', () => {
    it('may read but not write', async () => {
      const hw = await byCode('HW');
      for (const user of ['mgrEast', 'rep1', 'finance', 'viewer']) {
        expect((await call(user, 'GET', '/api/product-lines')).statusCode).toBe(200);
        expect(
          (
            await call(user, 'POST', '/api/product-lines', {
              parentId: null,
              code: `N-${user}`,
              nameZh: 'n',
              nameEn: 'n',
            })
          ).statusCode,
        ).toBe(403);
        expect(
          (
            await call(user, 'PUT', `/api/product-lines/${hw.id}`, {
              ...hw,
              nameZh: 'n',
              nameEn: 'n',
            })
          ).statusCode,
        ).toBe(403);
        expect(
          (await call(user, 'DELETE', `/api/product-lines/${hw.id}?version=${hw.version}`))
            .statusCode,
        ).toBe(403);
      }
    });
  });
});
