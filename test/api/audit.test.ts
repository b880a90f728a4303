import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';

interface Entry {
  id: number;
  at: string;
  userDisplayName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

describeEachDialect('audit log', (t) => {
  const h = useApp(t);
  const { call } = h;
  let lineId = 0;

  beforeAll(async () => {
    // Given a product line created and then renamed by the admin
    const created = await call('admin', 'POST', '/api/product-lines', {
      parentId: null,
      code: 'AUD',
      nameZh: '审计',
      nameEn: 'Audit',
    });
    lineId = created.json().id;
    await call('admin', 'PUT', `/api/product-lines/${lineId}`, {
      parentId: null,
      code: 'AUD',
      nameZh: '审计',
      nameEn: 'Audited',
      version: 1,
    });
  });

  it('shows admins the newest entries first, with who did it and parsed before/after', async () => {
    const res = await call('admin', 'GET', `/api/audit?entity=product_line&entityId=${lineId}`);
    expect(res.statusCode).toBe(200);
    const { items, total } = res.json() as { items: Entry[]; total: number };
    expect(total).toBe(2);
    expect(items.map((e) => e.action)).toEqual(['update', 'create']);
    expect(items[0]).toMatchObject({
      userDisplayName: 'admin',
      entity: 'product_line',
      entityId: String(lineId),
      before: { name_en: 'Audit', version: 1 },
      after: { nameEn: 'Audited' },
    });
    expect(items[1]!.before).toBeNull();
  });

  it('filters by user, action and China-time day', async () => {
    const me = (await call('finance', 'GET', '/api/auth/me')).json();
    const logins = (await call('finance', 'GET', `/api/audit?userId=${me.id}&action=login`)).json();
    expect(logins.total).toBe(1);
    // The fixed clock is 2026-03-16 10:00 in China
    expect(
      (
        await call('admin', 'GET', '/api/audit?from=2026-03-16&to=2026-03-16&entity=product_line')
      ).json().total,
    ).toBe(2);
    expect(
      (await call('admin', 'GET', '/api/audit?from=2026-03-17&entity=product_line')).json().total,
    ).toBe(0);
    expect(
      (await call('admin', 'GET', '/api/audit?to=2026-03-15&entity=product_line')).json().total,
    ).toBe(0);
  });

  it('pages', async () => {
    const page = (
      await call('admin', 'GET', '/api/audit?entity=product_line&page=2&pageSize=1')
    ).json();
    expect(page).toMatchObject({ total: 2, items: [{ action: 'create' }] });
  });

  it('is visible to finance, and refused to everyone else', async () => {
    expect((await call('finance', 'GET', '/api/audit')).statusCode).toBe(200);
    for (const user of ['rep1', 'mgrEast', 'viewer']) {
      const res = await call(user, 'GET', '/api/audit');
      expect(res.statusCode, user).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
    }
  });
});
