import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { addDays, assertDate } from '../../domain/dates.ts';
import { requireRole } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { paged } from '../schemas.ts';
import { auditEntrySchema, listAuditQuery } from './schemas.ts';

/** Start of a China-time day as the UTC instant string the log stores, so string order is time order. */
function chinaDayStart(date: string): string {
  assertDate(date);
  return new Date(`${date}T00:00:00+08:00`).toISOString();
}

function parseJson(text: string | null): unknown {
  return text === null ? null : JSON.parse(text);
}

export const auditRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/audit',
      {
        schema: {
          tags: ['audit'],
          summary: 'The audit log, newest first (admin and finance)',
          querystring: listAuditQuery,
          response: { 200: paged(auditEntrySchema) },
        },
      },
      async (req) => {
        requireRole(req, ['admin', 'finance']);
        const f = req.query;
        let q = db.selectFrom('audit_log as a').leftJoin('users as u', 'u.id', 'a.user_id');
        if (f.entity) q = q.where('a.entity', '=', f.entity);
        if (f.entityId) q = q.where('a.entity_id', '=', f.entityId);
        if (f.userId) q = q.where('a.user_id', '=', f.userId);
        if (f.action) q = q.where('a.action', '=', f.action);
        if (f.from) q = q.where('a.at', '>=', chinaDayStart(f.from));
        if (f.to) q = q.where('a.at', '<', chinaDayStart(addDays(f.to, 1)));
        const { total } = await q
          .select(sql<number>`count(*)`.as('total'))
          .executeTakeFirstOrThrow();
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
      },
    );
  };
