import { unitPathInScope } from '../authorize.ts';
import type { Problem } from '../../domain/errors.ts';
import { defineColumns } from '../import/columns.ts';
import type { Actor, MasterKind } from './kind.ts';
import { memberIndex } from './refs.ts';
import { parentsFirst } from './tree-order.ts';
import { applyTreeRow } from './tree-apply.ts';
import { appointableMembers, auditAppointment } from '../org/manager-appointment.ts';

const columns = defineColumns({
  code: { aliases: ['组织编码', 'Unit code', '编码', 'code'], required: true, type: 'string' },
  nameZh: { aliases: ['组织名称', 'Name', '名称', '中文名称'], required: true, type: 'string' },
  nameEn: { aliases: ['英文名称', 'English name'], type: 'string' },
  kind: {
    aliases: ['类型', 'Kind', '组织类型'],
    required: true,
    type: 'enum',
    values: {
      company: ['公司', '总公司', 'company'],
      region: ['大区', '区域', 'region'],
      branch: ['分公司', '分部', 'branch'],
      team: ['团队', '小组', '组', 'team'],
    },
  },
  parentCode: { aliases: ['上级组织编码', 'Parent code', '上级编码', '上级'], type: 'string' },
  managerCode: { aliases: ['负责人工号', 'Manager code', '负责人', '经理工号'], type: 'string' },
  sortOrder: { aliases: ['排序', 'Sort order'], type: 'integer' },
});

const kindLabels = {
  company: ['公司', 'company'],
  region: ['大区', 'region'],
  branch: ['分公司', 'branch'],
  team: ['团队', 'team'],
} as const;

interface Item {
  row: number;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: 'company' | 'region' | 'branch' | 'team';
  parentCode: string | null;
  managerId: number | null;
  sortOrder: number | null;
  parentHeader: string;
}

function inScope(actor: Actor, path: string, strict: boolean): boolean {
  if (actor.role === 'admin') return true;
  return actor.scope.unitPaths.some((p) => path.startsWith(p) && (!strict || path !== p));
}

export const orgUnitsKind: MasterKind<typeof columns, Item> = {
  entity: 'org_unit',
  columns,
  roles: ['admin', 'manager'],
  example: {
    code: 'EAST-T1',
    nameZh: '华东一组',
    nameEn: 'East Team 1',
    kind: '团队',
    parentCode: 'EAST',
    managerCode: 'S001',
    sortOrder: 1,
  },

  async prepare(q, records, ctx, header) {
    const problems: Problem[] = [];
    const units = await q
      .selectFrom('org_units')
      .select(['id', 'code', 'path', 'parent_id', 'manager_member_id'])
      .execute();
    const byCode = new Map(units.map((u) => [u.code, u]));
    const members = await memberIndex(q);
    const appointable =
      ctx.actor.role === 'admin' ? null : await appointableMembers(q, ctx.actor, ctx.today);
    const items: Item[] = [];
    for (const { rowNumber: row, values: v } of records) {
      if (v.code === null || v.nameZh === null || v.kind === null) continue;
      items.push({
        row,
        code: v.code,
        nameZh: v.nameZh,
        nameEn: v.nameEn ?? v.nameZh,
        kind: v.kind,
        parentCode: v.parentCode,
        managerId: members.resolve(v.managerCode, row, header('managerCode'), 'member', problems),
        sortOrder: v.sortOrder,
        parentHeader: header('parentCode'),
      });
    }
    const inFile = new Map(items.map((i) => [i.code, i]));
    const root = units.find((u) => u.parent_id === null);
    for (const item of items) {
      const stored = byCode.get(item.code);
      // Appointing a manager widens their scope: see assertAppointable.
      if (
        appointable &&
        item.managerId !== null &&
        item.managerId !== (stored?.manager_member_id ?? null) &&
        !appointable.has(item.managerId)
      ) {
        problems.push({
          row: item.row,
          column: header('managerCode'),
          code: 'MANAGER_APPOINTMENT_FORBIDDEN',
        });
      }
      if (item.parentCode === null) {
        // Only the company itself has no parent, and there is one company.
        if (
          !(stored && stored.parent_id === null) &&
          (root || items.some((o) => o !== item && o.parentCode === null))
        ) {
          problems.push({ row: item.row, column: header('parentCode'), code: 'ORG_ROOT_REQUIRED' });
        }
        if (ctx.actor.role !== 'admin')
          problems.push({ row: item.row, column: header('code'), code: 'FORBIDDEN' });
        continue;
      }
      if (!byCode.has(item.parentCode) && !inFile.has(item.parentCode)) {
        problems.push({
          row: item.row,
          column: header('parentCode'),
          code: 'REFERENCE_NOT_FOUND',
          params: { entity: 'org_unit', value: item.parentCode },
        });
        continue;
      }
      // The nearest stored ancestor decides whether a manager may place the unit there.
      let anchor: string | null = item.parentCode;
      const seen = new Set<string>();
      while (anchor !== null && !byCode.has(anchor) && inFile.has(anchor) && !seen.has(anchor)) {
        seen.add(anchor);
        anchor = inFile.get(anchor)!.parentCode;
      }
      const anchorPath = anchor === null ? undefined : byCode.get(anchor)?.path;
      const writable =
        (anchorPath === undefined || inScope(ctx.actor, anchorPath, false)) &&
        (!stored || inScope(ctx.actor, stored.path, true));
      if (!writable) problems.push({ row: item.row, column: header('code'), code: 'FORBIDDEN' });
    }
    const { ordered, problems: cycles } = parentsFirst(items, header('parentCode'));
    return { items: ordered, problems: [...problems, ...cycles] };
  },

  async apply(trx, item, ctx) {
    const stored = await trx
      .selectFrom('org_units')
      .select(['id', 'manager_member_id'])
      .where('code', '=', item.code)
      .executeTakeFirst();
    const outcome = await applyTreeRow(
      trx,
      'org_units',
      'org_unit',
      item,
      {
        name_zh: item.nameZh,
        name_en: item.nameEn,
        kind: item.kind,
        manager_member_id: item.managerId,
      },
      ctx,
    );
    const id =
      stored?.id ??
      (
        await trx
          .selectFrom('org_units')
          .select('id')
          .where('code', '=', item.code)
          .executeTakeFirstOrThrow()
      ).id;
    await auditAppointment(
      trx,
      ctx.now,
      ctx.actor.userId,
      id,
      stored?.manager_member_id ?? null,
      item.managerId,
    );
    return outcome;
  },

  async exportRows(q, ctx, lang) {
    let query = q
      .selectFrom('org_units as u')
      .leftJoin('org_units as p', 'p.id', 'u.parent_id')
      .leftJoin('members as m', 'm.id', 'u.manager_member_id')
      .select([
        'u.code',
        'u.name_zh',
        'u.name_en',
        'u.kind',
        'p.code as parent_code',
        'm.code as manager_code',
        'u.sort_order',
        'u.path',
      ])
      .orderBy('u.path');
    if (!ctx.actor.scope.all)
      query = query.where((eb) => unitPathInScope(eb, ctx.actor.scope, 'u.path'));
    const rows = await query.execute();
    return rows.map((r) => ({
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      kind: kindLabels[r.kind][lang === 'en' ? 1 : 0],
      parentCode: r.parent_code,
      managerCode: r.manager_code,
      sortOrder: r.sort_order,
    }));
  },
};
