import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Tier } from '../../db/schema.ts';
import { containsText } from '../../db/search.ts';
import { AppError } from '../../domain/errors.ts';
import type { Scope } from '../actor.ts';
import { assertMemberReadable, memberInScope } from '../authorize.ts';

/** A member with the unit they belong to on a date. */
export interface MemberView {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  tier: Tier;
  hireDate: string;
  leaveDate: string | null;
  email: string | null;
  /** The mobile DingTalk robots @-mention the member by. */
  dingtalkMobile: string | null;
  /** The WeCom user id WeCom robots @-mention the member by. */
  wecomUserId: string | null;
  unitId: number | null;
  unitNameZh: string | null;
  unitNameEn: string | null;
  version: number;
}

export interface MembershipView {
  id: number;
  orgUnitId: number;
  unitNameZh: string;
  unitNameEn: string;
  startDate: string;
  endDate: string | null;
}

export interface MemberDetail extends MemberView {
  memberships: MembershipView[];
}

export interface ListMembersQuery {
  q?: string | undefined;
  unitId?: number | undefined;
  tier?: Tier | undefined;
  page: number;
  pageSize: number;
}

function baseQuery(db: Db, asOf: string) {
  return db
    .selectFrom('members')
    .leftJoin('member_units as mu', (j) =>
      j
        .onRef('mu.member_id', '=', 'members.id')
        .on('mu.start_date', '<=', asOf)
        .on((eb) => eb.or([eb('mu.end_date', 'is', null), eb('mu.end_date', '>', asOf)])),
    )
    .leftJoin('org_units as u', 'u.id', 'mu.org_unit_id');
}

function selectMember(q: ReturnType<typeof baseQuery>) {
  return q.select([
    'members.id',
    'members.code',
    'members.name_zh',
    'members.name_en',
    'members.tier',
    'members.hire_date',
    'members.leave_date',
    'members.email',
    'members.dingtalk_mobile',
    'members.wecom_user_id',
    'members.version',
    'u.id as unit_id',
    'u.name_zh as unit_name_zh',
    'u.name_en as unit_name_en',
  ]);
}

type MemberRow = Awaited<ReturnType<ReturnType<typeof selectMember>['executeTakeFirstOrThrow']>>;

function toView(r: MemberRow): MemberView {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    tier: r.tier,
    hireDate: r.hire_date,
    leaveDate: r.leave_date,
    email: r.email,
    dingtalkMobile: r.dingtalk_mobile,
    wecomUserId: r.wecom_user_id,
    unitId: r.unit_id,
    unitNameZh: r.unit_name_zh,
    unitNameEn: r.unit_name_en,
    version: r.version,
  };
}

/** One page of the members inside `scope` (with their unit on `asOf`), by code. */
export async function listMembers(
  db: Db,
  scope: Scope,
  query: ListMembersQuery,
  asOf: string,
): Promise<{ items: MemberView[]; total: number }> {
  let q = baseQuery(db, asOf).where((eb) => memberInScope(eb, scope));
  if (query.q) {
    const text = query.q;
    q = q.where((eb) =>
      containsText(eb, ['members.code', 'members.name_zh', 'members.name_en'], text),
    );
  }
  if (query.tier) q = q.where('members.tier', '=', query.tier);
  if (query.unitId) {
    const path = await unitPath(db, query.unitId);
    q = q.where('u.path', 'like', `${path}%`);
  }
  const { total } = await q.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow();
  const rows = await selectMember(q)
    .orderBy('members.code')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: rows.map(toView), total: Number(total) };
}

/** A member with their unit on `asOf` and every membership; NOT_FOUND when there is none. */
export async function memberDetail(db: Db, id: number, asOf: string): Promise<MemberDetail> {
  const row = await selectMember(baseQuery(db, asOf))
    .where('members.id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'member' });
  const memberships = await db
    .selectFrom('member_units as mu')
    .innerJoin('org_units as u', 'u.id', 'mu.org_unit_id')
    .select(['mu.id', 'mu.org_unit_id', 'u.name_zh', 'u.name_en', 'mu.start_date', 'mu.end_date'])
    .where('mu.member_id', '=', id)
    .orderBy('mu.start_date')
    .execute();
  return {
    ...toView(row),
    memberships: memberships.map((m) => ({
      id: m.id,
      orgUnitId: m.org_unit_id,
      unitNameZh: m.name_zh,
      unitNameEn: m.name_en,
      startDate: m.start_date,
      endDate: m.end_date,
    })),
  };
}

/** A member's detail as `scope` may read it (NOT_FOUND first, then FORBIDDEN). */
export async function getMember(db: Db, scope: Scope, id: number, asOf: string) {
  const detail = await memberDetail(db, id, asOf);
  await assertMemberReadable(db, scope, id);
  return detail;
}

/** The materialized path of a unit, or NOT_FOUND. */
export async function unitPath(db: Db, unitId: number): Promise<string> {
  const unit = await db
    .selectFrom('org_units')
    .select('path')
    .where('id', '=', unitId)
    .executeTakeFirst();
  if (!unit) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
  return unit.path;
}
