import { sql, type ExpressionBuilder, type Expression, type SqlBool } from 'kysely';
import { AppError } from '../domain/errors.ts';
import type { Database, Role } from '../db/schema.ts';
import type { Db } from '../db/connect.ts';
import type { Actor, Scope } from './actor.ts';

/** The actor has one of the roles, or the operation is forbidden. */
export function assertRole(actor: Actor, roles: readonly Role[]): Actor {
  if (!roles.includes(actor.role)) throw new AppError('FORBIDDEN');
  return actor;
}

/** SQL condition: the org unit whose path column is given lies inside the scope. */
export function unitPathInScope(
  eb: ExpressionBuilder<any, any>,
  scope: Scope,
  pathColumn: string,
): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`1 = 1`;
  if (scope.unitPaths.length === 0) return sql<SqlBool>`1 = 0`;
  return eb.or(scope.unitPaths.map((p) => eb(eb.ref(pathColumn), 'like', `${p}%`)));
}

/**
 * SQL condition on `members.id`: the member is the user themself, or has ever belonged to a
 * unit in the managed subtrees (so a manager keeps seeing the history of someone who left).
 */
export function memberInScope(
  eb: ExpressionBuilder<Database, 'members'>,
  scope: Scope,
  memberIdColumn: 'members.id' = 'members.id',
): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`1 = 1`;
  const own =
    scope.memberId === null ? sql<SqlBool>`1 = 0` : eb(memberIdColumn, '=', scope.memberId);
  if (scope.unitPaths.length === 0) return own;
  return eb.or([
    own,
    eb.exists(
      eb
        .selectFrom('member_units as mu')
        .innerJoin('org_units as ou', 'ou.id', 'mu.org_unit_id')
        .select(sql`1`.as('one'))
        .whereRef('mu.member_id', '=', memberIdColumn)
        .where((e) => unitPathInScope(e, scope, 'ou.path')),
    ),
  ]);
}

/**
 * SQL condition on `members.id`: the member is the user themself, or belongs on `day` to a unit
 * in the managed subtrees. For what is the member's now (their customers), not their history: a
 * former manager keeps a transferred member's past facts, not the customers they take along.
 */
export function memberInScopeOn(
  eb: ExpressionBuilder<Database, 'members'>,
  scope: Scope,
  day: string,
): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`1 = 1`;
  const own = scope.memberId === null ? sql<SqlBool>`1 = 0` : eb('members.id', '=', scope.memberId);
  if (scope.unitPaths.length === 0) return own;
  return eb.or([
    own,
    eb.exists(
      eb
        .selectFrom('member_units as mu')
        .innerJoin('org_units as ou', 'ou.id', 'mu.org_unit_id')
        .select(sql`1`.as('one'))
        .whereRef('mu.member_id', '=', 'members.id')
        .where('mu.start_date', '<=', day)
        .where((e) => e.or([e('mu.end_date', 'is', null), e('mu.end_date', '>', day)]))
        .where((e) => unitPathInScope(e, scope, 'ou.path')),
    ),
  ]);
}

export async function assertMemberReadable(db: Db, scope: Scope, memberId: number): Promise<void> {
  if (scope.all) return;
  const row = await db
    .selectFrom('members')
    .select('id')
    .where('id', '=', memberId)
    .where((eb) => memberInScope(eb, scope))
    .executeTakeFirst();
  if (!row) throw new AppError('FORBIDDEN');
}

/** Managers write only strictly inside what they manage; admins write anywhere. */
export function assertUnitPathWritable(
  user: Actor,
  path: string,
  { strict }: { strict: boolean },
): void {
  if (user.role === 'admin') return;
  if (user.role !== 'manager') throw new AppError('FORBIDDEN');
  const ok = user.scope.unitPaths.some((p) =>
    strict ? path.startsWith(p) && path !== p : path.startsWith(p),
  );
  if (!ok) throw new AppError('FORBIDDEN');
}

/** A member may be edited by an admin, or by a manager whose subtree holds their current unit. */
export async function assertMemberWritable(
  db: Db,
  user: Actor,
  memberId: number,
  today: string,
): Promise<void> {
  if (user.role === 'admin') return;
  if (user.role !== 'manager') throw new AppError('FORBIDDEN');
  const current = await db
    .selectFrom('member_units as mu')
    .innerJoin('org_units as ou', 'ou.id', 'mu.org_unit_id')
    .select('ou.path')
    .where('mu.member_id', '=', memberId)
    .where('mu.start_date', '<=', today)
    .where((eb) => eb.or([eb('mu.end_date', 'is', null), eb('mu.end_date', '>', today)]))
    .executeTakeFirst();
  if (!current || !user.scope.unitPaths.some((p) => current.path.startsWith(p)))
    throw new AppError('FORBIDDEN');
}
