import { randomUUID } from 'node:crypto';
import { audit } from '../../db/audit.ts';
import type { Db, DialectName } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { attemptDelivery } from './attempt-delivery.ts';
import type { DeliveryContent } from './content.ts';
import { recordOutcome } from './record-outcome.ts';
import { transportFromEnv, type NotifyTransport } from './transport.ts';

export interface TestReply {
  ok: boolean;
  deliveryId: number;
  /** The receiver's raw reply (null when it never answered: refused, timed out). */
  status: number | null;
  body: string | null;
  errcode: number | null;
  errmsg: string | null;
  error: string | null;
  /** The robot's 20/min limit is reached: nothing was sent; try again after this many ms. */
  waitMs: number;
}

/**
 * Sends a test message to a channel now (admins only, also to a disabled channel, so a fixed
 * robot can be checked before re-enabling it) and returns the receiver's raw reply. It appears
 * in the delivery log; its failure does not count towards disabling the channel.
 */
export async function sendTestMessage(
  db: Db,
  dialect: DialectName,
  actor: Actor,
  input: { id: number },
  now: () => Date,
  transport: NotifyTransport = transportFromEnv(),
): Promise<TestReply> {
  assertRole(actor, ['admin']);
  const channel = await db
    .selectFrom('notification_channels')
    .selectAll()
    .where('id', '=', input.id)
    .executeTakeFirst();
  if (!channel) throw new AppError('NOT_FOUND', { entity: 'notification_channel' });
  const at = now();
  const content: DeliveryContent = {
    type: 'test',
    text: {
      'zh-CN': {
        title: `测试消息：${channel.name}`,
        lines: [`- 来自 Targetflow 销售目标管理系统的测试消息`, `- 发送人：${actor.displayName}`],
      },
      en: {
        title: `Test message: ${channel.name}`,
        lines: [`- A test message from Targetflow`, `- Sent by ${actor.displayName}`],
      },
    },
    severity: null,
    link: '/notify/channels',
    mentionMemberIds: [],
    data: { channelId: channel.id },
  };
  const delivery = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('notification_deliveries')
      .values({
        channel_id: channel.id,
        dedupe_key: `test:${randomUUID()}`,
        source: 'test',
        state: 'pending',
        content: JSON.stringify(content),
        // Never due for the sender: this request sends it and records the outcome.
        next_attempt_at: '9999-12-31T00:00:00.000Z',
        lease_owner: `test:${actor.id}`,
        lease_expires_at: '9999-12-31T00:00:00.000Z',
        created_at: at.toISOString(),
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    await audit(trx, at, {
      userId: auditUserId(actor),
      action: 'test_send',
      entity: 'notification_channel',
      entityId: channel.id,
      after: { deliveryId: row.id },
    });
    return row;
  });
  const o = await attemptDelivery(db, dialect, channel, delivery, transport, now);
  if (o.waitMs > 0) {
    await db.deleteFrom('notification_deliveries').where('id', '=', delivery.id).execute();
  } else {
    await recordOutcome(db, channel, delivery, null, o, now(), { countsForChannel: false });
  }
  return {
    ok: o.ok,
    deliveryId: delivery.id,
    status: o.status,
    body: o.body,
    errcode: o.errcode,
    errmsg: o.errmsg,
    error: o.error,
    waitMs: o.waitMs,
  };
}
