import type { Kysely, Transaction } from 'kysely';
import { audit } from '../../db/audit.ts';
import type { Database } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { unitPathInScope } from '../authorize.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * Appointing a unit's manager widens that member's scope to the unit's subtree, so it is
 * restricted: an admin appoints anyone; a manager (who may edit only units strictly below his
 * own, see `assertUnitPathWritable`) appoints only a member who belongs today to a unit inside
 * his own subtrees — the appointee then reads no more than the appointer already does. Clearing
 * a manager (null) narrows scope and needs only the unit to be writable.
 */
export async function assertAppointable(
  q: Q,
  actor: Pick<Actor, 'role' | 'scope'>,
  memberId: number | null,
  today: string,
): Promise<void> {
  if (memberId === null) return;
  const member = await q
    .selectFrom('members')
    .select('id')
    .where('id', '=', memberId)
    .executeTakeFirst();
  if (!member) throw new AppError('NOT_FOUND', { entity: 'member' });
  if (actor.role === 'admin') return;
  const appointable = await appointableMembers(q, actor, today);
  if (!appointable.has(memberId))
    throw new AppError('MANAGER_APPOINTMENT_FORBIDDEN', { member: memberId });
}

/** The members a non-admin may appoint: those in a unit of his subtrees on `today`. */
export async function appointableMembers(
  q: Q,
  actor: Pick<Actor, 'role' | 'scope'>,
  today: string,
): Promise<Set<number>> {
  if (actor.role !== 'admin' && actor.role !== 'manager') return new Set();
  const rows = await q
    .selectFrom('member_units as mu')
    .innerJoin('org_units as ou', 'ou.id', 'mu.org_unit_id')
    .select('mu.member_id')
    .where('mu.start_date', '<=', today)
    .where((eb) => eb.or([eb('mu.end_date', 'is', null), eb('mu.end_date', '>', today)]))
    .where((eb) => unitPathInScope(eb, actor.scope, 'ou.path'))
    .execute();
  return new Set(rows.map((r) => r.member_id));
}

/**
 * The appointment's own audit entry (`appoint_manager`), beside the unit's create or update
 * entry: who may now read the unit's subtree is what a reviewer looks for. Nothing when the
 * manager did not change.
 */
export async function auditAppointment(
  q: Q,
  now: Date,
  userId: number | null,
  unitId: number,
  before: number | null,
  after: number | null,
): Promise<void> {
  if (before === after) return;
  await audit(q, now, {
    userId,
    action: 'appoint_manager',
    entity: 'org_unit',
    entityId: unitId,
    before: { managerMemberId: before },
    after: { managerMemberId: after },
  });
}
