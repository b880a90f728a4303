import { beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/app/actor.ts';
import { login } from '../../src/app/auth/login.ts';
import { setHolidayOverride } from '../../src/app/calendar/set-holiday-override.ts';
import { createCustomer } from '../../src/app/customers/create-customer.ts';
import { createDimensionMember } from '../../src/app/dimensions/create-dimension-member.ts';
import { deleteDimensionMember } from '../../src/app/dimensions/delete-dimension-member.ts';
import { createProductLine } from '../../src/app/product-lines/create-product-line.ts';
import { createProduct } from '../../src/app/products/create-product.ts';
import { deleteProduct } from '../../src/app/products/delete-product.ts';
import { updateProduct } from '../../src/app/products/update-product.ts';
import { updateSettings } from '../../src/app/settings/update-settings.ts';
import { getSettings } from '../../src/db/settings.ts';
import { FIXED_NOW, PASSWORD, seedFixture, type Fixture } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

describeEachDialect('master-data operations', (t) => {
  let fx: Fixture;
  let admin: Actor;
  let manager: Actor;
  const count = async (table: 'products' | 'holiday_overrides' | 'audit_log') =>
    Number(
      (
        await t.db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );

  beforeAll(async () => {
    fx = await seedFixture(t.db);
    admin = (await login(t.db, { username: 'admin', password: PASSWORD }, FIXED_NOW)).actor;
    manager = (await login(t.db, { username: 'mgrEast', password: PASSWORD }, FIXED_NOW)).actor;
  });

  it('catalogue writes are admin-only: a manager is refused before anything is written', async () => {
    const line = await createProductLine(
      t.db,
      admin,
      { parentId: null, code: 'L1', nameZh: '线1', nameEn: 'Line 1' },
      FIXED_NOW,
    );
    const [products, overrides, entries] = [
      await count('products'),
      await count('holiday_overrides'),
      await count('audit_log'),
    ];
    const product = {
      code: 'P1',
      nameZh: '产品1',
      nameEn: 'Product 1',
      productLineId: line.id,
      grossMarginBp: 3000,
    };
    await expect(createProduct(t.db, manager, product, FIXED_NOW)).rejects.toMatchObject({
      code: 'FORBIDDEN',
    });
    await expect(
      setHolidayOverride(
        t.db,
        manager,
        { date: '2026-05-06', kind: 'holiday', name: 'x' },
        FIXED_NOW,
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect([
      await count('products'),
      await count('holiday_overrides'),
      await count('audit_log'),
    ]).toEqual([products, overrides, entries]);
  });

  it('a product deleted at a stale version stays, and so does the edit that made it stale', async () => {
    const line = await createProductLine(
      t.db,
      admin,
      { parentId: null, code: 'L2', nameZh: '线2', nameEn: 'Line 2' },
      FIXED_NOW,
    );
    const p = await createProduct(
      t.db,
      admin,
      {
        code: 'P2',
        nameZh: '产品2',
        nameEn: 'Product 2',
        productLineId: line.id,
        grossMarginBp: 1,
      },
      FIXED_NOW,
    );
    await updateProduct(
      t.db,
      admin,
      { ...p, grossMarginBp: 2500, id: p.id, version: p.version },
      FIXED_NOW,
    );
    await expect(
      deleteProduct(t.db, admin, { id: p.id, version: p.version }, FIXED_NOW),
    ).rejects.toMatchObject({ code: 'VERSION_CONFLICT', params: { current: 2, given: 1 } });
    const row = await t.db
      .selectFrom('products')
      .select(['gross_margin_bp', 'version'])
      .where('id', '=', p.id)
      .executeTakeFirst();
    expect(row).toEqual({ gross_margin_bp: 2500, version: 2 });
  });

  it('a segment used by a customer is IN_USE; the member and its audit trail stay', async () => {
    const seg = await createDimensionMember(
      t.db,
      admin,
      { dimension: 'segment', code: 'KA', nameZh: '大客户', nameEn: 'Key accounts', attrs: {} },
      FIXED_NOW,
    );
    await createCustomer(
      t.db,
      admin,
      {
        code: 'C1',
        nameZh: '客户1',
        nameEn: 'Customer 1',
        segmentId: seg.id,
        ownerMemberId: fx.members.rep1,
        annualPurchase: 0,
      },
      FIXED_NOW,
    );
    await expect(
      deleteDimensionMember(
        t.db,
        admin,
        { dimension: 'segment', id: seg.id, version: 1 },
        FIXED_NOW,
      ),
    ).rejects.toMatchObject({ code: 'IN_USE' });
    const deletes = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('action', '=', 'delete')
      .execute();
    expect(deletes).toEqual([]);
  });

  it('new tier rules re-tier customers in the same transaction as the settings and their audit', async () => {
    const before = await getSettings(t.db);
    const result = await updateSettings(
      t.db,
      admin,
      {
        ...before,
        // Everyone with a purchase of 0 or more is A now.
        customerTierRules: [{ tier: 'A', minAnnualPurchase: 0 }],
      },
      FIXED_NOW,
    );
    expect(result.version).toBe(before.version + 1);
    expect(result.reclassifiedCustomers).toBeGreaterThan(0);
    const tiers = await t.db.selectFrom('customers').select('tier').distinct().execute();
    expect(tiers).toEqual([{ tier: 'A' }]);
    const actions = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity'])
      .where('action', 'in', ['update', 'reclassify'])
      .where('entity', 'in', ['settings', 'customer'])
      .orderBy('id')
      .execute();
    expect(actions).toEqual([
      { action: 'update', entity: 'settings' },
      { action: 'reclassify', entity: 'customer' },
    ]);
    await expect(
      updateSettings(t.db, manager, { ...before, version: result.version }, FIXED_NOW),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect((await getSettings(t.db)).version).toBe(result.version);
  });
});
