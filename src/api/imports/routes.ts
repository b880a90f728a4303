import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { importTemplate, kindOf } from '../../app/import-master/engine.ts';
import { startMasterDataExport } from '../../app/import-master/start-master-data-export.ts';
import { exportMasterData } from '../../app/import-master/export-master-data.ts';
import { importMasterData } from '../../app/import-master/import-master-data.ts';
import { listImportBatches } from '../../app/import-master/list-import-batches.ts';
import { masterKindNames } from '../../app/import-master/kinds.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { chinaToday } from '../../app/clock.ts';
import { localeSchema, paged } from '../schemas.ts';
import { readUpload } from '../upload.ts';

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
        const { buffer, fileName } = await readUpload(req);
        return importMasterData(
          db,
          user,
          {
            kind: req.params.kind,
            buffer,
            fileName,
            dryRun: req.query.dryRun === 'true',
          },
          deps.now(),
        );
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
        const { format } = req.query;
        const body = await exportMasterData(db, user, { kind: req.params.kind, format, lang }, now);
        return reply
          .header('content-type', req.query.format === 'csv' ? 'text/csv; charset=utf-8' : XLSX)
          .header(
            'content-disposition',
            attachment(`${req.params.kind}-${chinaToday(now)}.${req.query.format}`),
          )
          .send(body);
      },
    );

    app.post(
      '/exports/:kind/jobs',
      {
        schema: {
          tags: ['imports'],
          summary:
            'Export master data as a background job (for large lists); the file appears on the job',
          params: kindParams,
          body: z.object({
            format: z.enum(['xlsx', 'csv']).default('xlsx'),
            lang: localeSchema.optional(),
          }),
          response: { 202: z.object({ jobId: z.number() }) },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const job = await startMasterDataExport(
          db,
          user,
          { kind: req.params.kind, format: req.body.format, lang: req.body.lang ?? req.locale },
          deps.now(),
        );
        deps.nudgeJobs?.();
        return reply.code(202).send(job);
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
      async (req) => listImportBatches(db, requireUser(req), req.query),
    );
  };
