import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import { isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { AppError, isAppError, type Problem } from '../../domain/errors.ts';
import { loadColumnMapping } from '../../app/facts/column-mappings.ts';
import { deleteBatch } from '../../app/facts/delete-batch.ts';
import {
  fileSource,
  importFactRows,
  importFacts,
  importFactTable,
  type FactImportResult,
  type ImportFactsOptions,
} from '../../app/facts/import-facts.ts';
import { factKindOf } from '../../app/facts/kinds.ts';
import { factTemplate } from '../../app/facts/template.ts';
import { readTable } from '../../app/import/read-table.ts';
import { audit } from '../../db/audit.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Actor, Locale } from '../../app/actor.ts';
import { errorBody } from '../errors.ts';
import { translate } from '../../i18n/translate.ts';
import { chinaToday } from '../../app/clock.ts';
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
import { TransientStore } from './transient-store.ts';

/** Files with more data rows than this are imported in the background (202 + a job to poll). */
export const ASYNC_IMPORT_ROWS = 2_000;
const HOUR = 3600_000;
const tokenParams = z.object({ id: z.string().min(1).max(64) });
const langQuery = z.object({ lang: localeSchema.optional() });
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

type ImportResultDto = z.infer<typeof factImportResultSchema>;
type JobDto = z.infer<typeof jobSchema>;

function actorOf(user: Actor) {
  return { userId: user.id, role: user.role, scope: user.scope };
}

function attachment(name: string): string {
  return `attachment; filename="${name.replace(/[^\x20-\x7e]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}

function problemsDto(problems: Problem[], locale: Locale) {
  return problems.map((p) => ({
    row: p.row,
    column: p.column,
    code: p.code,
    message: translate(p.code, p.params ?? {}, locale),
  }));
}

function parseCreateMissing(text: string | undefined) {
  const parts = new Set((text ?? '').split(',').filter(Boolean));
  return { customers: parts.has('customers'), products: parts.has('products') };
}

/**
 * Facts over HTTP: file imports (multipart), a JSON batch door for integrations, bad-rows
 * downloads, background jobs for long files, the batch history and its deletion, saved column
 * mappings and templates. Bad-rows files and jobs live in memory for an hour (see TransientStore).
 */
export const factRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const badRows = new TransientStore<{ buffer: Buffer; fileName: string }>(HOUR, deps.now);
    const jobs = new TransientStore<JobDto>(2 * HOUR, deps.now);

    const toDto = (
      user: Actor,
      r: FactImportResult,
      locale: Locale,
      baseName: string,
    ): ImportResultDto => {
      const dto: ImportResultDto = {
        kind: r.kind,
        batchId: r.batchId,
        rows: r.rows,
        inserted: r.inserted,
        updated: r.updated,
        unchanged: r.unchanged,
        rejected: r.rejected,
        created: r.created,
        dryRun: r.dryRun,
      };
      if (r.problems.length > 0) dto.problems = problemsDto(r.problems, locale);
      if (r.badRows)
        dto.badRowsFileId = badRows.put(user.id, {
          buffer: r.badRows,
          fileName: `${baseName.replace(/\.[^.]*$/, '')}-problems.csv`,
        });
      return dto;
    };

    const options = async (
      user: Actor,
      kind: string,
      locale: Locale,
      q: {
        mode: ImportFactsOptions['mode'];
        createMissing?: ImportFactsOptions['createMissing'];
        mapping?: number;
        dryRun?: boolean;
      },
    ): Promise<ImportFactsOptions> => {
      const now = deps.now();
      return {
        actor: actorOf(user),
        now,
        today: chinaToday(now),
        mode: q.mode,
        createMissing: q.createMissing,
        mapping:
          q.mapping === undefined
            ? undefined
            : await loadColumnMapping(db, kind, { id: q.mapping }),
        dryRun: q.dryRun,
        lang: locale,
      };
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
        const file = await req.file();
        if (!file) throw new AppError('IMPORT_FORMAT', { reason: 'no file' });
        const buffer = await file.toBuffer();
        const fileName = decodeURIComponent(file.filename);
        const locale = req.locale;
        const opts = await options(user, kind, locale, {
          mode: req.query.mode,
          createMissing: parseCreateMissing(req.query.createMissing),
          mapping: req.query.mapping,
          dryRun: req.query.dryRun === 'true',
        });
        const table = await readTable(buffer, fileName);
        if (req.query.async !== 'true' && table.rows.length <= ASYNC_IMPORT_ROWS) {
          const result = await importFactTable(db, kind, table, fileSource(buffer, fileName), opts);
          return reply.code(200).send(toDto(user, result, locale, fileName));
        }
        // In the background the file is read again as a stream, and an admin's large file has
        // its row pass in the import worker while the rows are written.
        const run = (onProgress?: ImportFactsOptions['onProgress']) =>
          importFacts(db, kind, buffer, fileName, { ...opts, onProgress });
        const job: JobDto = { id: '', status: 'running', done: 0, total: table.rows.length };
        job.id = jobs.put(user.id, job);
        // Runs after the reply; the job record is the only channel back to the client.
        void run((done, total) => {
          job.done = done;
          job.total = total;
        }).then(
          (result) => {
            job.status = 'done';
            job.done = job.total;
            job.result = toDto(user, result, locale, fileName);
            jobs.touch(job.id);
          },
          (e: unknown) => {
            job.status = 'failed';
            const err = isAppError(e) ? e : new AppError('INTERNAL');
            if (!isAppError(e)) req.log.error(e);
            const body = errorBody(err, locale);
            job.error = { code: body.code, message: body.message, problems: body.problems };
            jobs.touch(job.id);
          },
        );
        return reply.code(202).send({ jobId: job.id, total: job.total });
      },
    );

    app.get(
      '/facts/jobs/:id',
      {
        schema: {
          tags: ['facts'],
          summary: 'Progress of a background import',
          params: tokenParams,
          response: { 200: jobSchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const job = jobs.get(req.params.id, user.id);
        if (!job) throw new AppError('NOT_FOUND', { entity: 'import_job' });
        return job;
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
        const file = badRows.get(req.params.id, user.id);
        if (!file) throw new AppError('NOT_FOUND', { entity: 'bad_rows_file' });
        return reply
          .header('content-type', 'text/csv; charset=utf-8')
          .header('content-disposition', attachment(file.fileName))
          .send(file.buffer);
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
          dryRun: b.dryRun,
        });
        const result = await importFactRows(db, req.params.kind, b.rows, {
          ...opts,
          name: b.name ?? 'api',
        });
        return toDto(user, result, req.locale, b.name ?? `${req.params.kind}-api`);
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
        return listBatches(db, user, req.query);
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
        requireUser(req);
        const lang = req.query.lang ?? req.locale;
        return reply
          .header('content-type', XLSX)
          .header('content-disposition', attachment(`${req.params.kind}-template-${lang}.xlsx`))
          .send(await factTemplate(req.params.kind, lang));
      },
    );

    await app.register(mappingRoutes(deps));
  };

async function listBatches(db: Db, user: Actor, query: z.infer<typeof batchListQuery>) {
  let q = db.selectFrom('fact_batches as b').leftJoin('users as u', 'u.id', 'b.user_id');
  if (!user.scope.all) q = q.where('b.user_id', '=', user.id);
  if (query.kind) q = q.where('b.kind', '=', query.kind as 'orders');
  const { total } = await q
    .select((eb) => eb.fn.countAll<number>().as('total'))
    .executeTakeFirstOrThrow();
  const rows = await q
    .select([
      'b.id',
      'b.kind',
      'b.file_name',
      'b.source',
      'u.display_name',
      'b.created_at',
      'b.status',
      'b.row_count',
      'b.inserted_count',
      'b.updated_count',
      'b.unchanged_count',
      'b.summary',
    ])
    .orderBy('b.id', 'desc')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return {
    total: Number(total),
    items: rows.map((r) => ({
      id: r.id,
      kind: r.kind,
      fileName: r.file_name,
      source: r.source,
      userName: r.display_name,
      createdAt: r.created_at,
      status: r.status,
      rows: r.row_count,
      inserted: r.inserted_count,
      updated: r.updated_count,
      unchanged: r.unchanged_count,
      summary: JSON.parse(r.summary) as Record<string, unknown>,
    })),
  };
}

/** Saved column mappings: anyone signed in may read them; admins and managers maintain them. */
const mappingRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const toDto = (r: {
      id: number;
      kind: string;
      name: string;
      mapping: string;
      updated_at: string;
      version: number;
    }) => ({
      id: r.id,
      kind: r.kind,
      name: r.name,
      mapping: JSON.parse(r.mapping) as Record<string, string | null>,
      updatedAt: r.updated_at,
      version: r.version,
    });
    const checkFields = (kind: string, mapping: Record<string, string | null>) => {
      const columns = factKindOf(kind).columns;
      for (const field of Object.values(mapping)) {
        if (field !== null && !Object.hasOwn(columns, field))
          throw new AppError('VALIDATION', { field: 'mapping', reason: `unknown field ${field}` });
      }
    };

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
        let q = db.selectFrom('column_mappings').selectAll().orderBy('kind').orderBy('name');
        if (req.query.kind) q = q.where('kind', '=', req.query.kind);
        return (await q.execute()).map(toDto);
      },
    );

    app.post(
      '/facts/mappings',
      { schema: { tags: ['facts'], body: createMappingBody, response: { 200: mappingSchema } } },
      async (req) => {
        const user = requireRole(req, ['admin', 'manager']);
        const b = req.body;
        checkFields(b.kind, b.mapping);
        const now = deps.now();
        try {
          return await db.transaction().execute(async (trx) => {
            const row = await trx
              .insertInto('column_mappings')
              .values({
                kind: b.kind,
                name: b.name,
                mapping: JSON.stringify(b.mapping),
                created_by: user.id,
                updated_at: now.toISOString(),
              })
              .returningAll()
              .executeTakeFirstOrThrow();
            await audit(trx, now, {
              userId: user.id,
              action: 'create',
              entity: 'column_mapping',
              entityId: row.id,
              after: b,
            });
            return toDto(row);
          });
        } catch (e) {
          if (isUniqueViolation(e)) throw new AppError('DUPLICATE', { code: b.name });
          throw e;
        }
      },
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
      async (req) => {
        const user = requireRole(req, ['admin', 'manager']);
        const stored = await db
          .selectFrom('column_mappings')
          .selectAll()
          .where('id', '=', req.params.id)
          .executeTakeFirst();
        if (!stored) throw new AppError('NOT_FOUND', { entity: 'column_mapping' });
        const b = req.body;
        if (b.mapping) checkFields(stored.kind, b.mapping);
        const now = deps.now();
        try {
          await db.transaction().execute(async (trx) => {
            await updateVersioned(
              trx,
              'column_mappings',
              stored.id,
              b.version,
              {
                ...(b.name ? { name: b.name } : {}),
                ...(b.mapping ? { mapping: JSON.stringify(b.mapping) } : {}),
                updated_at: now.toISOString(),
              },
              'column_mapping',
            );
            await audit(trx, now, {
              userId: user.id,
              action: 'update',
              entity: 'column_mapping',
              entityId: stored.id,
              before: toDto(stored),
              after: b,
            });
          });
        } catch (e) {
          if (isUniqueViolation(e))
            throw new AppError('DUPLICATE', { code: b.name ?? stored.name });
          throw e;
        }
        return toDto(
          await db
            .selectFrom('column_mappings')
            .selectAll()
            .where('id', '=', stored.id)
            .executeTakeFirstOrThrow(),
        );
      },
    );

    app.delete(
      '/facts/mappings/:id',
      { schema: { tags: ['facts'], params: idParams } },
      async (req) => {
        const user = requireRole(req, ['admin', 'manager']);
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          const stored = await trx
            .selectFrom('column_mappings')
            .selectAll()
            .where('id', '=', req.params.id)
            .executeTakeFirst();
          if (!stored) throw new AppError('NOT_FOUND', { entity: 'column_mapping' });
          await trx.deleteFrom('column_mappings').where('id', '=', stored.id).execute();
          await audit(trx, now, {
            userId: user.id,
            action: 'delete',
            entity: 'column_mapping',
            entityId: stored.id,
            before: toDto(stored),
          });
        });
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
