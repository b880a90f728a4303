import type { Problem } from '../../domain/errors.ts';
import { defineColumns } from '../import/columns.ts';
import type { MasterKind } from './kind.ts';
import { parentsFirst } from './tree-order.ts';
import { applyTreeRow } from './tree-apply.ts';

const columns = defineColumns({
  code: {
    aliases: ['产品线编码', 'Product line code', '编码', 'code'],
    required: true,
    type: 'string',
  },
  nameZh: { aliases: ['产品线名称', 'Name', '名称', '中文名称'], required: true, type: 'string' },
  nameEn: { aliases: ['英文名称', 'English name'], type: 'string' },
  parentCode: { aliases: ['上级产品线编码', 'Parent code', '上级编码', '上级'], type: 'string' },
  sortOrder: { aliases: ['排序', 'Sort order'], type: 'integer' },
});

interface Item {
  row: number;
  code: string;
  nameZh: string;
  nameEn: string;
  parentCode: string | null;
  sortOrder: number | null;
  parentHeader: string;
}

export const productLinesKind: MasterKind<typeof columns, Item> = {
  entity: 'product_line',
  columns,
  roles: ['admin'],
  example: {
    code: 'APPLIANCE',
    nameZh: '智能家电',
    nameEn: 'Smart appliances',
    parentCode: null,
    sortOrder: 1,
  },

  async prepare(q, records, _ctx, header) {
    const problems: Problem[] = [];
    const stored = new Set(
      (await q.selectFrom('product_lines').select('code').execute()).map((r) => r.code),
    );
    const items: Item[] = [];
    for (const { rowNumber: row, values: v } of records) {
      if (v.code === null || v.nameZh === null) continue;
      items.push({
        row,
        code: v.code,
        nameZh: v.nameZh,
        nameEn: v.nameEn ?? v.nameZh,
        parentCode: v.parentCode,
        sortOrder: v.sortOrder,
        parentHeader: header('parentCode'),
      });
    }
    const inFile = new Set(items.map((i) => i.code));
    for (const item of items) {
      if (
        item.parentCode !== null &&
        !stored.has(item.parentCode) &&
        !inFile.has(item.parentCode)
      ) {
        problems.push({
          row: item.row,
          column: header('parentCode'),
          code: 'REFERENCE_NOT_FOUND',
          params: { entity: 'product_line', value: item.parentCode },
        });
      }
    }
    const { ordered, problems: cycles } = parentsFirst(items, header('parentCode'));
    return { items: ordered, problems: [...problems, ...cycles] };
  },

  async apply(trx, item, ctx) {
    return applyTreeRow(
      trx,
      'product_lines',
      'product_line',
      item,
      { name_zh: item.nameZh, name_en: item.nameEn },
      ctx,
    );
  },

  async exportRows(q) {
    const rows = await q
      .selectFrom('product_lines as l')
      .leftJoin('product_lines as p', 'p.id', 'l.parent_id')
      .select(['l.code', 'l.name_zh', 'l.name_en', 'p.code as parent_code', 'l.sort_order'])
      .orderBy('l.path')
      .execute();
    return rows.map((r) => ({
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      parentCode: r.parent_code,
      sortOrder: r.sort_order,
    }));
  },
};
