import { sql, type Selectable } from 'kysely';
import type { Db, DialectName } from './connect.ts';
import type { NotificationDeliveriesTable } from './schema.ts';

export type DeliveryRow = Selectable<NotificationDeliveriesTable>;

/**
 * Claims up to `limit` due deliveries of enabled channels under a lease, as jobs and outbox events
 * are claimed: one `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED)`, so several instances
 * share the queue and each delivery is sent by one of them (SQLite's one write lock gives the
 * same). A sender that dies leaves its lease to expire, and another instance takes the row.
 */
export async function claimDeliveries(
  db: Db,
  dialect: DialectName,
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<DeliveryRow[]> {
  const at = now.toISOString();
  const expires = new Date(now.getTime() + leaseMs).toISOString();
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const res = await sql<DeliveryRow>`
    update notification_deliveries set lease_owner = ${owner}, lease_expires_at = ${expires}
    where id in (
      select id from notification_deliveries
      where state in ('pending', 'failed') and next_attempt_at <= ${at}
        and (lease_expires_at is null or lease_expires_at < ${at})
        and channel_id in (select id from notification_channels where enabled = 1)
      order by next_attempt_at, id
      limit ${limit}
      ${lock}
    )
    returning *`.execute(db);
  return res.rows.sort((a, b) => a.id - b.id);
}

/**
 * The delivery log keeps finished messages (sent, given up, folded into a digest) for `before`;
 * waiting ones stay whatever their age.
 */
export async function pruneDeliveries(db: Db, before: Date): Promise<number> {
  const res = await db
    .deleteFrom('notification_deliveries')
    .where('state', 'in', ['sent', 'dead', 'digested'])
    .where('created_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
