import { audit } from '../../db/audit.ts';
import { memberInScope } from '../authorize.ts';
import { membershipOn, moveMembership } from '../members/memberships.ts';
import type { Problem } from '../../domain/errors.ts';
import { defineColumns } from '../import/columns.ts';
import type { Actor, MasterKind } from './kind.ts';
import { RefIndex, changedFields } from './refs.ts';

const columns = defineColumns({
  code: {
    aliases: ['工号', 'Employee code', '员工编号', '编码', 'code'],
    required: true,
    type: 'string',
  },
  nameZh: { aliases: ['姓名', 'Name', '中文姓名', '名称'], required: true, type: 'string' },
  nameEn: { aliases: ['英文名', 'English name'], type: 'string' },
  tier: {
    aliases: ['职级', 'Tier', '层级'],
    required: true,
    type: 'enum',
    values: {
      senior: ['资深', '高级', 'senior'],
      regular: ['普通', '常规', '中级', 'regular'],
      new: ['新人', '新员工', 'new'],
    },
  },
  hireDate: { aliases: ['入职日期', 'Hire date'], required: true, type: 'date' },
  leaveDate: { aliases: ['离职日期', 'Leave date'], type: 'date' },
  email: { aliases: ['邮箱', 'Email', '电子邮件'], type: 'string' },
  // For robot @mentions; a file without these columns leaves them as they are.
  dingtalkMobile: { aliases: ['钉钉手机号', 'DingTalk mobile', '手机号'], type: 'string' },
  wecomUserId: { aliases: ['企业微信账号', 'WeCom user ID', '企业微信ID'], type: 'string' },
  unitCode: {
    aliases: ['所属组织编码', 'Unit code', '所属组织', '组织编码', '团队'],
    required: true,
    type: 'string',
  },
  effectiveDate: { aliases: ['调动生效日期', 'Transfer date', '生效日期'], type: 'date' },
});

const tierLabels = {
  senior: ['资深', 'senior'],
  regular: ['普通', 'regular'],
  new: ['新人', 'new'],
} as const;

interface Item {
  row: number;
  code: string;
  nameZh: string;
  nameEn: string;
  tier: 'senior' | 'regular' | 'new';
  hireDate: string;
  leaveDate: string | null;
  email: string | null;
  /** undefined: the file has no such column (keep the stored value). */
  dingtalkMobile: string | null | undefined;
  wecomUserId: string | null | undefined;
  unitId: number;
  effectiveDate: string | null;
}

function pathInScope(actor: Actor, path: string): boolean {
  return actor.role === 'admin' || actor.scope.unitPaths.some((p) => path.startsWith(p));
}

export const membersKind: MasterKind<typeof columns, Item> = {
  entity: 'member',
  columns,
  roles: ['admin', 'manager'],
  example: {
    code: 'S001',
    nameZh: '张伟',
    nameEn: 'Zhang Wei',
    tier: '资深',
    hireDate: '2022-03-01',
    leaveDate: null,
    email: 'zhang.wei@example.com',
    dingtalkMobile: '13800000000',
    wecomUserId: 'zhangwei',
    unitCode: 'EAST-T1',
    effectiveDate: null,
  },

  async prepare(q, records, ctx, header, present = () => true) {
    const problems: Problem[] = [];
    const units = await q
      .selectFrom('org_units')
      .select(['id', 'code', 'name_zh', 'name_en', 'path'])
      .execute();
    const unitIndex = new RefIndex(units);
    const pathById = new Map(units.map((u) => [u.id, u.path]));
    // Where each existing member sits today decides whether a manager may edit them.
    const current = await q
      .selectFrom('members')
      .leftJoin('member_units as mu', (j) =>
        j
          .onRef('mu.member_id', '=', 'members.id')
          .on('mu.start_date', '<=', ctx.today)
          .on((eb) => eb.or([eb('mu.end_date', 'is', null), eb('mu.end_date', '>', ctx.today)])),
      )
      .select(['members.code', 'mu.org_unit_id'])
      .execute();
    const currentUnit = new Map(current.map((c) => [c.code, c.org_unit_id]));
    const items: Item[] = [];
    for (const { rowNumber: row, values: v } of records) {
      const unitId = unitIndex.resolve(v.unitCode, row, header('unitCode'), 'org_unit', problems);
      if (
        v.code === null ||
        v.nameZh === null ||
        v.tier === null ||
        v.hireDate === null ||
        unitId === null
      )
        continue;
      if (v.dingtalkMobile !== null && !/^\+?[0-9-]{5,20}$/.test(v.dingtalkMobile)) {
        problems.push({
          row,
          column: header('dingtalkMobile'),
          code: 'VALIDATION',
          params: { field: header('dingtalkMobile'), reason: v.dingtalkMobile },
        });
      }
      if (v.leaveDate !== null && v.leaveDate < v.hireDate) {
        problems.push({
          row,
          column: header('leaveDate'),
          code: 'DATE_ORDER',
          params: { start: v.hireDate, end: v.leaveDate },
        });
      }
      if (!pathInScope(ctx.actor, pathById.get(unitId) ?? '')) {
        problems.push({ row, column: header('unitCode'), code: 'FORBIDDEN' });
      }
      const existingUnit = currentUnit.get(v.code);
      if (
        existingUnit !== undefined &&
        ctx.actor.role !== 'admin' &&
        !(existingUnit !== null && pathInScope(ctx.actor, pathById.get(existingUnit) ?? ''))
      ) {
        problems.push({ row, column: header('code'), code: 'FORBIDDEN' });
      }
      items.push({
        row,
        code: v.code,
        nameZh: v.nameZh,
        nameEn: v.nameEn ?? v.nameZh,
        tier: v.tier,
        hireDate: v.hireDate,
        leaveDate: v.leaveDate,
        email: v.email,
        dingtalkMobile: present('dingtalkMobile') ? v.dingtalkMobile : undefined,
        wecomUserId: present('wecomUserId') ? v.wecomUserId : undefined,
        unitId,
        effectiveDate: v.effectiveDate,
      });
    }
    return { items, problems };
  },

  async apply(trx, item, ctx) {
    const nowIso = ctx.now.toISOString();
    const stored = await trx
      .selectFrom('members')
      .selectAll()
      .where('code', '=', item.code)
      .executeTakeFirst();
    if (!stored) {
      const { id } = await trx
        .insertInto('members')
        .values({
          code: item.code,
          name_zh: item.nameZh,
          name_en: item.nameEn,
          tier: item.tier,
          hire_date: item.hireDate,
          leave_date: item.leaveDate,
          email: item.email,
          dingtalk_mobile: item.dingtalkMobile ?? null,
          wecom_user_id: item.wecomUserId ?? null,
          updated_at: nowIso,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await moveMembership(trx, id, item.unitId, item.hireDate);
      await audit(trx, ctx.now, {
        userId: ctx.actor.userId,
        action: 'create',
        entity: 'member',
        entityId: id,
        after: item,
      });
      return 'created';
    }
    const diff = changedFields(stored, {
      name_zh: item.nameZh,
      name_en: item.nameEn,
      tier: item.tier,
      hire_date: item.hireDate,
      leave_date: item.leaveDate,
      email: item.email,
      ...(item.dingtalkMobile !== undefined ? { dingtalk_mobile: item.dingtalkMobile } : {}),
      ...(item.wecomUserId !== undefined ? { wecom_user_id: item.wecomUserId } : {}),
    });
    const date = item.effectiveDate ?? ctx.today;
    const open = await membershipOn(trx, stored.id, date);
    const moves = open?.org_unit_id !== item.unitId;
    if (Object.keys(diff).length === 0 && !moves) return 'unchanged';
    if (Object.keys(diff).length > 0) {
      await trx
        .updateTable('members')
        .set({ ...diff, version: stored.version + 1, updated_at: nowIso })
        .where('id', '=', stored.id)
        .execute();
      await audit(trx, ctx.now, {
        userId: ctx.actor.userId,
        action: 'update',
        entity: 'member',
        entityId: stored.id,
        before: stored,
        after: diff,
      });
    }
    if (moves) {
      const { closed, opened } = await moveMembership(trx, stored.id, item.unitId, date);
      await audit(trx, ctx.now, {
        userId: ctx.actor.userId,
        action: 'transfer',
        entity: 'member',
        entityId: stored.id,
        before: closed,
        after: opened,
      });
    }
    return 'updated';
  },

  async exportRows(q, ctx, lang) {
    const rows = await q
      .selectFrom('members')
      .leftJoin('member_units as mu', (j) =>
        j
          .onRef('mu.member_id', '=', 'members.id')
          .on('mu.start_date', '<=', ctx.today)
          .on((eb) => eb.or([eb('mu.end_date', 'is', null), eb('mu.end_date', '>', ctx.today)])),
      )
      .leftJoin('org_units as u', 'u.id', 'mu.org_unit_id')
      .select([
        'members.code',
        'members.name_zh',
        'members.name_en',
        'members.tier',
        'members.hire_date',
        'members.leave_date',
        'members.email',
        'members.dingtalk_mobile',
        'members.wecom_user_id',
        'u.code as unit_code',
      ])
      .where((eb) => memberInScope(eb, ctx.actor.scope))
      .orderBy('members.code')
      .execute();
    return rows.map((r) => ({
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      tier: tierLabels[r.tier][lang === 'en' ? 1 : 0],
      hireDate: r.hire_date,
      leaveDate: r.leave_date,
      email: r.email,
      dingtalkMobile: r.dingtalk_mobile,
      wecomUserId: r.wecom_user_id,
      unitCode: r.unit_code,
      effectiveDate: null,
    }));
  },
};
