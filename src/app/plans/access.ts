import { AppError } from '../../domain/errors.ts';
import type { Db } from '../../db/connect.ts';
import { rootUnit } from '../../db/plans/org.ts';
import type { OwnerType } from '../../db/schema.ts';
import { memberInScope } from '../authorize.ts';
import type { Actor, Scope } from '../actor.ts';

/**
 * Who may do what with a plan. Admins and the director (the manager of the company root) create
 * plans, approve, reject and activate; managers edit, decompose and submit inside their subtree of
 * a draft; reps propose for themselves and read their own cells; finance and viewers read.
 */
export async function isDirector(db: Db, user: Actor): Promise<boolean> {
  if (user.role === 'admin') return true;
  if (user.role !== 'manager' || user.memberId === null) return false;
  const root = await rootUnit(db);
  return root.manager_member_id === user.memberId;
}

export async function assertDirector(db: Db, user: Actor): Promise<void> {
  if (!(await isDirector(db, user))) throw new AppError('FORBIDDEN');
}

/** Every unit and member a scope can read (null = everything), for filtering whole grids in memory. */
export async function visibleOwners(
  db: Db,
  scope: Scope,
): Promise<{ units: Set<number>; members: Set<number> } | null> {
  if (scope.all) return null;
  const units = new Set<number>();
  if (scope.unitPaths.length > 0) {
    const rows = await db.selectFrom('org_units').select(['id', 'path']).execute();
    for (const r of rows) if (scope.unitPaths.some((p) => r.path.startsWith(p))) units.add(r.id);
  }
  const members = await db
    .selectFrom('members')
    .select('id')
    .where((eb) => memberInScope(eb, scope))
    .execute();
  return { units, members: new Set(members.map((m) => m.id)) };
}

/** Whether an owner (unit or member) lies inside a read scope. */
export async function ownerInScope(
  db: Db,
  scope: Scope,
  ownerType: OwnerType,
  ownerId: number,
): Promise<boolean> {
  if (scope.all) return true;
  if (ownerType === 'unit') {
    const u = await db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', ownerId)
      .executeTakeFirst();
    return !!u && scope.unitPaths.some((p) => u.path.startsWith(p));
  }
  const m = await db
    .selectFrom('members')
    .select('id')
    .where('id', '=', ownerId)
    .where((eb) => memberInScope(eb, scope))
    .executeTakeFirst();
  return !!m;
}

export async function assertOwnerReadable(
  db: Db,
  user: Actor,
  ownerType: OwnerType,
  ownerId: number,
): Promise<void> {
  if (!(await ownerInScope(db, user.scope, ownerType, ownerId))) throw new AppError('FORBIDDEN');
}

/**
 * Writing a target moves its siblings too, so a manager may write only where both the cell and the
 * parent its siblings share lie inside their subtree (mgrEast re-balances East's teams, never
 * East against West). Reps, finance and viewers never write targets.
 */
export async function assertTargetWritable(
  db: Db,
  user: Actor,
  owner: { ownerType: OwnerType; ownerId: number },
  parent: { ownerType: OwnerType; ownerId: number } | null,
): Promise<void> {
  if (await isDirector(db, user)) return;
  if (user.role !== 'manager') throw new AppError('FORBIDDEN');
  const managerScope: Scope = { ...user.scope, memberId: null };
  if (!(await ownerInScope(db, managerScope, owner.ownerType, owner.ownerId)))
    throw new AppError('FORBIDDEN');
  if (
    parent === null ||
    !(await ownerInScope(db, managerScope, parent.ownerType, parent.ownerId))
  ) {
    throw new AppError('FORBIDDEN');
  }
}
