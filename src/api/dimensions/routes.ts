import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import type { DimensionMembersTable } from '../../db/schema.ts';
import { isForeignKeyViolation, isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { versionQuery } from '../schemas.ts';
import {
  attrsByDimension,
  createDimensionMemberBody,
  dimensionIdParams,
  dimensionMemberSchema,
  dimensionParams,
  updateDimensionMemberBody,
  type DimensionMemberDto,
  type DimensionName,
} from './schemas.ts';

/** Which customer column points at members of each dimension (channels are not on customers). */
const customerColumn: Record<
  DimensionName,
  'segment_id' | 'customer_type_id' | 'region_id' | null
> = {
  channel: null,
  region: 'region_id',
  segment: 'segment_id',
  customer_type: 'customer_type_id',
};

/** Validates `attrs` against the dimension's shape; problems name the attribute. */
function parseAttrs(
  dimension: DimensionName,
  attrs: Record<string, unknown>,
): Record<string, unknown> {
  const parsed = attrsByDimension[dimension].safeParse(attrs);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const field = ['attrs', ...i.path.map(String)].join('.');
    return { column: field, code: 'VALIDATION' as const, params: { field, reason: i.message } };
  });
  const first = problems[0];
  throw new AppError(
    'VALIDATION',
    { field: first?.params.field ?? 'attrs', reason: first?.params.reason ?? '' },
    problems,
  );
}

type Row = Omit<DimensionMembersTable, 'id' | 'version' | 'sort_order'> & {
  id: number;
  version: number;
  sort_order: number;
};

function toDto(r: Row): DimensionMemberDto {
  return {
    id: r.id,
    dimension: r.dimension,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    attrs: JSON.parse(r.attrs) as Record<string, unknown>,
    sortOrder: r.sort_order,
    version: r.version,
  };
}

async function oneMember(db: Db, dimension: DimensionName, id: number): Promise<Row> {
  const row = await db
    .selectFrom('dimension_members')
    .selectAll()
    .where('id', '=', id)
    .where('dimension', '=', dimension)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: dimension });
  return row;
}

export const dimensionRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const duplicate = (code: string) => (e: unknown) => {
      throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code }) : e;
    };

    app.get(
      '/dimensions/:dimension',
      {
        schema: {
          tags: ['dimensions'],
          summary:
            'Members of a dimension (channel, region, segment, customer_type) in display order',
          params: dimensionParams,
          response: { 200: z.array(dimensionMemberSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        const rows = await db
          .selectFrom('dimension_members')
          .selectAll()
          .where('dimension', '=', req.params.dimension)
          .orderBy('sort_order')
          .orderBy('code')
          .execute();
        return rows.map(toDto);
      },
    );

    app.post(
      '/dimensions/:dimension',
      {
        schema: {
          tags: ['dimensions'],
          params: dimensionParams,
          body: createDimensionMemberBody,
          response: { 201: dimensionMemberSchema },
        },
      },
      async (req, reply) => {
        const user = requireRole(req, ['admin']);
        const { dimension } = req.params;
        const b = req.body;
        const attrs = parseAttrs(dimension, b.attrs);
        const now = deps.now();
        const id = await db.transaction().execute(async (trx) => {
          const { id } = await trx
            .insertInto('dimension_members')
            .values({
              dimension,
              code: b.code,
              name_zh: b.nameZh,
              name_en: b.nameEn,
              attrs: JSON.stringify(attrs),
              sort_order: b.sortOrder ?? 0,
              updated_at: now.toISOString(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
            .catch(duplicate(b.code));
          await audit(trx, now, {
            userId: user.id,
            action: 'create',
            entity: dimension,
            entityId: id,
            after: { ...b, attrs },
          });
          return id;
        });
        return reply.status(201).send(toDto(await oneMember(db, dimension, id)));
      },
    );

    app.put(
      '/dimensions/:dimension/:id',
      {
        schema: {
          tags: ['dimensions'],
          params: dimensionIdParams,
          body: updateDimensionMemberBody,
          response: { 200: dimensionMemberSchema },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin']);
        const { dimension, id } = req.params;
        const b = req.body;
        const before = await oneMember(db, dimension, id);
        const attrs = parseAttrs(dimension, b.attrs);
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          await updateVersioned(
            trx,
            'dimension_members',
            before.id,
            b.version,
            {
              code: b.code,
              name_zh: b.nameZh,
              name_en: b.nameEn,
              attrs: JSON.stringify(attrs),
              sort_order: b.sortOrder ?? before.sort_order,
              updated_at: now.toISOString(),
            },
            dimension,
          ).catch(duplicate(b.code));
          await audit(trx, now, {
            userId: user.id,
            action: 'update',
            entity: dimension,
            entityId: before.id,
            before: { ...before, attrs: JSON.parse(before.attrs) as unknown },
            after: { ...b, attrs },
          });
        });
        return toDto(await oneMember(db, dimension, id));
      },
    );

    app.delete(
      '/dimensions/:dimension/:id',
      {
        schema: {
          tags: ['dimensions'],
          summary: 'Delete a member; refused with IN_USE while customers (or other records) use it',
          params: dimensionIdParams,
          querystring: versionQuery,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const user = requireRole(req, ['admin']);
        const { dimension, id } = req.params;
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          const before = await oneMember(trx, dimension, id);
          if (before.version !== req.query.version) {
            throw new AppError('VERSION_CONFLICT', {
              current: before.version,
              given: req.query.version,
            });
          }
          const column = customerColumn[dimension];
          if (column) {
            const used = await trx
              .selectFrom('customers')
              .select('id')
              .where(column, '=', before.id)
              .executeTakeFirst();
            if (used) throw new AppError('IN_USE', { entity: dimension });
          }
          await trx
            .deleteFrom('dimension_members')
            .where('id', '=', before.id)
            .execute()
            .catch((e: unknown) => {
              throw isForeignKeyViolation(e) ? new AppError('IN_USE', { entity: dimension }) : e;
            });
          await audit(trx, now, {
            userId: user.id,
            action: 'delete',
            entity: dimension,
            entityId: before.id,
            before: { ...before, attrs: JSON.parse(before.attrs) as unknown },
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
