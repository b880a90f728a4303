import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { CustomerTier } from '../../db/schema.ts';
import { containsText } from '../../db/search.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor, Scope } from '../actor.ts';
import { memberInScopeOn } from '../authorize.ts';

/** A customer as the API shows it: the row with the names of what it points at. */
export interface Customer {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  segmentId: number | null;
  segmentNameZh: string | null;
  segmentNameEn: string | null;
  customerTypeId: number | null;
  customerTypeNameZh: string | null;
  customerTypeNameEn: string | null;
  regionId: number | null;
  regionNameZh: string | null;
  regionNameEn: string | null;
  ownerMemberId: number | null;
  ownerNameZh: string | null;
  ownerNameEn: string | null;
  /** Fen. */
  annualPurchase: number;
  tier: CustomerTier;
  version: number;
}

export interface CustomerFilter {
  q?: string;
  tier?: CustomerTier;
  segmentId?: number;
  regionId?: number;
  ownerMemberId?: number;
  page: number;
  pageSize: number;
}

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
 * A customer is visible when its owner is, today: everyone for admin/finance/viewer, the members
 * in the managed subtrees on `today` (and themself) for a manager, only their own customers for a
 * rep. A customer is the owner's now, so a transferred member's customers go with them: the
 * former manager keeps the member's past sales in his unit's numbers, not the customer list.
 */
function inScope(q: Base, scope: Scope, today: string): Base {
  if (scope.all) return q;
  return q.where((eb) =>
    eb(
      'c.owner_member_id',
      'in',
      eb
        .selectFrom('members')
        .select('members.id')
        .where((e) => memberInScopeOn(e, scope, today)),
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

function toCustomer(r: CustomerRow): Customer {
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

/** The customers the actor may see, filtered, by code, one page. */
export async function listCustomers(
  db: Db,
  actor: Actor,
  f: CustomerFilter,
  today: string,
): Promise<{ items: Customer[]; total: number }> {
  let q = inScope(baseQuery(db), actor.scope, today);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => containsText(eb, ['c.code', 'c.name_zh', 'c.name_en'], text));
  }
  if (f.tier) q = q.where('c.tier', '=', f.tier);
  if (f.segmentId) q = q.where('c.segment_id', '=', f.segmentId);
  if (f.regionId) q = q.where('c.region_id', '=', f.regionId);
  if (f.ownerMemberId) q = q.where('c.owner_member_id', '=', f.ownerMemberId);
  const { total } = await q.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow();
  const rows = await selectCustomer(q)
    .orderBy('c.code')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { items: rows.map(toCustomer), total: Number(total) };
}

/** One customer, whoever may see it (operations return it after their write). */
export async function customerById(db: Db, id: number): Promise<Customer> {
  const row = await selectCustomer(baseQuery(db)).where('c.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'customer' });
  return toCustomer(row);
}

/** One customer the actor may see: NOT_FOUND when there is none, FORBIDDEN outside the scope. */
export async function getCustomer(
  db: Db,
  actor: Actor,
  id: number,
  today: string,
): Promise<Customer> {
  const customer = await customerById(db, id);
  const visible = await inScope(baseQuery(db), actor.scope, today)
    .select('c.id')
    .where('c.id', '=', id)
    .executeTakeFirst();
  if (!visible) throw new AppError('FORBIDDEN');
  return customer;
}
