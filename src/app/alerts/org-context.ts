import type { Db } from '../../db/connect.ts';
import {
  membersWithUnits,
  orgUnits,
  unitOn,
  type MemberRow,
  type OrgRow,
} from '../../db/alerts.ts';
import { pathIds } from '../../db/unit-rollups.ts';
import type { AlertChangedEvent, AlertState } from '../../domain/alerts/alert-event.ts';
import type { Chain } from '../../domain/alerts/recipients.ts';

/**
 * The org as the alert engine sees it, read once per evaluation (one row per unit and member):
 * names, the unit an alert about a member is routed by, and the chain of managers above a subject.
 */
export interface OrgContext {
  units: Map<number, OrgRow>;
  members: Map<number, MemberRow>;
}

export async function loadOrgContext(db: Db): Promise<OrgContext> {
  const [units, members] = await Promise.all([orgUnits(db), membersWithUnits(db)]);
  return { units: new Map(units.map((u) => [u.id, u])), members };
}

export type SubjectType = 'member' | 'unit';

/** The unit an alert is routed by: the unit itself, or the member's unit on `day`. */
export function routingUnit(
  ctx: OrgContext,
  type: SubjectType,
  id: number,
  day: string,
): number | null {
  if (type === 'unit') return ctx.units.has(id) ? id : null;
  const m = ctx.members.get(id);
  return m ? unitOn(m, day) : null;
}

/**
 * The managers above a subject, nearest first: for a member, the managers of their unit and its
 * ancestors (themself skipped: a team lead's manager is the region's); for a unit, its own
 * manager is the subject, the ancestors' managers are the chain.
 */
export function chainOf(ctx: OrgContext, type: SubjectType, id: number, unitId: number): Chain {
  const unit = ctx.units.get(unitId);
  const ids = unit ? pathIds(unit.path).reverse() : [];
  const subjectMemberId = type === 'member' ? id : (unit?.managerMemberId ?? null);
  const managers: number[] = [];
  for (const uid of type === 'unit' ? ids.slice(1) : ids) {
    const m = ctx.units.get(uid)?.managerMemberId;
    if (m !== null && m !== undefined && m !== subjectMemberId && !managers.includes(m))
      managers.push(m);
  }
  return { subjectMemberId, managers };
}

export function subjectOf(
  ctx: OrgContext,
  type: SubjectType,
  id: number,
  unitId: number,
): AlertChangedEvent['subject'] {
  const unit = ctx.units.get(unitId);
  const named = type === 'unit' ? ctx.units.get(id) : ctx.members.get(id);
  return {
    type,
    id,
    nameZh: named?.nameZh ?? `#${id}`,
    nameEn: named?.nameEn ?? `#${id}`,
    unitId,
    unitPath: unit?.path ?? '/',
  };
}

export const ACTIVE_STATES: readonly AlertState[] = ['open', 'acknowledged', 'snoozed'];

/** The part of the org one alert needs: the units on its routing path and the members named. */
export async function loadOrgContextFor(
  db: Db,
  unitPath: string,
  memberIds: readonly number[],
): Promise<OrgContext> {
  const ids = pathIds(unitPath);
  const [units, members] = await Promise.all([
    ids.length === 0
      ? []
      : db
          .selectFrom('org_units')
          .select(['id', 'parent_id', 'path', 'name_zh', 'name_en', 'manager_member_id'])
          .where('id', 'in', ids)
          .execute(),
    memberIds.length === 0
      ? []
      : db
          .selectFrom('members')
          .select(['id', 'name_zh', 'name_en', 'leave_date'])
          .where('id', 'in', [...memberIds])
          .execute(),
  ]);
  return {
    units: new Map(
      units.map((u) => [
        u.id,
        {
          id: u.id,
          parentId: u.parent_id,
          path: u.path,
          nameZh: u.name_zh,
          nameEn: u.name_en,
          managerMemberId: u.manager_member_id,
        },
      ]),
    ),
    members: new Map(
      members.map((m) => [
        m.id,
        { id: m.id, nameZh: m.name_zh, nameEn: m.name_en, leaveDate: m.leave_date, units: [] },
      ]),
    ),
  };
}
