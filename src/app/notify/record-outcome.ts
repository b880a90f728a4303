import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { DeliveryRow } from '../../db/notify-deliveries.ts';
import { emitEvent } from '../../db/outbox.ts';
import type { NotifyRequest } from '../../domain/notify/notify-request.ts';
import {
  DISABLE_AFTER_FAILURES,
  MAX_DELIVERY_ATTEMPTS,
  retryDelayMs,
} from '../../domain/notify/delivery-policy.ts';
import type { AttemptOutcome } from './attempt-delivery.ts';
import type { ChannelRow } from './build-requests.ts';

/**
 * Writes an attempt's outcome on the delivery (held by `owner`'s lease) and its channel, in one
 * transaction: sent; or failed and due again after the back-off; or dead after the last attempt.
 * A channel that failed DISABLE_AFTER_FAILURES times in a row is disabled, audited, and the admins
 * are told through the company-wide channels (a `notify.message` of kind 'system').
 * `countsForChannel: false` (a test message) records the reply without touching the channel.
 */
export async function recordOutcome(
  db: Db,
  channel: ChannelRow,
  delivery: DeliveryRow,
  owner: string | null,
  o: AttemptOutcome,
  now: Date,
  { countsForChannel = true } = {},
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    let upd = trx.updateTable('notification_deliveries').where('id', '=', delivery.id);
    if (owner) upd = upd.where('lease_owner', '=', owner);
    const released = { lease_owner: null, lease_expires_at: null };
    if (o.waitMs > 0) {
      await upd
        .set({ ...released, next_attempt_at: new Date(now.getTime() + o.waitMs).toISOString() })
        .execute();
      return;
    }
    const attempts = delivery.attempts + 1;
    const reply = {
      request_summary: o.summary,
      reply_status: o.status,
      reply_body: o.body,
      parts_sent: o.partsSent,
      attempts,
    };
    if (o.ok) {
      await upd
        .set({ ...released, ...reply, state: 'sent', error: null, sent_at: now.toISOString() })
        .execute();
      if (countsForChannel)
        await trx
          .updateTable('notification_channels')
          .set({ consecutive_failures: 0 })
          .where('id', '=', channel.id)
          .execute();
      return;
    }
    const dead = attempts >= MAX_DELIVERY_ATTEMPTS || !countsForChannel;
    await upd
      .set({
        ...released,
        ...reply,
        state: dead ? 'dead' : 'failed',
        error: (o.error ?? 'failed').slice(0, 1000),
        next_attempt_at: new Date(now.getTime() + retryDelayMs(attempts)).toISOString(),
      })
      .execute();
    if (!countsForChannel) return;
    const ch = await trx
      .updateTable('notification_channels')
      .set((eb) => ({ consecutive_failures: eb('consecutive_failures', '+', 1) }))
      .where('id', '=', channel.id)
      .returning(['consecutive_failures', 'enabled', 'name'])
      .executeTakeFirst();
    if (!ch || ch.enabled !== 1 || ch.consecutive_failures < DISABLE_AFTER_FAILURES) return;
    const reason =
      `${ch.consecutive_failures} failures in a row; last: ${o.error ?? 'failed'}`.slice(0, 500);
    await trx
      .updateTable('notification_channels')
      .set({ enabled: 0, disabled_reason: reason, updated_at: now.toISOString() })
      .where('id', '=', channel.id)
      .execute();
    await audit(trx, now, {
      userId: null,
      action: 'disable',
      entity: 'notification_channel',
      entityId: channel.id,
      after: { reason, automatic: true },
    });
    const message: NotifyRequest = {
      kind: 'system',
      unitId: null,
      dedupeKey: `channel_disabled:${channel.id}:${now.toISOString()}`,
      mentionMemberIds: [],
      text: {
        'zh-CN': {
          title: `通知渠道“${ch.name}”已自动停用`,
          lines: [`- 连续失败 ${ch.consecutive_failures} 次`, `- 最后一次：${o.error ?? ''}`],
        },
        en: {
          title: `Notification channel "${ch.name}" was disabled`,
          lines: [`- ${ch.consecutive_failures} failures in a row`, `- Last: ${o.error ?? ''}`],
        },
      },
      link: '/notify/channels',
      at: now.toISOString(),
    };
    await emitEvent(trx, 'notify.message', message, now);
  });
}
