import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import {
  auditedFields,
  channelColumns,
  secretChanges,
  type ChannelFields,
} from './channel-fields.ts';
import { getChannel, type ChannelView } from './queries.ts';

/** A new channel (admins only); the token and secret are stored and never read back. */
export async function createChannel(
  db: Db,
  actor: Actor,
  input: ChannelFields & { enabled?: boolean | undefined },
  now: Date,
): Promise<ChannelView> {
  assertRole(actor, ['admin']);
  const id = await db.transaction().execute(async (trx) => {
    const cols = await channelColumns(trx, input, null);
    const row = await trx
      .insertInto('notification_channels')
      .values({
        ...cols,
        enabled: input.enabled === false ? 0 : 1,
        disabled_reason: null,
        created_at: now.toISOString(),
        updated_at: now.toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'create',
      entity: 'notification_channel',
      entityId: row.id,
      after: { ...auditedFields(row), ...secretChanges(null, cols) },
    });
    return row.id;
  });
  return getChannel(db, actor, id);
}
