import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { addDays, assertDate } from '../../domain/dates.ts';
import type { Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';

export interface AuditFilter {
  entity?: string;
  entityId?: string;
  userId?: number;
  action?: string;
  /** First day (China time), inclusive. */
  from?: string;
  /** Last day (China time), inclusive. */
  to?: string;
  page: number;
  pageSize: number;
}

export interface AuditLogEntry {
  id: number;
  /** ISO-8601 instant (UTC). */
  at: string;
  userId: number | null;
  userDisplayName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  before: unknown;
  after: unknown;
}

/** Start of a China-time day as the UTC instant string the log stores, so string order is time order. */
function chinaDayStart(date: string): string {
  assertDate(date);
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

/** The audit log, filtered, newest first, one page (admins and finance). */
export async function listAuditLog(
  db: Db,
  actor: Actor,
  f: AuditFilter,
): Promise<{ items: AuditLogEntry[]; total: number }> {
  assertRole(actor, ['admin', 'finance']);
  let q = db.selectFrom('audit_log as a').leftJoin('users as u', 'u.id', 'a.user_id');
  if (f.entity) q = q.where('a.entity', '=', f.entity);
  if (f.entityId) q = q.where('a.entity_id', '=', f.entityId);
  if (f.userId) q = q.where('a.user_id', '=', f.userId);
  if (f.action) q = q.where('a.action', '=', f.action);
  if (f.from) q = q.where('a.at', '>=', chinaDayStart(f.from));
  if (f.to) q = q.where('a.at', '<', chinaDayStart(addDays(f.to, 1)));
  const { total } = await q.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow();
  const rows = await q
    .select([
      'a.id',
      'a.at',
      'a.user_id',
      'u.display_name',
      'a.action',
      'a.entity',
      'a.entity_id',
      'a.before',
      'a.after',
    ])
    // Id breaks ties between entries written in the same millisecond (one transaction).
    .orderBy('a.at', 'desc')
    .orderBy('a.id', 'desc')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return {
    total: Number(total),
    items: rows.map((r) => ({
      id: r.id,
      at: r.at,
      userId: r.user_id,
      userDisplayName: r.display_name,
      action: r.action,
      entity: r.entity,
      entityId: r.entity_id,
      before: parseJson(r.before),
      after: parseJson(r.after),
    })),
  };
}
