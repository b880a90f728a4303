import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import { rerootDescendants } from '../../db/tree-paths.ts';
import { isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, versionQuery } from '../schemas.ts';
import {
  createProductLineBody,
  productLineSchema,
  updateProductLineBody,
  type ProductLineDto,
} from './schemas.ts';

async function listLines(db: Db, id?: number): Promise<ProductLineDto[]> {
  const counts = db
    .selectFrom('products')
    .select(['product_line_id', sql<number>`count(*)`.as('n')])
    .groupBy('product_line_id')
    .as('c');
  let q = db
    .selectFrom('product_lines as l')
    .leftJoin(counts, 'c.product_line_id', 'l.id')
    .select([
      'l.id',
      'l.parent_id',
      'l.code',
      'l.name_zh',
      'l.name_en',
      'l.path',
      'l.sort_order',
      'l.version',
      'c.n',
    ])
    .orderBy('l.path');
  if (id !== undefined) q = q.where('l.id', '=', id);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    path: r.path,
    sortOrder: r.sort_order,
    productCount: Number(r.n ?? 0),
    version: r.version,
  }));
}

async function getLineRow(db: Db, id: number) {
  const row = await db
    .selectFrom('product_lines')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'product_line' });
  return row;
}

async function oneLine(db: Db, id: number): Promise<ProductLineDto> {
  const [line] = await listLines(db, id);
  if (!line) throw new AppError('NOT_FOUND', { entity: 'product_line' });
  return line;
}

export const productLineRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const duplicate = (code: string) => (e: unknown) => {
      throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code }) : e;
    };

    app.get(
      '/product-lines',
      {
        schema: {
          tags: ['product-lines'],
          summary: 'Every product line in tree order (by path)',
          response: { 200: z.array(productLineSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        return listLines(db);
      },
    );

    app.post(
      '/product-lines',
      {
        schema: {
          tags: ['product-lines'],
          body: createProductLineBody,
          response: { 201: productLineSchema },
        },
      },
      async (req, reply) => {
        const user = requireRole(req, ['admin']);
        const b = req.body;
        const parent = b.parentId === null ? null : await getLineRow(db, b.parentId);
        const now = deps.now();
        const id = await db.transaction().execute(async (trx) => {
          const { id } = await trx
            .insertInto('product_lines')
            .values({
              parent_id: parent?.id ?? null,
              code: b.code,
              name_zh: b.nameZh,
              name_en: b.nameEn,
              path: '',
              sort_order: b.sortOrder ?? 0,
              updated_at: now.toISOString(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
            .catch(duplicate(b.code));
          const path = `${parent?.path ?? '/'}${id}/`;
          await trx.updateTable('product_lines').set({ path }).where('id', '=', id).execute();
          await audit(trx, now, {
            userId: user.id,
            action: 'create',
            entity: 'product_line',
            entityId: id,
            after: { ...b, path },
          });
          return id;
        });
        return reply.status(201).send(await oneLine(db, id));
      },
    );

    app.put(
      '/product-lines/:id',
      {
        schema: {
          tags: ['product-lines'],
          summary: 'Rename, re-order or move a line (its sub-lines move with it)',
          params: idParams,
          body: updateProductLineBody,
          response: { 200: productLineSchema },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin']);
        const before = await getLineRow(db, req.params.id);
        const b = req.body;
        const moving = b.parentId !== before.parent_id;
        let newPath = before.path;
        if (moving) {
          const parent = b.parentId === null ? null : await getLineRow(db, b.parentId);
          // The new parent may not be the line itself or anything below it.
          if (parent && parent.path.startsWith(before.path)) throw new AppError('TREE_CYCLE');
          newPath = `${parent?.path ?? '/'}${before.id}/`;
        }
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          await updateVersioned(
            trx,
            'product_lines',
            before.id,
            b.version,
            {
              parent_id: b.parentId,
              code: b.code,
              name_zh: b.nameZh,
              name_en: b.nameEn,
              sort_order: b.sortOrder ?? before.sort_order,
              path: newPath,
              updated_at: now.toISOString(),
            },
            'product_line',
          ).catch(duplicate(b.code));
          if (moving) {
            // Re-root every descendant's path in one statement.
            await rerootDescendants(trx, 'product_lines', before, newPath);
          }
          await audit(trx, now, {
            userId: user.id,
            action: moving ? 'move' : 'update',
            entity: 'product_line',
            entityId: before.id,
            before,
            after: { ...b, path: newPath },
          });
        });
        return oneLine(db, before.id);
      },
    );

    app.delete(
      '/product-lines/:id',
      {
        schema: {
          tags: ['product-lines'],
          summary: 'Delete an empty line; refused with IN_USE while it has sub-lines or products',
          params: idParams,
          querystring: versionQuery,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const user = requireRole(req, ['admin']);
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          const before = await trx
            .selectFrom('product_lines')
            .selectAll()
            .where('id', '=', req.params.id)
            .executeTakeFirst();
          if (!before) throw new AppError('NOT_FOUND', { entity: 'product_line' });
          if (before.version !== req.query.version) {
            throw new AppError('VERSION_CONFLICT', {
              current: before.version,
              given: req.query.version,
            });
          }
          const child = await trx
            .selectFrom('product_lines')
            .select('id')
            .where('parent_id', '=', before.id)
            .executeTakeFirst();
          const product = await trx
            .selectFrom('products')
            .select('id')
            .where('product_line_id', '=', before.id)
            .executeTakeFirst();
          if (child || product) throw new AppError('IN_USE', { entity: 'product_line' });
          await trx
            .deleteFrom('product_lines')
            .where('id', '=', before.id)
            .where('version', '=', req.query.version)
            .execute();
          await audit(trx, now, {
            userId: user.id,
            action: 'delete',
            entity: 'product_line',
            entityId: before.id,
            before,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
