import { audit } from '../../db/audit.ts';
import type { Problem } from '../../domain/errors.ts';
import { formatPercent } from '../../domain/percent.ts';
import { fenToYuanString } from '../../domain/money.ts';
import { defineColumns } from '../import/columns.ts';
import type { MasterKind } from './kind.ts';
import { RefIndex, changedFields } from './refs.ts';

const columns = defineColumns({
  code: {
    aliases: ['产品编码', 'Product code', '编码', 'SKU', 'code'],
    required: true,
    type: 'string',
  },
  nameZh: { aliases: ['产品名称', 'Name', '名称', '中文名称'], required: true, type: 'string' },
  nameEn: { aliases: ['英文名称', 'English name'], type: 'string' },
  productLine: {
    aliases: ['产品线', 'Product line', '产品线编码'],
    required: true,
    type: 'string',
  },
  grossMargin: { aliases: ['毛利率', 'Gross margin'], type: 'percent' },
  listPrice: { aliases: ['标准售价', 'List price', '单价', '售价'], type: 'money' },
});

interface Item {
  row: number;
  code: string;
  nameZh: string;
  nameEn: string;
  productLineId: number;
  grossMarginBp: number | null;
  listPrice: number | null;
}

export const productsKind: MasterKind<typeof columns, Item> = {
  entity: 'product',
  columns,
  roles: ['admin'],
  example: {
    code: 'SKU-001',
    nameZh: '智能扫地机器人',
    nameEn: 'Robot vacuum',
    productLine: 'APPLIANCE',
    grossMargin: '32.5%',
    listPrice: 2999,
  },

  async prepare(q, records, _ctx, header) {
    const problems: Problem[] = [];
    const lines = new RefIndex(
      await q.selectFrom('product_lines').select(['id', 'code', 'name_zh', 'name_en']).execute(),
    );
    const items: Item[] = [];
    for (const { rowNumber: row, values: v } of records) {
      const lineId = lines.resolve(
        v.productLine,
        row,
        header('productLine'),
        'product_line',
        problems,
      );
      if (v.grossMargin !== null && (v.grossMargin < 0 || v.grossMargin > 10000)) {
        problems.push({
          row,
          column: header('grossMargin'),
          code: 'PERCENT_INVALID',
          params: { value: formatPercent(v.grossMargin, 2) },
        });
      }
      if (v.code === null || v.nameZh === null || lineId === null) continue;
      items.push({
        row,
        code: v.code,
        nameZh: v.nameZh,
        nameEn: v.nameEn ?? v.nameZh,
        productLineId: lineId,
        grossMarginBp: v.grossMargin,
        listPrice: v.listPrice,
      });
    }
    return { items, problems };
  },

  async apply(trx, item, ctx) {
    const nowIso = ctx.now.toISOString();
    const stored = await trx
      .selectFrom('products')
      .selectAll()
      .where('code', '=', item.code)
      .executeTakeFirst();
    if (!stored) {
      const { id } = await trx
        .insertInto('products')
        .values({
          code: item.code,
          name_zh: item.nameZh,
          name_en: item.nameEn,
          product_line_id: item.productLineId,
          gross_margin_bp: item.grossMarginBp ?? 0,
          list_price: item.listPrice,
          updated_at: nowIso,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audit(trx, ctx.now, {
        userId: ctx.actor.userId,
        action: 'create',
        entity: 'product',
        entityId: id,
        after: item,
      });
      return 'created';
    }
    const diff = changedFields(stored, {
      name_zh: item.nameZh,
      name_en: item.nameEn,
      product_line_id: item.productLineId,
      gross_margin_bp: item.grossMarginBp ?? undefined,
      list_price: item.listPrice,
    });
    if (Object.keys(diff).length === 0) return 'unchanged';
    await trx
      .updateTable('products')
      .set({ ...diff, version: stored.version + 1, updated_at: nowIso })
      .where('id', '=', stored.id)
      .execute();
    await audit(trx, ctx.now, {
      userId: ctx.actor.userId,
      action: 'update',
      entity: 'product',
      entityId: stored.id,
      before: stored,
      after: diff,
    });
    return 'updated';
  },

  async exportRows(q) {
    const rows = await q
      .selectFrom('products as p')
      .innerJoin('product_lines as l', 'l.id', 'p.product_line_id')
      .select([
        'p.code',
        'p.name_zh',
        'p.name_en',
        'l.code as line_code',
        'p.gross_margin_bp',
        'p.list_price',
      ])
      .orderBy('p.code')
      .execute();
    return rows.map((r) => ({
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      productLine: r.line_code,
      grossMargin: formatPercent(r.gross_margin_bp, 2),
      // As text in 元 so the value round-trips exactly (a float cell could lose a fen).
      listPrice: r.list_price === null ? null : fenToYuanString(r.list_price),
    }));
  },
};
