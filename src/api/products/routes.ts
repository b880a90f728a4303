import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql } from 'kysely';
import { containsText } from '../../db/search.ts';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import { isForeignKeyViolation, isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams, paged, versionQuery } from '../schemas.ts';
import {
  createProductBody,
  listProductsQuery,
  productSchema,
  updateProductBody,
  type ProductDto,
} from './schemas.ts';

function baseQuery(db: Db) {
  return db
    .selectFrom('products as p')
    .innerJoin('product_lines as l', 'l.id', 'p.product_line_id');
}

function selectProduct(q: ReturnType<typeof baseQuery>) {
  return q.select([
    'p.id',
    'p.code',
    'p.name_zh',
    'p.name_en',
    'p.product_line_id',
    'p.gross_margin_bp',
    'p.list_price',
    'p.version',
    'l.name_zh as line_name_zh',
    'l.name_en as line_name_en',
  ]);
}

type ProductRow = Awaited<ReturnType<ReturnType<typeof selectProduct>['executeTakeFirstOrThrow']>>;

function toDto(r: ProductRow): ProductDto {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    productLineId: r.product_line_id,
    productLineNameZh: r.line_name_zh,
    productLineNameEn: r.line_name_en,
    grossMarginBp: r.gross_margin_bp,
    listPrice: r.list_price,
    version: r.version,
  };
}

async function listProducts(db: Db, query: z.infer<typeof listProductsQuery>) {
  let q = baseQuery(db);
  if (query.q) {
    q = q.where((eb) => containsText(eb, ['p.code', 'p.name_zh', 'p.name_en'], query.q!));
  }
  if (query.productLineId) {
    const line = await db
      .selectFrom('product_lines')
      .select('path')
      .where('id', '=', query.productLineId)
      .executeTakeFirst();
    if (!line) throw new AppError('NOT_FOUND', { entity: 'product_line' });
    q = q.where('l.path', 'like', `${line.path}%`);
  }
  const { total } = await q.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow();
  const rows = await selectProduct(q)
    .orderBy('p.code')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: rows.map(toDto), total: Number(total) };
}

async function oneProduct(db: Db, id: number): Promise<ProductDto> {
  const row = await selectProduct(baseQuery(db)).where('p.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'product' });
  return toDto(row);
}

async function assertLineExists(db: Db, id: number): Promise<void> {
  const line = await db
    .selectFrom('product_lines')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!line) throw new AppError('REFERENCE_NOT_FOUND', { entity: 'product_line', value: id });
}

export const productRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const duplicate = (code: string) => (e: unknown) => {
      throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code }) : e;
    };

    app.get(
      '/products',
      {
        schema: {
          tags: ['products'],
          summary: 'Products by code; a product line filter includes its sub-lines',
          querystring: listProductsQuery,
          response: { 200: paged(productSchema) },
        },
      },
      async (req) => {
        requireUser(req);
        return listProducts(db, req.query);
      },
    );

    app.get(
      '/products/:id',
      { schema: { tags: ['products'], params: idParams, response: { 200: productSchema } } },
      async (req) => {
        requireUser(req);
        return oneProduct(db, req.params.id);
      },
    );

    app.post(
      '/products',
      { schema: { tags: ['products'], body: createProductBody, response: { 201: productSchema } } },
      async (req, reply) => {
        const user = requireRole(req, ['admin']);
        const b = req.body;
        await assertLineExists(db, b.productLineId);
        const now = deps.now();
        const id = await db.transaction().execute(async (trx) => {
          const { id } = await trx
            .insertInto('products')
            .values({
              code: b.code,
              name_zh: b.nameZh,
              name_en: b.nameEn,
              product_line_id: b.productLineId,
              gross_margin_bp: b.grossMarginBp,
              list_price: b.listPrice ?? null,
              updated_at: now.toISOString(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
            .catch(duplicate(b.code));
          await audit(trx, now, {
            userId: user.id,
            action: 'create',
            entity: 'product',
            entityId: id,
            after: b,
          });
          return id;
        });
        return reply.status(201).send(await oneProduct(db, id));
      },
    );

    app.put(
      '/products/:id',
      {
        schema: {
          tags: ['products'],
          params: idParams,
          body: updateProductBody,
          response: { 200: productSchema },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin']);
        const b = req.body;
        const before = await db
          .selectFrom('products')
          .selectAll()
          .where('id', '=', req.params.id)
          .executeTakeFirst();
        if (!before) throw new AppError('NOT_FOUND', { entity: 'product' });
        await assertLineExists(db, b.productLineId);
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          await updateVersioned(
            trx,
            'products',
            before.id,
            b.version,
            {
              code: b.code,
              name_zh: b.nameZh,
              name_en: b.nameEn,
              product_line_id: b.productLineId,
              gross_margin_bp: b.grossMarginBp,
              list_price: b.listPrice ?? null,
              updated_at: now.toISOString(),
            },
            'product',
          ).catch(duplicate(b.code));
          await audit(trx, now, {
            userId: user.id,
            action: 'update',
            entity: 'product',
            entityId: before.id,
            before,
            after: b,
          });
        });
        return oneProduct(db, before.id);
      },
    );

    app.delete(
      '/products/:id',
      {
        schema: {
          tags: ['products'],
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
            .selectFrom('products')
            .selectAll()
            .where('id', '=', req.params.id)
            .executeTakeFirst();
          if (!before) throw new AppError('NOT_FOUND', { entity: 'product' });
          if (before.version !== req.query.version) {
            throw new AppError('VERSION_CONFLICT', {
              current: before.version,
              given: req.query.version,
            });
          }
          await trx
            .deleteFrom('products')
            .where('id', '=', before.id)
            .execute()
            .catch((e: unknown) => {
              throw isForeignKeyViolation(e) ? new AppError('IN_USE', { entity: 'product' }) : e;
            });
          await audit(trx, now, {
            userId: user.id,
            action: 'delete',
            entity: 'product',
            entityId: before.id,
            before,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
