import type { Db } from '../../db/connect.ts';
import type { AlertChangedEvent } from '../../domain/alerts/alert-event.ts';
import type { NotifyRequest } from '../../domain/notify/notify-request.ts';
import { SEVERITY_RANK, type DeliveryContent } from './content.ts';

/** Transitions worth a message; acknowledging, snoozing and assigning are not announced. */
const ANNOUNCED = new Set(['opened', 'reopened', 'escalated', 'verdict_changed', 'resolved']);

/**
 * An `alert.changed` event becomes one delivery row per enabled channel that hears of the
 * subject's unit (its unit's subtree holds it; a company-wide channel hears everything) and takes
 * alerts of that severity. Only database writes: the sender does the HTTP later, so a receiver
 * that is down never slows the alert engine. A digest channel's rows wait ('held') for its digest.
 * Replaying the event inserts nothing twice (unique channel + dedupe key).
 */
export async function fanOutAlert(db: Db, e: AlertChangedEvent, now: Date): Promise<number> {
  if (!ANNOUNCED.has(e.transition)) return 0;
  const channels = await routedChannels(db, e.subject.unitPath);
  const content: DeliveryContent = {
    type: 'alert.changed',
    text: e.text,
    severity: e.severity,
    link: e.link,
    mentionMemberIds: e.mentionMemberIds,
    data: e,
  };
  const targets = channels.filter(
    (c) =>
      c.alerts_min_severity !== null &&
      SEVERITY_RANK[e.severity] >= SEVERITY_RANK[c.alerts_min_severity],
  );
  return insertDeliveries(
    db,
    targets.map((c) => ({ channelId: c.id, held: c.mode === 'digest' })),
    `alert:${e.alertId}:${e.transition}:${e.at}`,
    'alert',
    content,
    now,
  );
}

/** A `notify.message` (battle report, weekly sheet, reminder, system note) to its unit's channels. */
export async function fanOutMessage(db: Db, m: NotifyRequest, now: Date): Promise<number> {
  let channels;
  if (m.unitId === null) {
    channels = await db
      .selectFrom('notification_channels')
      .selectAll()
      .where('enabled', '=', 1)
      .where('unit_id', 'is', null)
      .execute();
  } else {
    const unit = await db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', m.unitId)
      .executeTakeFirst();
    if (!unit) return 0;
    channels = await routedChannels(db, unit.path);
  }
  const targets = channels.filter(
    (c) =>
      (m.kind === 'battle_report' && c.battle_reports === 1) ||
      (m.kind === 'weekly_sheet' && c.weekly_sheets === 1) ||
      m.kind === 'reminder' ||
      m.kind === 'system',
  );
  const content: DeliveryContent = {
    type: 'notify.message',
    text: m.text,
    severity: null,
    link: m.link,
    mentionMemberIds: m.mentionMemberIds,
    data: m,
  };
  return insertDeliveries(
    db,
    targets.map((c) => ({ channelId: c.id, held: false })),
    m.dedupeKey,
    m.kind,
    content,
    now,
  );
}

/** Enabled channels whose unit is the given unit or one of its ancestors, and company-wide ones. */
async function routedChannels(db: Db, unitPath: string) {
  const ancestors = unitPath
    .split('/')
    .filter(Boolean)
    .map((x) => Number(x));
  return db
    .selectFrom('notification_channels')
    .selectAll()
    .where('enabled', '=', 1)
    .where((eb) =>
      eb.or([
        eb('unit_id', 'is', null),
        ...(ancestors.length > 0 ? [eb('unit_id', 'in', ancestors)] : []),
      ]),
    )
    .execute();
}

async function insertDeliveries(
  db: Db,
  targets: { channelId: number; held: boolean }[],
  dedupeKey: string,
  source: string,
  content: DeliveryContent,
  now: Date,
): Promise<number> {
  if (targets.length === 0) return 0;
  const res = await db
    .insertInto('notification_deliveries')
    .values(
      targets.map((t) => ({
        channel_id: t.channelId,
        dedupe_key: dedupeKey,
        source,
        state: t.held ? ('held' as const) : ('pending' as const),
        content: JSON.stringify(content),
        next_attempt_at: now.toISOString(),
        created_at: now.toISOString(),
      })),
    )
    .onConflict((oc) => oc.columns(['channel_id', 'dedupe_key']).doNothing())
    .executeTakeFirst();
  return Number(res.numInsertedOrUpdatedRows ?? 0);
}
