import { sql } from 'kysely';
import type { Db, DialectName } from '../../db/connect.ts';
import type { DeliveryRow } from '../../db/notify-deliveries.ts';
import {
  interpretReply,
  pruneSendTimes,
  rateLimitWait,
} from '../../domain/notify/delivery-policy.ts';
import { buildRequests, mentionsOf, type ChannelRow } from './build-requests.ts';
import type { DeliveryContent } from './content.ts';
import { postJson, type NotifyTransport } from './transport.ts';

export interface AttemptOutcome {
  /** Every part arrived. */
  ok: boolean;
  /** The robot's 20/min limit says wait this long first (nothing was sent). */
  waitMs: number;
  /** Parts delivered so far (a retry starts after them). */
  partsSent: number;
  partsTotal: number;
  status: number | null;
  body: string | null;
  errcode: number | null;
  errmsg: string | null;
  error: string | null;
  summary: string | null;
}

/**
 * Sends what is left of one delivery: reserves a robot's send slots (20 a minute across all
 * instances, under the channel row's lock), then posts the parts in order, stopping at the first
 * that fails. Nothing here writes the delivery's outcome: the caller records it.
 */
export async function attemptDelivery(
  db: Db,
  dialect: DialectName,
  channel: ChannelRow,
  delivery: DeliveryRow,
  transport: NotifyTransport,
  now: () => Date,
): Promise<AttemptOutcome> {
  const content = JSON.parse(delivery.content) as DeliveryContent;
  const mentions = await mentionsOf(db, content.mentionMemberIds);
  const startMs = now().getTime();
  const all = buildRequests(channel, content, mentions, transport, delivery.id, startMs);
  const todo = all.slice(delivery.parts_sent);
  const base: AttemptOutcome = {
    ok: false,
    waitMs: 0,
    partsSent: delivery.parts_sent,
    partsTotal: all.length,
    status: null,
    body: null,
    errcode: null,
    errmsg: null,
    error: null,
    summary: todo[0]?.summary ?? null,
  };
  if (todo.length === 0) return { ...base, ok: true };
  // The 20-a-minute limit is the robots'; a webhook receiver takes what it is sent.
  const waitMs =
    channel.kind === 'webhook'
      ? 0
      : await reserveSends(db, dialect, channel.id, todo.length, startMs);
  if (waitMs > 0) return { ...base, waitMs };
  let sent = delivery.parts_sent;
  for (const req of todo) {
    try {
      const reply = await postJson(req.url, req.body, req.headers, transport.timeoutMs);
      const verdict = interpretReply(channel.kind, reply.status, reply.body);
      const got = { status: reply.status, body: reply.body, summary: req.summary };
      if (!verdict.ok)
        return {
          ...base,
          ...got,
          partsSent: sent,
          errcode: verdict.errcode,
          errmsg: verdict.errmsg,
          error:
            verdict.errcode !== null
              ? `errcode ${verdict.errcode}: ${verdict.errmsg ?? ''}`
              : `HTTP ${reply.status}`,
        };
      sent += 1;
      Object.assign(base, got);
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      const reason =
        err.name === 'TimeoutError'
          ? `timeout after ${transport.timeoutMs} ms`
          : `${err.message}${err.cause?.code ? ` (${err.cause.code})` : ''}`;
      return {
        ...base,
        partsSent: sent,
        status: null,
        body: null,
        error: reason,
        summary: req.summary,
      };
    }
  }
  return { ...base, ok: true, partsSent: sent };
}

/**
 * Takes `count` send slots of the channel's robot now, or says how long to wait. The send times
 * live on the channel row and are read and written under its lock, so two instances never
 * together exceed the limit.
 */
async function reserveSends(
  db: Db,
  dialect: DialectName,
  channelId: number,
  count: number,
  nowMs: number,
): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const lock = dialect === 'postgres' ? sql` for update` : sql``;
    const row = (
      await sql<{ recent_sends: string }>`
        select recent_sends from notification_channels where id = ${channelId}${lock}`.execute(trx)
    ).rows[0];
    const recent = pruneSendTimes(JSON.parse(row?.recent_sends ?? '[]') as number[], nowMs);
    const wait = rateLimitWait(recent, nowMs, count);
    if (wait > 0) return wait;
    const next = [...recent, ...Array.from({ length: count }, () => nowMs)];
    await trx
      .updateTable('notification_channels')
      .set({ recent_sends: JSON.stringify(next) })
      .where('id', '=', channelId)
      .execute();
    return 0;
  });
}
