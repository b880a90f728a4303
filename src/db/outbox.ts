import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, OutboxTable } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type OutboxRow = Selectable<OutboxTable>;

/** The events the product announces. A closed list: subscribers name what they deliver. */
export const OUTBOX_TOPICS = [
  'facts.imported',
  'facts.batch_deleted',
  'job.finished',
  // An alert changed state: payload AlertChangedEvent (src/domain/alerts/alert-event.ts).
  'alert.changed',
  // A message for a unit's groups: payload NotifyRequest (src/domain/notify/notify-request.ts).
  'notify.message',
] as const;
export type OutboxTopic = (typeof OUTBOX_TOPICS)[number];

/**
 * Records an event in the caller's transaction, beside the change and its audit entry: the event
 * exists exactly when the change does (a rolled-back import announces nothing), and the worker
 * delivers it afterwards, at least once.
 */
export async function emitEvent(
  trx: Q,
  topic: OutboxTopic,
  payload: unknown,
  now: Date,
): Promise<void> {
  await trx
    .insertInto('outbox')
    .values({
      topic,
      payload: JSON.stringify(payload),
      created_at: now.toISOString(),
      available_at: now.toISOString(),
    })
    .execute();
}

/** emitEvent for many payloads of one topic at once (an evaluation run announcing its changes). */
export async function emitEvents(
  trx: Q,
  topic: OutboxTopic,
  payloads: readonly unknown[],
  now: Date,
): Promise<void> {
  const at = now.toISOString();
  for (let i = 0; i < payloads.length; i += 500)
    await trx
      .insertInto('outbox')
      .values(
        payloads.slice(i, i + 500).map((p) => ({
          topic,
          payload: JSON.stringify(p),
          created_at: at,
          available_at: at,
        })),
      )
      .execute();
}

/** Claims up to `limit` due events under a lease (SKIP LOCKED on PostgreSQL, as jobs are). */
export async function claimEvents(
  db: Kysely<Database>,
  dialect: 'sqlite' | 'postgres',
  owner: string,
  now: Date,
  leaseMs: number,
  limit: number,
): Promise<OutboxRow[]> {
  const at = now.toISOString();
  const expires = new Date(now.getTime() + leaseMs).toISOString();
  const lock = dialect === 'postgres' ? sql`for update skip locked` : sql``;
  const res = await sql<OutboxRow>`
    update outbox set lease_owner = ${owner}, lease_expires_at = ${expires},
      attempts = attempts + 1
    where id in (
      select id from outbox
      where state = 'pending' and available_at <= ${at}
        and (lease_expires_at is null or lease_expires_at < ${at})
      order by id
      limit ${limit}
      ${lock}
    )
    returning *`.execute(db);
  return res.rows.sort((a, b) => a.id - b.id);
}

export async function markDelivered(q: Q, id: number, owner: string, now: Date): Promise<void> {
  await q
    .updateTable('outbox')
    .set({
      state: 'delivered',
      delivered_at: now.toISOString(),
      lease_owner: null,
      lease_expires_at: null,
      last_error: null,
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

/** A failed delivery is tried again after a back-off; after `maxAttempts` it is dead (kept, shown). */
export async function markFailed(
  q: Q,
  id: number,
  owner: string,
  now: Date,
  error: string,
  maxAttempts: number,
): Promise<void> {
  const row = await q
    .selectFrom('outbox')
    .select('attempts')
    .where('id', '=', id)
    .executeTakeFirst();
  const dead = (row?.attempts ?? 0) >= maxAttempts;
  const wait = Math.min(10_000 * 2 ** Math.max(0, (row?.attempts ?? 1) - 1), 3_600_000);
  await q
    .updateTable('outbox')
    .set({
      state: dead ? 'dead' : 'pending',
      last_error: error.slice(0, 2000),
      available_at: new Date(now.getTime() + wait).toISOString(),
      lease_owner: null,
      lease_expires_at: null,
    })
    .where('id', '=', id)
    .where('lease_owner', '=', owner)
    .execute();
}

export async function pruneOutbox(q: Q, before: Date): Promise<number> {
  const res = await q
    .deleteFrom('outbox')
    .where('state', '=', 'delivered')
    .where('delivered_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
