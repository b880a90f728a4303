import type { Db, DialectName } from '../../db/connect.ts';
import { claimDeliveries, type DeliveryRow } from '../../db/notify-deliveries.ts';
import type { AlertSeverity } from '../../domain/alerts/alert-event.ts';
import { assembleDigest } from '../../domain/notify/render.ts';
import { chinaToday } from '../clock.ts';
import { attemptDelivery } from './attempt-delivery.ts';
import { SEVERITY_RANK, type DeliveryContent } from './content.ts';
import { recordOutcome } from './record-outcome.ts';
import type { NotifyTransport } from './transport.ts';

export interface SendOptions {
  db: Db;
  dialect: DialectName;
  owner: string;
  now: () => Date;
  transport: NotifyTransport;
  /** How long a claimed batch is ours; default: longer than the batch takes with every receiver timing out. */
  leaseMs?: number;
  batch?: number;
}

/**
 * One pass of the sender: turns due digests into deliveries, then claims due deliveries and sends
 * them — one channel's in order, different channels at the same time. Returns how many deliveries
 * it attempted. Runs beside the worker's tick (never inside it), so a slow receiver holds up only
 * its own channel's messages.
 */
export async function sendDueDeliveries(o: SendOptions): Promise<number> {
  await assembleDueDigests(o.db, o.now());
  const batch = o.batch ?? 20;
  // One channel's rows go one after another: with every receiver timing out, the batch takes at
  // most batch × timeout (a split message has more parts, but robots take 20 a minute anyway).
  const leaseMs = o.leaseMs ?? batch * (o.transport.timeoutMs + 1_000) + 30_000;
  const claimed = await claimDeliveries(o.db, o.dialect, o.owner, o.now(), leaseMs, batch);
  if (claimed.length === 0) return 0;
  const byChannel = new Map<number, DeliveryRow[]>();
  for (const d of claimed) byChannel.set(d.channel_id, [...(byChannel.get(d.channel_id) ?? []), d]);
  await Promise.all(
    [...byChannel.entries()].map(async ([channelId, rows]) => {
      for (const d of rows) {
        const channel = await o.db
          .selectFrom('notification_channels')
          .selectAll()
          .where('id', '=', channelId)
          .executeTakeFirst();
        if (!channel) return;
        if (channel.enabled !== 1) {
          // Disabled while we held it (by its own failures): hand the rest back untouched.
          await o.db
            .updateTable('notification_deliveries')
            .set({ lease_owner: null, lease_expires_at: null })
            .where('id', '=', d.id)
            .where('lease_owner', '=', o.owner)
            .execute();
          continue;
        }
        const outcome = await attemptDelivery(o.db, o.dialect, channel, d, o.transport, o.now);
        await recordOutcome(o.db, channel, d, o.owner, outcome, o.now());
      }
    }),
  );
  return claimed.length;
}

/**
 * Digest channels collect the day's alerts ('held') and get them as one message at their digest
 * time (China time): the digest is a delivery of its own, keyed by the date so a second instance
 * or a second pass makes none, and the alerts it holds are marked 'digested' with its id.
 */
export async function assembleDueDigests(db: Db, now: Date): Promise<number> {
  const today = chinaToday(now);
  const china = new Date(now.getTime() + 8 * 3600_000).toISOString().slice(11, 16);
  const due = await db
    .selectFrom('notification_channels')
    .selectAll()
    .where('enabled', '=', 1)
    .where('mode', '=', 'digest')
    .where('digest_time', '<=', china)
    .where((eb) => eb.or([eb('last_digest_date', 'is', null), eb('last_digest_date', '<', today)]))
    .execute();
  let made = 0;
  for (const c of due) {
    await db.transaction().execute(async (trx) => {
      const claimed = await trx
        .updateTable('notification_channels')
        .set({ last_digest_date: today })
        .where('id', '=', c.id)
        .where((eb) =>
          eb.or([eb('last_digest_date', 'is', null), eb('last_digest_date', '<', today)]),
        )
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) return;
      const held = await trx
        .selectFrom('notification_deliveries')
        .select(['id', 'content'])
        .where('channel_id', '=', c.id)
        .where('state', '=', 'held')
        .orderBy('id')
        .execute();
      if (held.length === 0) return;
      const items = held.map((h) => JSON.parse(h.content) as DeliveryContent);
      const digestOf = (locale: 'zh-CN' | 'en') =>
        assembleDigest(
          items.map((i) => ({ text: i.text[locale], severity: i.severity, link: i.link })),
          locale,
          today,
        );
      const severity = items.reduce<AlertSeverity | null>(
        (m, i) =>
          i.severity && (!m || SEVERITY_RANK[i.severity] > SEVERITY_RANK[m]) ? i.severity : m,
        null,
      );
      const content: DeliveryContent = {
        type: 'digest',
        text: { 'zh-CN': digestOf('zh-CN'), en: digestOf('en') },
        severity,
        link: null,
        mentionMemberIds: [...new Set(items.flatMap((i) => i.mentionMemberIds))],
        data: { date: today, events: items.map((i) => i.data) },
      };
      const { id } = await trx
        .insertInto('notification_deliveries')
        .values({
          channel_id: c.id,
          dedupe_key: `digest:${today}`,
          source: 'digest',
          state: 'pending',
          content: JSON.stringify(content),
          next_attempt_at: now.toISOString(),
          created_at: now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('notification_deliveries')
        .set({ state: 'digested', digest_id: id })
        .where(
          'id',
          'in',
          held.map((h) => h.id),
        )
        .execute();
      made += 1;
    });
  }
  return made;
}
