import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Actor, Locale } from '../../app/actor.ts';
import { chinaToday } from '../../app/clock.ts';
import {
  createColumnMapping,
  deleteColumnMapping,
  listColumnMappings,
  updateColumnMapping,
} from '../../app/facts/column-mapping-ops.ts';
import { loadColumnMapping, withMappingOptions } from '../../app/facts/column-mappings.ts';
import { deleteBatch } from '../../app/facts/delete-batch.ts';
import {
  startFactImport,
  storeOutcome,
  type FactImportOutcome,
} from '../../app/facts/fact-import-job.ts';
import {
  fileSource,
  importFactRows,
  importFactTable,
  type ImportFactsOptions,
} from '../../app/facts/import-facts.ts';
import { factKindOf } from '../../app/facts/kinds.ts';
import { listFactBatches } from '../../app/facts/list-fact-batches.ts';
import { factTemplate } from '../../app/facts/template.ts';
import { readTable } from '../../app/import/read-table.ts';
import { getJob } from '../../app/jobs/get-job.ts';
import { readJobFile } from '../../app/jobs/read-job-file.ts';
import { translate } from '../../i18n/translate.ts';
import { requireRole, requireUser } from '../authorize.ts';
import { problemsBody } from '../errors.ts';
import type { AppDeps } from '../context.ts';
import { idParams, localeSchema, paged } from '../schemas.ts';
import {
  batchBody,
  batchListQuery,
  createMappingBody,
  factBatchSchema,
  factColumnSchema,
  factImportResultSchema,
  factKindParams,
  importQuery,
  jobAcceptedSchema,
  jobSchema,
  mappingSchema,
  updateMappingBody,
} from './schemas.ts';
import { readUpload } from '../upload.ts';

/** Files with more data rows than this are imported in the background (202 + a job to poll). */
export const ASYNC_IMPORT_ROWS = 2_000;
const tokenParams = z.object({ id: z.string().min(1).max(64) });
const langQuery = z.object({ lang: localeSchema.optional() });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type ImportResultDto = z.infer<typeof factImportResultSchema>;
type JobDto = z.infer<typeof jobSchema>;

function actorOf(user: Actor) {
  return { userId: user.id, role: user.role, scope: user.scope };
}

export function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function parseCreateMissing(text: string | undefined) {
  const parts = new Set((text ?? '').split(',').filter(Boolean));
  return { customers: parts.has('customers'), products: parts.has('products') };
}

function resultDto(r: FactImportOutcome, locale: Locale): ImportResultDto {
  const dto: ImportResultDto = {
    kind: r.kind,
    batchId: r.batchId,
    rows: r.rows,
    inserted: r.inserted,
    updated: r.updated,
    unchanged: r.unchanged,
    rejected: r.rejected,
    created: r.created,
    // Jobs stored before rounding existed have no count.
    rounded: r.rounded ?? { count: 0, differenceFen: '0' },
    futureDated: r.futureDated ?? { count: 0, rows: [] },
    dryRun: r.dryRun,
  };
  if (r.problems.length > 0) dto.problems = problemsBody(r.problems, locale);
  if (r.badRowsFileId) dto.badRowsFileId = r.badRowsFileId;
  return dto;
}

/**
 * Facts over HTTP: file imports (multipart; large files become durable jobs), a JSON batch door
 * for integrations, bad-rows downloads, the batch history and its deletion, saved column
 * mappings and templates. Jobs and bad-rows files live in the database (any instance serves them).
 */
export const factRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    const options = async (
      user: Actor,
      kind: string,
      locale: Locale,
      q: {
        mode: ImportFactsOptions['mode'];
        createMissing?: ImportFactsOptions['createMissing'];
        mapping?: number;
        rounding?: ImportFactsOptions['rounding'];
        dateFormat?: ImportFactsOptions['dateFormat'];
        dryRun?: boolean;
      },
    ): Promise<ImportFactsOptions> => {
      const now = deps.now();
      const saved =
        q.mapping === undefined ? undefined : await loadColumnMapping(db, kind, { id: q.mapping });
      return withMappingOptions(
        {
          actor: actorOf(user),
          now,
          today: chinaToday(now),
          mode: q.mode,
          createMissing: q.createMissing,
          rounding: q.rounding,
          dateFormat: q.dateFormat,
          dryRun: q.dryRun,
          lang: locale,
        },
        saved,
      );
    };

    app.post(
      '/facts/:kind/import',
      {
        schema: {
          tags: ['facts'],
          summary: `Import a CSV/xlsx file of facts (multipart field "file"). More than ${ASYNC_IMPORT_ROWS} rows (or async=true): 202 with a job to poll`,
          consumes: ['multipart/form-data'],
          params: factKindParams,
          querystring: importQuery,
          response: { 200: factImportResultSchema, 202: jobAcceptedSchema },
        },
      },
      async (req, reply) => {
        const user = requireRole(req, ['admin', 'manager']);
        const kind = req.params.kind;
        factKindOf(kind);
        const { buffer, fileName } = await readUpload(req);
        const locale = req.locale;
        const q = {
          mode: req.query.mode,
          createMissing: parseCreateMissing(req.query.createMissing),
          mapping: req.query.mapping,
          rounding: req.query.rounding,
          dateFormat: req.query.dateFormat,
          dryRun: req.query.dryRun === 'true',
        };
        const table = await readTable(buffer, fileName);
        if (req.query.async !== 'true' && table.rows.length <= ASYNC_IMPORT_ROWS) {
          const opts = await options(user, kind, locale, q);
          const result = await importFactTable(db, kind, table, fileSource(buffer, fileName), opts);
          const outcome = await storeOutcome(db, user, result, fileName, deps.now());
          return reply.code(200).send(resultDto(outcome, locale));
        }
        // A durable job: any instance's worker runs it (an admin's large file has its row pass
        // in the import worker thread), and it survives a restart.
        const job = await startFactImport(
          db,
          user,
          {
            kind,
            fileName,
            mode: q.mode,
            createMissing: q.createMissing,
            mappingId: q.mapping,
            rounding: q.rounding,
            dateFormat: q.dateFormat,
            dryRun: q.dryRun,
            data: buffer,
            rows: table.rows.length,
          },
          deps.now(),
        );
        deps.nudgeJobs?.();
        return reply.code(202).send({ jobId: String(job.jobId), total: job.total });
      },
    );

    app.get(
      '/facts/jobs/:id',
      {
        schema: {
          tags: ['facts'],
          summary: 'Progress of a background import (see also /api/jobs/:id)',
          params: idParams,
          response: { 200: jobSchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const job = await getJob(db, user, req.params.id);
        const dto: JobDto = {
          id: String(job.id),
          status:
            job.state === 'succeeded'
              ? 'done'
              : job.state === 'failed' || job.state === 'cancelled'
                ? 'failed'
                : 'running',
          done: job.done,
          total: job.total ?? 0,
        };
        if (job.state === 'succeeded')
          dto.result = resultDto(job.result as FactImportOutcome, req.locale);
        if (job.error) {
          dto.error = {
            code: job.error.code,
            message: translate(job.error.code, job.error.params, req.locale),
            problems: problemsBody(job.error.problems, req.locale),
          };
        }
        return dto;
      },
    );

    app.get(
      '/facts/bad-rows/:id',
      {
        schema: {
          tags: ['facts'],
          summary: 'The rejected rows of an apply-valid import, as CSV with a Problem column',
          params: tokenParams,
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const file = await readJobFile(db, user, req.params.id, deps.now());
        return reply
          .header('content-type', file.contentType)
          .header('content-disposition', attachment(file.name))
          .send(file.data);
      },
    );

    app.post(
      '/facts/:kind/batch',
      {
        schema: {
          tags: ['facts'],
          summary:
            'Import facts as JSON rows keyed by field name or header (for integrations); same checks and idempotency as files',
          params: factKindParams,
          body: batchBody,
          response: { 200: factImportResultSchema },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin', 'manager']);
        const b = req.body;
        const opts = await options(user, req.params.kind, req.locale, {
          mode: b.mode,
          createMissing: b.createMissing,
          mapping: b.mapping,
          rounding: b.rounding,
          dateFormat: b.dateFormat,
          dryRun: b.dryRun,
        });
        const result = await importFactRows(db, req.params.kind, b.rows, {
          ...opts,
          name: b.name ?? 'api',
        });
        const outcome = await storeOutcome(
          db,
          user,
          result,
          b.name ?? `${req.params.kind}-api`,
          deps.now(),
        );
        return resultDto(outcome, req.locale);
      },
    );

    app.get(
      '/facts/batches',
      {
        schema: {
          tags: ['facts'],
          summary:
            'Fact import batches: everyone with a company-wide view sees all, others their own',
          querystring: batchListQuery,
          response: { 200: paged(factBatchSchema) },
        },
      },
      async (req) => {
        const user = requireUser(req);
        return listFactBatches(db, user, req.query);
      },
    );

    app.delete(
      '/facts/batches/:id',
      {
        schema: {
          tags: ['facts'],
          summary: 'Delete the rows a batch last wrote and their rollup contribution',
          params: idParams,
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin', 'manager']);
        return deleteBatch(db, req.params.id, { actor: actorOf(user), now: deps.now() });
      },
    );

    app.get(
      '/facts/:kind/columns',
      {
        schema: {
          tags: ['facts'],
          summary:
            "The columns a kind's file may carry (field, Chinese and English header, every alias), for mapping editors",
          params: factKindParams,
          response: { 200: z.array(factColumnSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        return factColumns(req.params.kind);
      },
    );

    app.get(
      '/facts/:kind/template',
      { schema: { tags: ['facts'], params: factKindParams, querystring: langQuery } },
      async (req, reply) => {
        const actor = requireUser(req);
        const lang = req.query.lang ?? req.locale;
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(`${req.params.kind}-template-${lang}.xlsx`))
          .send(await factTemplate(deps.db, actor, req.params.kind, lang));
      },
    );

    await app.register(mappingRoutes(deps));
  };

/** Saved column mappings: anyone signed in may read them; admins and managers maintain them. */
const mappingRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    app.get(
      '/facts/mappings',
      {
        schema: {
          tags: ['facts'],
          querystring: z.object({ kind: factKindParams.shape.kind.optional() }),
          response: { 200: z.array(mappingSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        return listColumnMappings(db, req.query.kind);
      },
    );

    app.post(
      '/facts/mappings',
      { schema: { tags: ['facts'], body: createMappingBody, response: { 200: mappingSchema } } },
      async (req) => createColumnMapping(db, requireUser(req), req.body, deps.now()),
    );

    app.put(
      '/facts/mappings/:id',
      {
        schema: {
          tags: ['facts'],
          params: idParams,
          body: updateMappingBody,
          response: { 200: mappingSchema },
        },
      },
      async (req) =>
        updateColumnMapping(db, requireUser(req), { id: req.params.id, ...req.body }, deps.now()),
    );

    app.delete(
      '/facts/mappings/:id',
      { schema: { tags: ['facts'], params: idParams } },
      async (req) => {
        await deleteColumnMapping(db, requireUser(req), req.params.id, deps.now());
        return { ok: true };
      },
    );
  };

/** A kind's columns as mapping editors see them: field, template headers, every alias. */
export function factColumns(kind: string): z.infer<typeof factColumnSchema>[] {
  return Object.entries(
    factKindOf(kind).columns as Record<
      string,
      { aliases: readonly string[]; type: string; required?: boolean }
    >,
  ).map(([field, c]) => ({
    field,
    zh: c.aliases[0] ?? field,
    en: c.aliases[1] ?? field,
    aliases: [field, ...c.aliases],
    required: c.required === true,
    type: c.type,
  }));
}
