import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';

/**
 * Sends a failed or dead delivery again (admins only): due now, with a fresh set of attempts,
 * resuming after the parts that already arrived.
 */
export async function retryDelivery(
  db: Db,
  actor: Actor,
  input: { id: number },
  now: Date,
): Promise<void> {
  assertRole(actor, ['admin']);
  await db.transaction().execute(async (trx) => {
    const d = await trx
      .selectFrom('notification_deliveries')
      .select(['id', 'state', 'attempts', 'channel_id'])
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!d || d.state === 'held' || d.state === 'digested')
      throw new AppError('NOT_FOUND', { entity: 'notification_delivery' });
    if (d.state !== 'failed' && d.state !== 'dead')
      throw new AppError('VALIDATION', {
        field: 'state',
        reason: `a ${d.state} delivery cannot be resent`,
      });
    await trx
      .updateTable('notification_deliveries')
      .set({ state: 'pending', attempts: 0, next_attempt_at: now.toISOString() })
      .where('id', '=', d.id)
      .execute();
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'retry',
      entity: 'notification_delivery',
      entityId: d.id,
      before: d,
    });
  });
}
