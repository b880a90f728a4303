import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import {
  auditedFields,
  channelColumns,
  secretChanges,
  type ChannelFields,
} from './channel-fields.ts';
import { getChannel, type ChannelView } from './queries.ts';

/**
 * Edits a channel (admins only, version-checked). An omitted token or secret keeps the stored
 * one; the audit entry says whether either changed, never what to.
 */
export async function updateChannel(
  db: Db,
  actor: Actor,
  input: ChannelFields & { id: number; version: number },
  now: Date,
): Promise<ChannelView> {
  assertRole(actor, ['admin']);
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('notification_channels')
      .selectAll()
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!before) throw new AppError('NOT_FOUND', { entity: 'notification_channel' });
    const cols = await channelColumns(trx, input, before);
    await updateVersioned(
      trx,
      'notification_channels',
      before.id,
      input.version,
      { ...cols, updated_at: now.toISOString() },
      'notification_channel',
    );
    if (before.mode === 'digest' && cols.mode === 'each') {
      // Alerts held for a digest that will no longer come go out one by one.
      await trx
        .updateTable('notification_deliveries')
        .set({ state: 'pending', next_attempt_at: now.toISOString() })
        .where('channel_id', '=', before.id)
        .where('state', '=', 'held')
        .execute();
    }
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'update',
      entity: 'notification_channel',
      entityId: before.id,
      before: auditedFields(before),
      after: { ...auditedFields(cols), ...secretChanges(before, cols) },
    });
  });
  return getChannel(db, actor, input.id);
}
