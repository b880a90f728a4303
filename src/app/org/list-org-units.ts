import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { OrgKind } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Scope } from '../actor.ts';
import { unitPathInScope } from '../authorize.ts';

/** An org unit as the screens show it: its manager's name and how many belong to it on a date. */
export interface OrgUnitView {
  id: number;
  parentId: number | null;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: OrgKind;
  managerMemberId: number | null;
  managerNameZh: string | null;
  managerNameEn: string | null;
  path: string;
  sortOrder: number;
  memberCount: number;
  version: number;
}

/** What an operation that just wrote a unit may read back: everything. */
export const WHOLE_COMPANY: Scope = { all: true, unitPaths: [], memberId: null };

/**
 * The org units inside `scope` (plus the unit the scope's member belongs to on `asOf`), in tree
 * order; only unit `id` when given.
 */
export async function listOrgUnits(
  db: Db,
  scope: Scope,
  asOf: string,
  id?: number,
): Promise<OrgUnitView[]> {
  const counts = db
    .selectFrom('member_units')
    .select(['org_unit_id', sql<number>`count(*)`.as('n')])
    .where('start_date', '<=', asOf)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', asOf)]))
    .groupBy('org_unit_id')
    .as('c');
  let q = db
    .selectFrom('org_units as u')
    .leftJoin('members as m', 'm.id', 'u.manager_member_id')
    .leftJoin(counts, 'c.org_unit_id', 'u.id')
    .select([
      'u.id',
      'u.parent_id',
      'u.code',
      'u.name_zh',
      'u.name_en',
      'u.kind',
      'u.manager_member_id',
      'u.path',
      'u.sort_order',
      'u.version',
      'm.name_zh as manager_name_zh',
      'm.name_en as manager_name_en',
      'c.n',
    ])
    .orderBy('u.path');
  if (id !== undefined) q = q.where('u.id', '=', id);
  if (!scope.all) {
    q = q.where((eb) =>
      eb.or([
        unitPathInScope(eb, scope, 'u.path'),
        // A rep (or a manager) also sees the unit they belong to today.
        eb.exists(
          eb
            .selectFrom('member_units as mu')
            .select(sql`1`.as('one'))
            .whereRef('mu.org_unit_id', '=', 'u.id')
            .where('mu.member_id', '=', scope.memberId ?? -1)
            .where('mu.start_date', '<=', asOf)
            .where((e) => e.or([e('mu.end_date', 'is', null), e('mu.end_date', '>', asOf)])),
        ),
      ]),
    );
  }
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    kind: r.kind,
    managerMemberId: r.manager_member_id,
    managerNameZh: r.manager_name_zh,
    managerNameEn: r.manager_name_en,
    path: r.path,
    sortOrder: r.sort_order,
    memberCount: Number(r.n ?? 0),
    version: r.version,
  }));
}

/** One unit as `scope` may see it: NOT_FOUND when it does not exist, FORBIDDEN outside the scope. */
export async function getOrgUnit(db: Db, scope: Scope, asOf: string, id: number) {
  await orgUnitRow(db, id);
  const [unit] = await listOrgUnits(db, scope, asOf, id);
  if (!unit) throw new AppError('FORBIDDEN');
  return unit;
}

/** The stored row of a unit, or NOT_FOUND. */
export async function orgUnitRow(db: Db, id: number) {
  const row = await db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
  return row;
}
