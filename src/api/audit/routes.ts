import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { listAuditLog } from '../../app/audit/list-audit-log.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { paged } from '../schemas.ts';
import { auditEntrySchema, listAuditQuery } from './schemas.ts';

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
      async (req) => listAuditLog(db, requireUser(req), req.query),
    );
  };
