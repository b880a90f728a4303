import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import type { DateRange } from '../../domain/periods.ts';
import type { Database, OrgKind, Tier } from '../schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface UnitInfo {
  id: number;
  parentId: number | null;
  code: string;
  nameZh: string;
  nameEn: string;
  kind: OrgKind;
  path: string;
  managerMemberId: number | null;
}

export interface MemberInfo {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  tier: Tier;
  hireDate: string;
  leaveDate: string | null;
}

export interface Membership {
  memberId: number;
  unitId: number;
  start: string;
  end: string | null;
}

/**
 * The org as planning sees it over a date range: every unit, and the memberships that overlap the
 * range ([start, end) semantics, so someone who moved teams on 1 July belongs to the old team for
 * January–June only — targets follow the same effective dates as crediting, METHOD §11).
 */
export interface OrgSnapshot {
  root: UnitInfo;
  units: Map<number, UnitInfo>;
  members: Map<number, MemberInfo>;
  memberships: Membership[];
  childUnits(unitId: number): UnitInfo[];
  /** Members belonging to the unit at some time inside `range`, in code order. */
  membersOf(unitId: number, range: DateRange): MemberInfo[];
}

export async function loadOrg(q: Q, range: DateRange): Promise<OrgSnapshot> {
  const unitRows = await q
    .selectFrom('org_units')
    .selectAll()
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  const units = new Map<number, UnitInfo>();
  const children = new Map<number, UnitInfo[]>();
  let root: UnitInfo | undefined;
  for (const r of unitRows) {
    const u: UnitInfo = {
      id: r.id,
      parentId: r.parent_id,
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      kind: r.kind,
      path: r.path,
      managerMemberId: r.manager_member_id,
    };
    units.set(u.id, u);
    if (u.parentId === null) root ??= u;
  }
  for (const u of units.values()) {
    if (u.parentId === null) continue;
    const list = children.get(u.parentId) ?? [];
    list.push(u);
    children.set(u.parentId, list);
  }
  if (!root) throw new AppError('ORG_ROOT_REQUIRED');
  const rows = await q
    .selectFrom('member_units as mu')
    .innerJoin('members as m', 'm.id', 'mu.member_id')
    .select([
      'mu.member_id',
      'mu.org_unit_id',
      'mu.start_date',
      'mu.end_date',
      'm.code',
      'm.name_zh',
      'm.name_en',
      'm.tier',
      'm.hire_date',
      'm.leave_date',
    ])
    .where('mu.start_date', '<=', range.end)
    .where((eb) => eb.or([eb('mu.end_date', 'is', null), eb('mu.end_date', '>', range.start)]))
    .orderBy('m.code')
    .orderBy('mu.start_date')
    .execute();
  const members = new Map<number, MemberInfo>();
  const memberships: Membership[] = [];
  for (const r of rows) {
    members.set(r.member_id, {
      id: r.member_id,
      code: r.code,
      nameZh: r.name_zh,
      nameEn: r.name_en,
      tier: r.tier,
      hireDate: r.hire_date,
      leaveDate: r.leave_date,
    });
    memberships.push({
      memberId: r.member_id,
      unitId: r.org_unit_id,
      start: r.start_date,
      end: r.end_date,
    });
  }
  // Indexed by unit: a plan of 10,000 members asks for every team's members every month.
  const byUnit = new Map<number, Membership[]>();
  for (const m of memberships) {
    const list = byUnit.get(m.unitId);
    if (list) list.push(m);
    else byUnit.set(m.unitId, [m]);
  }
  return {
    root,
    units,
    members,
    memberships,
    childUnits: (unitId) => children.get(unitId) ?? [],
    membersOf: (unitId, r) => {
      const seen = new Set<number>();
      const out: MemberInfo[] = [];
      for (const m of byUnit.get(unitId) ?? []) {
        if (seen.has(m.memberId)) continue;
        if (m.start > r.end || (m.end !== null && m.end <= r.start)) continue;
        const info = members.get(m.memberId);
        if (info) {
          seen.add(m.memberId);
          out.push(info);
        }
      }
      return out;
    },
  };
}

/** The company root unit (the one without a parent). */
export async function rootUnit(q: Q) {
  const root = await q
    .selectFrom('org_units')
    .selectAll()
    .where('parent_id', 'is', null)
    .orderBy('id')
    .executeTakeFirst();
  if (!root) throw new AppError('ORG_ROOT_REQUIRED');
  return root;
}
