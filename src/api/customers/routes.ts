import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { sql, type Transaction } from 'kysely';
import { containsText } from '../../db/search.ts';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import type { Database, Dimension } from '../../db/schema.ts';
import { getSetting } from '../../db/settings.ts';
import { isForeignKeyViolation, isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { classifyCustomer } from '../../domain/customer-tier.ts';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import { assertMemberWritable, memberInScope } from '../../app/authorize.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Actor, Scope } from '../../app/actor.ts';
import { chinaToday } from '../../app/clock.ts';
import { idParams, paged, versionQuery } from '../schemas.ts';
import {
  createCustomerBody,
  customerSchema,
  listCustomersQuery,
  updateCustomerBody,
  type CustomerDto,
} from './schemas.ts';

type Body = z.infer<typeof createCustomerBody>;

function baseQuery(db: Db) {
  return db
    .selectFrom('customers as c')
    .leftJoin('dimension_members as seg', 'seg.id', 'c.segment_id')
    .leftJoin('dimension_members as typ', 'typ.id', 'c.customer_type_id')
    .leftJoin('dimension_members as reg', 'reg.id', 'c.region_id')
    .leftJoin('members as m', 'm.id', 'c.owner_member_id');
}

type Base = ReturnType<typeof baseQuery>;

/**
 * A customer is visible when its owner is: everyone for admin/finance/viewer, the managed
 * subtrees (and themself) for a manager, only their own customers for a rep.
 */
function inScope(q: Base, scope: Scope): Base {
  if (scope.all) return q;
  return q.where((eb) =>
    eb(
      'c.owner_member_id',
      'in',
      eb
        .selectFrom('members')
        .select('members.id')
        .where((e) => memberInScope(e, scope)),
    ),
  );
}

function selectCustomer(q: Base) {
  return q.select([
    'c.id',
    'c.code',
    'c.name_zh',
    'c.name_en',
    'c.segment_id',
    'c.customer_type_id',
    'c.region_id',
    'c.owner_member_id',
    'c.annual_purchase',
    'c.tier',
    'c.version',
    'seg.name_zh as seg_zh',
    'seg.name_en as seg_en',
    'typ.name_zh as typ_zh',
    'typ.name_en as typ_en',
    'reg.name_zh as reg_zh',
    'reg.name_en as reg_en',
    'm.name_zh as owner_zh',
    'm.name_en as owner_en',
  ]);
}

type CustomerRow = Awaited<
  ReturnType<ReturnType<typeof selectCustomer>['executeTakeFirstOrThrow']>
>;

function toDto(r: CustomerRow): CustomerDto {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    segmentId: r.segment_id,
    segmentNameZh: r.seg_zh,
    segmentNameEn: r.seg_en,
    customerTypeId: r.customer_type_id,
    customerTypeNameZh: r.typ_zh,
    customerTypeNameEn: r.typ_en,
    regionId: r.region_id,
    regionNameZh: r.reg_zh,
    regionNameEn: r.reg_en,
    ownerMemberId: r.owner_member_id,
    ownerNameZh: r.owner_zh,
    ownerNameEn: r.owner_en,
    annualPurchase: r.annual_purchase,
    tier: r.tier,
    version: r.version,
  };
}

async function listCustomers(db: Db, scope: Scope, query: z.infer<typeof listCustomersQuery>) {
  let q = inScope(baseQuery(db), scope);
  if (query.q) {
    q = q.where((eb) => containsText(eb, ['c.code', 'c.name_zh', 'c.name_en'], query.q!));
  }
  if (query.tier) q = q.where('c.tier', '=', query.tier);
  if (query.segmentId) q = q.where('c.segment_id', '=', query.segmentId);
  if (query.regionId) q = q.where('c.region_id', '=', query.regionId);
  if (query.ownerMemberId) q = q.where('c.owner_member_id', '=', query.ownerMemberId);
  const { total } = await q.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow();
  const rows = await selectCustomer(q)
    .orderBy('c.code')
    .limit(query.pageSize)
    .offset((query.page - 1) * query.pageSize)
    .execute();
  return { items: rows.map(toDto), total: Number(total) };
}

async function oneCustomer(db: Db, id: number): Promise<CustomerDto> {
  const row = await selectCustomer(baseQuery(db)).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'customer' });
  return toDto(row);
}

/** Segment, type and region must be members of the right dimension; the owner must exist. */
async function assertReferences(db: Db, b: Body): Promise<void> {
  const dims: [number | null | undefined, Dimension][] = [
    [b.segmentId, 'segment'],
    [b.customerTypeId, 'customer_type'],
    [b.regionId, 'region'],
  ];
  for (const [id, dimension] of dims) {
    if (id == null) continue;
    const row = await db
      .selectFrom('dimension_members')
      .select('id')
      .where('id', '=', id)
      .where('dimension', '=', dimension)
      .executeTakeFirst();
    if (!row) throw new AppError('REFERENCE_NOT_FOUND', { entity: dimension, value: id });
  }
  if (b.ownerMemberId != null) {
    const row = await db
      .selectFrom('members')
      .select('id')
      .where('id', '=', b.ownerMemberId)
      .executeTakeFirst();
    if (!row)
      throw new AppError('REFERENCE_NOT_FOUND', { entity: 'member', value: b.ownerMemberId });
  }
}

/** Admins write any customer; a manager only customers owned by members they may edit. */
async function assertOwnerWritable(
  db: Db,
  user: Actor,
  ownerMemberId: number | null | undefined,
  today: string,
) {
  if (user.role === 'admin') return;
  if (ownerMemberId == null) throw new AppError('FORBIDDEN');
  await assertMemberWritable(db, user, ownerMemberId, today);
}

/** The tier under the rules in force, read in the writing transaction so a rules change cannot slip between. */
async function tierFor(trx: Transaction<Database>, annualPurchase: number) {
  return classifyCustomer(annualPurchase, await getSetting(trx, 'customerTierRules'));
}

function columns(b: Body) {
  return {
    code: b.code,
    name_zh: b.nameZh,
    name_en: b.nameEn,
    segment_id: b.segmentId ?? null,
    customer_type_id: b.customerTypeId ?? null,
    region_id: b.regionId ?? null,
    owner_member_id: b.ownerMemberId ?? null,
    annual_purchase: b.annualPurchase,
  };
}

export const customerRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    const duplicate = (code: string) => (e: unknown) => {
      throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code }) : e;
    };

    app.get(
      '/customers',
      {
        schema: {
          tags: ['customers'],
          summary: 'Customers the caller may see (by owner), by code',
          querystring: listCustomersQuery,
          response: { 200: paged(customerSchema) },
        },
      },
      async (req) => listCustomers(db, requireUser(req).scope, req.query),
    );

    app.get(
      '/customers/:id',
      { schema: { tags: ['customers'], params: idParams, response: { 200: customerSchema } } },
      async (req) => {
        const user = requireUser(req);
        const customer = await oneCustomer(db, req.params.id);
        const visible = await inScope(baseQuery(db), user.scope)
          .select('c.id')
          .where('c.id', '=', customer.id)
          .executeTakeFirst();
        if (!visible) throw new AppError('FORBIDDEN');
        return customer;
      },
    );

    app.post(
      '/customers',
      {
        schema: {
          tags: ['customers'],
          body: createCustomerBody,
          response: { 201: customerSchema },
        },
      },
      async (req, reply) => {
        const user = requireRole(req, ['admin', 'manager']);
        const b = req.body;
        const now = deps.now();
        await assertOwnerWritable(db, user, b.ownerMemberId, chinaToday(now));
        await assertReferences(db, b);
        const id = await db.transaction().execute(async (trx) => {
          const tier = await tierFor(trx, b.annualPurchase);
          const { id } = await trx
            .insertInto('customers')
            .values({ ...columns(b), tier, updated_at: now.toISOString() })
            .returning('id')
            .executeTakeFirstOrThrow()
            .catch(duplicate(b.code));
          await audit(trx, now, {
            userId: user.id,
            action: 'create',
            entity: 'customer',
            entityId: id,
            after: { ...b, tier },
          });
          return id;
        });
        return reply.status(201).send(await oneCustomer(db, id));
      },
    );

    app.put(
      '/customers/:id',
      {
        schema: {
          tags: ['customers'],
          params: idParams,
          body: updateCustomerBody,
          response: { 200: customerSchema },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin', 'manager']);
        const b = req.body;
        const now = deps.now();
        const before = await db
          .selectFrom('customers')
          .selectAll()
          .where('id', '=', req.params.id)
          .executeTakeFirst();
        if (!before) throw new AppError('NOT_FOUND', { entity: 'customer' });
        // Both sides of a hand-over must be the manager's: no taking customers from, or giving them to, other teams.
        await assertOwnerWritable(db, user, before.owner_member_id, chinaToday(now));
        await assertOwnerWritable(db, user, b.ownerMemberId, chinaToday(now));
        await assertReferences(db, b);
        await db.transaction().execute(async (trx) => {
          const tier = await tierFor(trx, b.annualPurchase);
          await updateVersioned(
            trx,
            'customers',
            before.id,
            b.version,
            { ...columns(b), tier, updated_at: now.toISOString() },
            'customer',
          ).catch(duplicate(b.code));
          await audit(trx, now, {
            userId: user.id,
            action: 'update',
            entity: 'customer',
            entityId: before.id,
            before,
            after: { ...b, tier },
          });
        });
        return oneCustomer(db, before.id);
      },
    );

    app.delete(
      '/customers/:id',
      {
        schema: {
          tags: ['customers'],
          params: idParams,
          querystring: versionQuery,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const user = requireRole(req, ['admin', 'manager']);
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          const before = await trx
            .selectFrom('customers')
            .selectAll()
            .where('id', '=', req.params.id)
            .executeTakeFirst();
          if (!before) throw new AppError('NOT_FOUND', { entity: 'customer' });
          await assertOwnerWritable(trx, user, before.owner_member_id, chinaToday(now));
          if (before.version !== req.query.version) {
            throw new AppError('VERSION_CONFLICT', {
              current: before.version,
              given: req.query.version,
            });
          }
          await trx
            .deleteFrom('customers')
            .where('id', '=', before.id)
            .execute()
            .catch((e: unknown) => {
              throw isForeignKeyViolation(e) ? new AppError('IN_USE', { entity: 'customer' }) : e;
            });
          await audit(trx, now, {
            userId: user.id,
            action: 'delete',
            entity: 'customer',
            entityId: before.id,
            before,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
