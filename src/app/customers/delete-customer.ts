import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { deleteVersioned, orInUse } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { chinaToday } from '../clock.ts';
import { assertOwnerWritable } from './checks.ts';

/**
 * Deletes a customer if it still has the version the client read: the delete names the version
 * (`where id = ? and version = ?`), so an edit committed after the scope check is never deleted
 * unseen. IN_USE while facts point at it.
 */
export async function deleteCustomer(
  db: Db,
  actor: Actor,
  input: { id: number; version: number },
  now: Date,
): Promise<void> {
  assertRole(actor, ['admin', 'manager']);
  await db.transaction().execute(async (trx) => {
    const current = await trx
      .selectFrom('customers')
      .select(['owner_member_id', 'version'])
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!current) throw new AppError('NOT_FOUND', { entity: 'customer' });
    await assertOwnerWritable(trx, actor, current.owner_member_id, chinaToday(now));
    if (current.version !== input.version)
      throw new AppError('VERSION_CONFLICT', { current: current.version, given: input.version });
    const before = await deleteVersioned(
      trx,
      'customers',
      input.id,
      input.version,
      'customer',
    ).catch(orInUse('customer'));
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'delete',
      entity: 'customer',
      entityId: input.id,
      before,
    });
  });
}
