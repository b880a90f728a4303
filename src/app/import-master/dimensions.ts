import { audit } from '../../db/audit.ts';
import type { Dimension } from '../../db/schema.ts';
import type { Problem } from '../../domain/errors.ts';
import { formatPercent } from '../../domain/percent.ts';
import { defineColumns } from '../import/columns.ts';
import type { MasterKind } from './kind.ts';
import { changedFields } from './refs.ts';

const base = {
  code: { aliases: ['编码', 'Code', '代码'], required: true, type: 'string' },
  nameZh: { aliases: ['名称', 'Name', '中文名称'], required: true, type: 'string' },
  nameEn: { aliases: ['英文名称', 'English name'], type: 'string' },
  sortOrder: { aliases: ['排序', 'Sort order'], type: 'integer' },
} as const;

const channelColumns = defineColumns({
  ...base,
  kind: {
    aliases: ['渠道类型', 'Channel kind'],
    type: 'enum',
    values: {
      online: ['线上', 'online'],
      offline: ['线下', 'offline'],
      partner: ['合作伙伴', '分销', 'partner'],
    },
  },
  monthlyLeadSupply: {
    aliases: ['月线索供给', 'Monthly lead supply', '每月线索量'],
    type: 'integer',
  },
  leadToDealBp: { aliases: ['线索成交转化率', 'Lead to deal rate', '线索转化率'], type: 'percent' },
});
const regionColumns = defineColumns({
  ...base,
  maturity: {
    aliases: ['市场成熟度', 'Maturity'],
    type: 'enum',
    values: { mature: ['成熟', '成熟市场', 'mature'], emerging: ['新兴', '新兴市场', 'emerging'] },
  },
});
const plainColumns = defineColumns({ ...base });

interface Item {
  row: number;
  code: string;
  nameZh: string;
  nameEn: string;
  sortOrder: number | null;
  attrs: Record<string, unknown>;
}

const enumLabel: Record<string, Record<string, [string, string]>> = {
  kind: {
    online: ['线上', 'online'],
    offline: ['线下', 'offline'],
    partner: ['合作伙伴', 'partner'],
  },
  maturity: { mature: ['成熟', 'mature'], emerging: ['新兴', 'emerging'] },
};

function dimensionKind<
  C extends typeof plainColumns | typeof channelColumns | typeof regionColumns,
>(
  dimension: Dimension,
  columns: C,
  attrFields: string[],
  example: Record<string, string | number>,
): MasterKind<C, Item> {
  return {
    entity: dimension,
    columns,
    roles: ['admin'],
    example: example as never,
    async prepare(_q, records) {
      const problems: Problem[] = [];
      const items: Item[] = [];
      for (const { rowNumber, values } of records) {
        const v = values as Record<string, unknown>;
        if (v.code === null || v.nameZh === null) continue;
        const attrs: Record<string, unknown> = {};
        for (const f of attrFields) if (v[f] !== null && v[f] !== undefined) attrs[f] = v[f];
        items.push({
          row: rowNumber,
          code: v.code as string,
          nameZh: v.nameZh as string,
          nameEn: (v.nameEn as string | null) ?? (v.nameZh as string),
          sortOrder: v.sortOrder as number | null,
          attrs,
        });
      }
      return { items, problems };
    },
    async apply(trx, item, ctx) {
      const stored = await trx
        .selectFrom('dimension_members')
        .selectAll()
        .where('dimension', '=', dimension)
        .where('code', '=', item.code)
        .executeTakeFirst();
      const nowIso = ctx.now.toISOString();
      if (!stored) {
        const { id } = await trx
          .insertInto('dimension_members')
          .values({
            dimension,
            code: item.code,
            name_zh: item.nameZh,
            name_en: item.nameEn,
            attrs: JSON.stringify(item.attrs),
            sort_order: item.sortOrder ?? 0,
            updated_at: nowIso,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, ctx.now, {
          userId: ctx.actor.userId,
          action: 'create',
          entity: dimension,
          entityId: id,
          after: item,
        });
        return 'created';
      }
      // Attributes the file does not mention are kept; the ones it names are replaced.
      const attrs = JSON.stringify({ ...JSON.parse(stored.attrs), ...item.attrs });
      const diff = changedFields(stored, {
        name_zh: item.nameZh,
        name_en: item.nameEn,
        sort_order: item.sortOrder ?? undefined,
        attrs,
      });
      if (Object.keys(diff).length === 0) return 'unchanged';
      await trx
        .updateTable('dimension_members')
        .set({ ...diff, version: stored.version + 1, updated_at: nowIso })
        .where('id', '=', stored.id)
        .execute();
      await audit(trx, ctx.now, {
        userId: ctx.actor.userId,
        action: 'update',
        entity: dimension,
        entityId: stored.id,
        before: stored,
        after: diff,
      });
      return 'updated';
    },
    async exportRows(q, _ctx, lang) {
      const rows = await q
        .selectFrom('dimension_members')
        .selectAll()
        .where('dimension', '=', dimension)
        .orderBy('sort_order')
        .orderBy('code')
        .execute();
      return rows.map((r) => {
        const attrs = JSON.parse(r.attrs) as Record<string, string | number>;
        const out: Record<string, string | number | null> = {
          code: r.code,
          nameZh: r.name_zh,
          nameEn: r.name_en,
          sortOrder: r.sort_order,
        };
        for (const f of attrFields) {
          const v = attrs[f];
          const label = typeof v === 'string' ? enumLabel[f]?.[v] : undefined;
          // Rates travel as '10.00%' so they read back as basis points, not as a fraction.
          if (f === 'leadToDealBp' && typeof v === 'number') out[f] = formatPercent(v, 2);
          else out[f] = label ? label[lang === 'en' ? 1 : 0] : (v ?? null);
        }
        return out;
      }) as never;
    },
  };
}

export const channelsKind = dimensionKind(
  'channel',
  channelColumns,
  ['kind', 'monthlyLeadSupply', 'leadToDealBp'],
  {
    code: 'OWN',
    nameZh: '自有流量',
    nameEn: 'Own traffic',
    sortOrder: 1,
    kind: '线上',
    monthlyLeadSupply: 2000,
    leadToDealBp: '10%',
  },
);
export const regionsKind = dimensionKind('region', regionColumns, ['maturity'], {
  code: 'EAST',
  nameZh: '华东',
  nameEn: 'East China',
  sortOrder: 1,
  maturity: '成熟',
});
export const segmentsKind = dimensionKind('segment', plainColumns, [], {
  code: 'KA',
  nameZh: '大客户',
  nameEn: 'Key account',
  sortOrder: 1,
});
export const customerTypesKind = dimensionKind('customer_type', plainColumns, [], {
  code: 'ENT',
  nameZh: '企业',
  nameEn: 'Enterprise',
  sortOrder: 1,
});
