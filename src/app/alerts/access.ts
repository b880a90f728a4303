import {
  sql,
  type ExpressionBuilder,
  type Expression,
  type SqlBool,
  type Selectable,
} from 'kysely';
import type { Actor, Scope } from '../actor.ts';
import type { Db } from '../../db/connect.ts';
import type { AlertsTable, Database } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';

/**
 * Who sees an alert: admin, finance and viewer all; a manager those routed to a unit of their
 * subtrees; everyone those about themself or assigned to them. An alert outside is NOT_FOUND,
 * never FORBIDDEN, so its existence does not leak.
 */
export function alertVisible(
  eb: ExpressionBuilder<Database, 'alerts'>,
  scope: Scope,
): Expression<SqlBool> {
  if (scope.all) return sql<SqlBool>`1 = 1`;
  const ors: Expression<SqlBool>[] = scope.unitPaths.map((p) =>
    eb('alerts.unit_path', 'like', `${p}%`),
  );
  if (scope.memberId !== null) ors.push(...aboutMember(eb, scope.memberId));
  return ors.length === 0 ? sql<SqlBool>`1 = 0` : eb.or(ors);
}

/** About the member, assigned to them, or about a unit they manage. */
export function aboutMember(
  eb: ExpressionBuilder<Database, 'alerts'>,
  memberId: number,
): Expression<SqlBool>[] {
  return [
    eb.and([eb('alerts.subject_type', '=', 'member'), eb('alerts.subject_id', '=', memberId)]),
    eb('alerts.assignee_member_id', '=', memberId),
    eb.and([
      eb('alerts.subject_type', '=', 'unit'),
      eb.exists(
        eb
          .selectFrom('org_units as mu')
          .select(sql`1`.as('one'))
          .whereRef('mu.id', '=', 'alerts.subject_id')
          .where('mu.manager_member_id', '=', memberId),
      ),
    ]),
  ];
}

export type AlertRow = Selectable<AlertsTable>;

/** The alert if the actor may see it, else NOT_FOUND. */
export async function loadVisibleAlert(db: Db, actor: Actor, id: number): Promise<AlertRow> {
  const row = await db
    .selectFrom('alerts')
    .selectAll()
    .where('id', '=', id)
    .where((eb) => alertVisible(eb, actor.scope))
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'alert' });
  return row;
}

/** Acknowledge and snooze: whoever sees the alert, except the read-only roles. */
export function assertCanAct(actor: Actor): void {
  if (!['admin', 'manager', 'rep'].includes(actor.role)) throw new AppError('FORBIDDEN');
}

/** Assign and plan: managers and admins. */
export function assertCanManage(actor: Actor): void {
  if (!['admin', 'manager'].includes(actor.role)) throw new AppError('FORBIDDEN');
}
