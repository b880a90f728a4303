import { audit } from '../../db/audit.ts';
import { memberInScopeOn } from '../authorize.ts';
import { getSettings } from '../../db/settings.ts';
import { classifyCustomer } from '../../domain/customer-tier.ts';
import type { Problem } from '../../domain/errors.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { defineColumns } from '../import/columns.ts';
import type { MasterKind } from './kind.ts';
import { RefIndex, changedFields, dimensionIndex, memberIndex } from './refs.ts';

const columns = defineColumns({
  code: { aliases: ['客户编码', 'Customer code', '编码', 'code'], required: true, type: 'string' },
  nameZh: { aliases: ['客户名称', 'Name', '名称', '中文名称'], required: true, type: 'string' },
  nameEn: { aliases: ['英文名称', 'English name'], type: 'string' },
  segment: { aliases: ['客户细分', 'Segment', '细分'], type: 'string' },
  customerType: { aliases: ['客户类型', 'Customer type', '类型'], type: 'string' },
  region: { aliases: ['区域', 'Region', '地区'], type: 'string' },
  ownerCode: { aliases: ['负责人工号', 'Owner code', '负责人', '销售工号'], type: 'string' },
  annualPurchase: { aliases: ['年采购额', 'Annual purchase', '年度采购额'], type: 'money' },
});

interface Item {
  row: number;
  code: string;
  nameZh: string;
  nameEn: string;
  segmentId: number | null;
  customerTypeId: number | null;
  regionId: number | null;
  ownerId: number | null;
  annualPurchase: number;
}

export const customersKind: MasterKind<typeof columns, Item> = {
  entity: 'customer',
  columns,
  roles: ['admin', 'manager'],
  example: {
    code: 'C0001',
    nameZh: '杭州云帆科技有限公司',
    nameEn: 'Hangzhou Yunfan Tech',
    segment: 'KA',
    customerType: 'ENT',
    region: 'EAST',
    ownerCode: 'S001',
    annualPurchase: '6000000.00',
  },

  async prepare(q, records, ctx, header) {
    const problems: Problem[] = [];
    const [segments, types, regions, members] = await Promise.all([
      dimensionIndex(q, 'segment'),
      dimensionIndex(q, 'customer_type'),
      dimensionIndex(q, 'region'),
      memberIndex(q),
    ]);
    // A manager may only assign customers to people they manage today, and only touch such
    // customers (a transferred member's customers went with them, as in updateCustomer).
    let writable: Set<number> | null = null;
    const storedOwner = new Map<string, number | null>();
    if (ctx.actor.role !== 'admin') {
      const scoped = await q
        .selectFrom('members')
        .select('members.id')
        .where((eb) => memberInScopeOn(eb, ctx.actor.scope, ctx.today))
        .execute();
      writable = new Set(scoped.map((m) => m.id));
      for (const c of await q.selectFrom('customers').select(['code', 'owner_member_id']).execute())
        storedOwner.set(c.code, c.owner_member_id);
    }
    const items: Item[] = [];
    for (const { rowNumber: row, values: v } of records) {
      const item = {
        segmentId: segments.resolve(v.segment, row, header('segment'), 'segment', problems),
        customerTypeId: types.resolve(
          v.customerType,
          row,
          header('customerType'),
          'customer_type',
          problems,
        ),
        regionId: regions.resolve(v.region, row, header('region'), 'region', problems),
        ownerId: members.resolve(v.ownerCode, row, header('ownerCode'), 'member', problems),
      };
      if (writable && v.code !== null) {
        const before = storedOwner.get(v.code);
        const ownerOk = item.ownerId !== null && writable.has(item.ownerId);
        const beforeOk = before === undefined || (before !== null && writable.has(before));
        if (!ownerOk || !beforeOk)
          problems.push({ row, column: header(ownerOk ? 'code' : 'ownerCode'), code: 'FORBIDDEN' });
      }
      if (v.code === null || v.nameZh === null) continue;
      items.push({
        row,
        code: v.code,
        nameZh: v.nameZh,
        nameEn: v.nameEn ?? v.nameZh,
        annualPurchase: v.annualPurchase ?? 0,
        ...item,
      });
    }
    return { items, problems };
  },

  async apply(trx, item, ctx) {
    const nowIso = ctx.now.toISOString();
    const { customerTierRules } = await getSettings(trx);
    const tier = classifyCustomer(item.annualPurchase, customerTierRules);
    const wanted = {
      name_zh: item.nameZh,
      name_en: item.nameEn,
      segment_id: item.segmentId,
      customer_type_id: item.customerTypeId,
      region_id: item.regionId,
      owner_member_id: item.ownerId,
      annual_purchase: item.annualPurchase,
      tier,
    };
    const stored = await trx
      .selectFrom('customers')
      .selectAll()
      .where('code', '=', item.code)
      .executeTakeFirst();
    if (!stored) {
      const { id } = await trx
        .insertInto('customers')
        .values({ code: item.code, ...wanted, updated_at: nowIso })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, ctx.now, {
        userId: ctx.actor.userId,
        action: 'create',
        entity: 'customer',
        entityId: id,
        after: { code: item.code, ...wanted },
      });
      return 'created';
    }
    const diff = changedFields(stored, wanted);
    if (Object.keys(diff).length === 0) return 'unchanged';
    await trx
      .updateTable('customers')
      .set({ ...diff, version: stored.version + 1, updated_at: nowIso })
      .where('id', '=', stored.id)
      .execute();
    await audit(trx, ctx.now, {
      userId: ctx.actor.userId,
      action: 'update',
      entity: 'customer',
      entityId: stored.id,
      before: stored,
      after: diff,
    });
    return 'updated';
  },

  async exportRows(q, ctx) {
    const dims = new RefIndex(
      await q.selectFrom('dimension_members').select(['id', 'code']).execute(),
      false,
    );
    const members = await memberIndex(q);
    let query = q.selectFrom('customers').selectAll().orderBy('code');
    if (!ctx.actor.scope.all) {
      query = query.where((eb) =>
        eb(
          'owner_member_id',
          'in',
          eb
            .selectFrom('members')
            .select('members.id')
            .where((e) => memberInScopeOn(e, ctx.actor.scope, ctx.today)),
        ),
      );
    }
    const rows = await query.execute();
    return rows.map((r) => ({
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      segment: dims.code(r.segment_id),
      customerType: dims.code(r.customer_type_id),
      region: dims.code(r.region_id),
      ownerCode: members.code(r.owner_member_id),
      annualPurchase: fenToYuanString(r.annual_purchase),
    }));
  },
};
