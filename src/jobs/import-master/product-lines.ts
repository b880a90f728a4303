import { audit } from '../../api/audit.ts';
import { AppError, type Problem } from '../../domain/errors.ts';
import { defineColumns } from '../import/columns.ts';
import type { MasterKind } from './kind.ts';
import { changedFields } from './refs.ts';
import { parentsFirst } from './tree-order.ts';
import { rerootDescendants } from '../../db/tree-paths.ts';

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
    const nowIso = ctx.now.toISOString();
    const parent =
      item.parentCode === null
        ? null
        : await trx
            .selectFrom('product_lines')
            .select(['id', 'path'])
            .where('code', '=', item.parentCode)
            .executeTakeFirstOrThrow();
    const stored = await trx
      .selectFrom('product_lines')
      .selectAll()
      .where('code', '=', item.code)
      .executeTakeFirst();
    if (!stored) {
      const { id } = await trx
        .insertInto('product_lines')
        .values({
          parent_id: parent?.id ?? null,
          code: item.code,
          name_zh: item.nameZh,
          name_en: item.nameEn,
          path: '',
          sort_order: item.sortOrder ?? 0,
          updated_at: nowIso,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('product_lines')
        .set({ path: `${parent?.path ?? '/'}${id}/` })
        .where('id', '=', id)
        .execute();
      await audit(trx, ctx.now, {
        userId: ctx.actor.userId,
        action: 'create',
        entity: 'product_line',
        entityId: id,
        after: item,
      });
      return 'created';
    }
    const diff = changedFields(stored, {
      parent_id: parent?.id ?? null,
      name_zh: item.nameZh,
      name_en: item.nameEn,
      sort_order: item.sortOrder ?? undefined,
    });
    if (Object.keys(diff).length === 0) return 'unchanged';
    let path = stored.path;
    if (diff.parent_id !== undefined) {
      if (parent && parent.path.startsWith(stored.path)) {
        throw new AppError('IMPORT_INVALID', { count: 1 }, [
          { row: item.row, column: item.parentHeader, code: 'TREE_CYCLE' },
        ]);
      }
      path = `${parent?.path ?? '/'}${stored.id}/`;
      await rerootDescendants(trx, 'product_lines', stored, path);
    }
    await trx
      .updateTable('product_lines')
      .set({ ...diff, path, version: stored.version + 1, updated_at: nowIso })
      .where('id', '=', stored.id)
      .execute();
    await audit(trx, ctx.now, {
      userId: ctx.actor.userId,
      action: 'update',
      entity: 'product_line',
      entityId: stored.id,
      before: stored,
      after: diff,
    });
    return 'updated';
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
