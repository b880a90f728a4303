import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { getChannel, type ChannelView } from './queries.ts';

/**
 * Disables or re-enables a channel (admins only). Enabling clears the failure count and the
 * reason an automatic disable left; messages that waited are sent again from then on.
 */
export async function setChannelEnabled(
  db: Db,
  actor: Actor,
  input: { id: number; version: number; enabled: boolean },
  now: Date,
): Promise<ChannelView> {
  assertRole(actor, ['admin']);
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('notification_channels')
      .select(['id', 'enabled', 'disabled_reason', 'consecutive_failures'])
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!before) throw new AppError('NOT_FOUND', { entity: 'notification_channel' });
    await updateVersioned(
      trx,
      'notification_channels',
      before.id,
      input.version,
      input.enabled
        ? {
            enabled: 1,
            consecutive_failures: 0,
            disabled_reason: null,
            updated_at: now.toISOString(),
          }
        : { enabled: 0, disabled_reason: null, updated_at: now.toISOString() },
      'notification_channel',
    );
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: input.enabled ? 'enable' : 'disable',
      entity: 'notification_channel',
      entityId: before.id,
      before,
    });
  });
  return getChannel(db, actor, input.id);
}
