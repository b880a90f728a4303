import type { Selectable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { NotificationChannelsTable } from '../../db/schema.ts';
import { absoluteLink, renderDingtalk, renderWecom } from '../../domain/notify/render.ts';
import { dingtalkSign, standardWebhookHeaders } from '../../domain/notify/sign.ts';
import type { DeliveryContent } from './content.ts';
import type { NotifyTransport } from './transport.ts';

export type ChannelRow = Selectable<NotificationChannelsTable>;

export interface OutgoingRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  /** For the delivery log: where it went (no token, no signature) and how big. */
  summary: string;
}

/** The robots' mention ids of the members a message names (members without one are skipped). */
export async function mentionsOf(
  db: Db,
  memberIds: readonly number[],
): Promise<{ mobiles: string[]; userIds: string[] }> {
  if (memberIds.length === 0) return { mobiles: [], userIds: [] };
  const rows = await db
    .selectFrom('members')
    .select(['id', 'dingtalk_mobile', 'wecom_user_id'])
    .where('id', 'in', [...new Set(memberIds)])
    .orderBy('id')
    .execute();
  return {
    mobiles: rows.flatMap((r) => (r.dingtalk_mobile ? [r.dingtalk_mobile] : [])),
    userIds: rows.flatMap((r) => (r.wecom_user_id ? [r.wecom_user_id] : [])),
  };
}

/**
 * The HTTP requests that deliver `content` to `channel`: one per part for the robots (long
 * messages are split under their byte limits), one signed JSON body for a webhook. DingTalk's
 * signature carries the time of sending, so the requests are built just before they are sent.
 */
export function buildRequests(
  channel: ChannelRow,
  content: DeliveryContent,
  mentions: { mobiles: string[]; userIds: string[] },
  transport: NotifyTransport,
  deliveryId: number,
  nowMs: number,
): OutgoingRequest[] {
  const locale = channel.locale;
  const message = {
    text: content.text[locale],
    link: content.link ? absoluteLink(transport.publicUrl, content.link) : null,
    severity: content.severity,
    locale,
  };
  if (channel.kind === 'dingtalk') {
    const q = new URLSearchParams({ access_token: channel.token ?? '' });
    if (channel.secret) {
      q.set('timestamp', String(nowMs));
      q.set('sign', dingtalkSign(nowMs, channel.secret));
    }
    const url = `${transport.dingtalkBase}/robot/send?${q.toString()}`;
    return renderDingtalk(message, { keyword: channel.keyword, mobiles: mentions.mobiles }).map(
      (p, i, all) => {
        const body = JSON.stringify({
          msgtype: 'markdown',
          markdown: { title: p.title, text: p.text },
          at: { atMobiles: p.atMobiles, isAtAll: false },
        });
        return { url, body, headers: {}, summary: summary('dingtalk', i, all.length, body) };
      },
    );
  }
  if (channel.kind === 'wecom') {
    const url = `${transport.wecomBase}/cgi-bin/webhook/send?key=${encodeURIComponent(channel.token ?? '')}`;
    return renderWecom(message, { userIds: mentions.userIds }).map((content, i, all) => {
      const body = JSON.stringify({ msgtype: 'markdown', markdown: { content } });
      return { url, body, headers: {}, summary: summary('wecom', i, all.length, body) };
    });
  }
  const body = JSON.stringify({
    type: content.type,
    timestamp: new Date(nowMs).toISOString(),
    data: {
      ...(content.data as object),
      message,
    },
  });
  const id = `tfd_${deliveryId}`;
  const headers = standardWebhookHeaders(channel.secret, id, Math.floor(nowMs / 1000), body);
  return [{ url: channel.url ?? '', body, headers, summary: summary('webhook', 0, 1, body) }];
}

function summary(kind: string, i: number, n: number, body: string): string {
  const what = kind === 'webhook' ? 'webhook JSON' : `${kind} markdown`;
  return `${what}, ${n > 1 ? `part ${i + 1}/${n}, ` : ''}${Buffer.byteLength(body)} bytes`;
}
