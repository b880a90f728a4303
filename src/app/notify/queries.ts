import type { Db } from '../../db/connect.ts';
import type { ChannelKind, DeliveryState } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import { maskSecret } from '../../domain/notify/delivery-policy.ts';
import type { Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import type { ChannelRow } from './build-requests.ts';

export interface ChannelView {
  id: number;
  kind: ChannelKind;
  name: string;
  url: string | null;
  /** Write-only values: whether one is stored and a masked hint, never the value. */
  tokenSet: boolean;
  tokenHint: string | null;
  secretSet: boolean;
  secretHint: string | null;
  keyword: string | null;
  locale: 'zh-CN' | 'en';
  unitId: number | null;
  unitNameZh: string | null;
  unitNameEn: string | null;
  mode: 'each' | 'digest';
  digestTime: string;
  alertsMinSeverity: 'info' | 'warning' | 'critical' | null;
  battleReports: boolean;
  weeklySheets: boolean;
  enabled: boolean;
  consecutiveFailures: number;
  disabledReason: string | null;
  lastDelivery: { state: DeliveryState; at: string; error: string | null } | null;
  waiting: number;
  version: number;
  updatedAt: string;
}

type Row = ChannelRow & { unit_name_zh: string | null; unit_name_en: string | null };

function toView(r: Row, last: ChannelView['lastDelivery'], waiting: number): ChannelView {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    url: r.url,
    tokenSet: r.token !== null,
    tokenHint: maskSecret(r.token),
    secretSet: r.secret !== null,
    secretHint: maskSecret(r.secret),
    keyword: r.keyword,
    locale: r.locale,
    unitId: r.unit_id,
    unitNameZh: r.unit_name_zh,
    unitNameEn: r.unit_name_en,
    mode: r.mode,
    digestTime: r.digest_time,
    alertsMinSeverity: r.alerts_min_severity,
    battleReports: r.battle_reports === 1,
    weeklySheets: r.weekly_sheets === 1,
    enabled: r.enabled === 1,
    consecutiveFailures: r.consecutive_failures,
    disabledReason: r.disabled_reason,
    lastDelivery: last,
    waiting,
    version: r.version,
    updatedAt: r.updated_at,
  };
}

function channelRows(db: Db) {
  return db
    .selectFrom('notification_channels as c')
    .leftJoin('org_units as u', 'u.id', 'c.unit_id')
    .selectAll('c')
    .select(['u.name_zh as unit_name_zh', 'u.name_en as unit_name_en']);
}

/** Every channel with its state, last delivery and how many messages wait (admins only). */
export async function listChannels(db: Db, actor: Actor): Promise<ChannelView[]> {
  assertRole(actor, ['admin']);
  const rows = await channelRows(db).orderBy('c.id').execute();
  return Promise.all(rows.map((r) => viewOf(db, r)));
}

export async function getChannel(db: Db, actor: Actor, id: number): Promise<ChannelView> {
  assertRole(actor, ['admin']);
  const row = await channelRows(db).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'notification_channel' });
  return viewOf(db, row);
}

async function viewOf(db: Db, r: Row): Promise<ChannelView> {
  const last = await db
    .selectFrom('notification_deliveries')
    .select(['state', 'created_at', 'sent_at', 'error'])
    .where('channel_id', '=', r.id)
    .where('state', 'in', ['sent', 'failed', 'dead'])
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst();
  const { n } = await db
    .selectFrom('notification_deliveries')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('channel_id', '=', r.id)
    .where('state', 'in', ['pending', 'failed', 'held'])
    .where('source', '<>', 'test')
    .executeTakeFirstOrThrow();
  return toView(
    r,
    last ? { state: last.state, at: last.sent_at ?? last.created_at, error: last.error } : null,
    Number(n),
  );
}

export interface DeliveryView {
  id: number;
  channelId: number;
  channelName: string;
  source: string;
  dedupeKey: string;
  state: DeliveryState;
  title: string;
  attempts: number;
  nextAttemptAt: string | null;
  requestSummary: string | null;
  replyStatus: number | null;
  replyBody: string | null;
  error: string | null;
  createdAt: string;
  sentAt: string | null;
}

/** The delivery log, newest first (admins only). */
export async function listDeliveries(
  db: Db,
  actor: Actor,
  q: {
    channelId?: number | undefined;
    state?: DeliveryState | undefined;
    page: number;
    pageSize: number;
  },
): Promise<{ items: DeliveryView[]; total: number }> {
  assertRole(actor, ['admin']);
  let base = db
    .selectFrom('notification_deliveries as d')
    .innerJoin('notification_channels as c', 'c.id', 'd.channel_id');
  if (q.channelId) base = base.where('d.channel_id', '=', q.channelId);
  if (q.state) base = base.where('d.state', '=', q.state);
  const { total } = await base
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await base
    .selectAll('d')
    .select(['c.name as channel_name', 'c.locale as channel_locale'])
    .orderBy('d.id', 'desc')
    .limit(q.pageSize)
    .offset((q.page - 1) * q.pageSize)
    .execute();
  return {
    total: Number(total),
    items: rows.map((r) => {
      const content = JSON.parse(r.content) as { text: Record<string, { title: string }> };
      return {
        id: r.id,
        channelId: r.channel_id,
        channelName: r.channel_name,
        source: r.source,
        dedupeKey: r.dedupe_key,
        state: r.state,
        title: content.text[actor.locale]?.title ?? content.text[r.channel_locale]?.title ?? '',
        attempts: r.attempts,
        nextAttemptAt: r.state === 'pending' || r.state === 'failed' ? r.next_attempt_at : null,
        requestSummary: r.request_summary,
        replyStatus: r.reply_status,
        replyBody: r.reply_body,
        error: r.error,
        createdAt: r.created_at,
        sentAt: r.sent_at,
      };
    }),
  };
}
