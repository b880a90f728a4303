import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import {
  exportMasterData,
  importMasterData,
  importTemplate,
  kindOf,
} from '../../app/import-master/engine.ts';
import { masterKindNames } from '../../app/import-master/kinds.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Actor } from '../../app/actor.ts';
import { chinaToday } from '../../app/clock.ts';
import { localeSchema, paged } from '../schemas.ts';

const kindParams = z.object({ kind: z.enum(masterKindNames as [string, ...string[]]) });

export const importResultSchema = z.object({
  kind: z.string(),
  batchId: z.number().nullable(),
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  dryRun: z.boolean(),
});

const batchSchema = z.object({
  id: z.number(),
  kind: z.string(),
  fileName: z.string(),
  userName: z.string().nullable(),
  createdAt: z.string(),
  rows: z.number(),
  created: z.number(),
  updated: z.number(),
  unchanged: z.number(),
});

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function actorOf(user: Actor) {
  return { userId: user.id, role: user.role, scope: user.scope };
}

/** RFC 5987 so Chinese file names survive the download. */
function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

export const importRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.post(
      '/imports/:kind',
      {
        schema: {
          tags: ['imports'],
          summary: 'Import a CSV/xlsx file of master data (multipart field "file"); all or nothing',
          consumes: ['multipart/form-data'],
          params: kindParams,
          querystring: z.object({ dryRun: z.enum(['true', 'false']).optional() }),
          response: { 200: importResultSchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        kindOf(req.params.kind);
        const file = await req.file();
        if (!file) throw new AppError('IMPORT_FORMAT', { reason: 'no file' });
        const buffer = await file.toBuffer();
        const now = deps.now();
        return importMasterData(db, req.params.kind, buffer, file.filename, {
          actor: actorOf(user),
          now,
          today: chinaToday(now),
          dryRun: req.query.dryRun === 'true',
        });
      },
    );

    app.get(
      '/imports/:kind/template',
      {
        schema: {
          tags: ['imports'],
          params: kindParams,
          querystring: z.object({ lang: localeSchema.optional() }),
        },
      },
      async (req, reply) => {
        requireUser(req);
        const lang = req.query.lang ?? req.locale;
        const body = await importTemplate(req.params.kind, lang);
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(`${req.params.kind}-template-${lang}.xlsx`))
          .send(body);
      },
    );

    app.get(
      '/exports/:kind',
      {
        schema: {
          tags: ['imports'],
          summary: 'Export master data the caller may see, in a file that imports back unchanged',
          params: kindParams,
          querystring: z.object({
            format: z.enum(['xlsx', 'csv']).default('xlsx'),
            lang: localeSchema.optional(),
          }),
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const now = deps.now();
        const lang = req.query.lang ?? req.locale;
        const body = await exportMasterData(db, req.params.kind, req.query.format, {
          actor: actorOf(user),
          now,
          today: chinaToday(now),
          lang,
        });
        return reply
          .header('content-type', req.query.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
          .header(
            'content-disposition',
            attachment(`${req.params.kind}-${chinaToday(now)}.${req.query.format}`),
          )
          .send(body);
      },
    );

    app.get(
      '/imports',
      {
        schema: {
          tags: ['imports'],
          summary: 'Import history (admins see all, others their own)',
          querystring: z.object({
            page: z.coerce.number().int().min(1).default(1),
            pageSize: z.coerce.number().int().min(1).max(200).default(20),
          }),
          response: { 200: paged(batchSchema) },
        },
      },
      async (req) => {
        const user = requireUser(req);
        let q = db.selectFrom('import_batches as b').leftJoin('users as u', 'u.id', 'b.user_id');
        if (user.role !== 'admin') q = q.where('b.user_id', '=', user.id);
        const { total } = await q
          .select((eb) => eb.fn.countAll<number>().as('total'))
          .executeTakeFirstOrThrow();
        const rows = await q
          .select([
            'b.id',
            'b.kind',
            'b.file_name',
            'u.display_name',
            'b.created_at',
            'b.row_count',
            'b.created_count',
            'b.updated_count',
            'b.unchanged_count',
          ])
          .orderBy('b.id', 'desc')
          .limit(req.query.pageSize)
          .offset((req.query.page - 1) * req.query.pageSize)
          .execute();
        return {
          total: Number(total),
          items: rows.map((r) => ({
            id: r.id,
            kind: r.kind,
            fileName: r.file_name,
            userName: r.display_name,
            createdAt: r.created_at,
            rows: r.row_count,
            created: r.created_count,
            updated: r.updated_count,
            unchanged: r.unchanged_count,
          })),
        };
      },
    );
  };
