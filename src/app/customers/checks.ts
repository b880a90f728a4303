import type { Transaction } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Database, Dimension } from '../../db/schema.ts';
import { getSetting } from '../../db/settings.ts';
import { classifyCustomer } from '../../domain/customer-tier.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertMemberWritable } from '../authorize.ts';

/** What a client sends to create a customer (an edit adds id and version). */
export interface CustomerInput {
  code: string;
  nameZh: string;
  nameEn: string;
  segmentId?: number | null;
  customerTypeId?: number | null;
  regionId?: number | null;
  ownerMemberId?: number | null;
  /** Fen; may be negative after net refunds (such a customer is C). */
  annualPurchase: number;
}

/** Admins write any customer; a manager only customers owned by members they may edit. */
export async function assertOwnerWritable(
  db: Db,
  actor: Actor,
  ownerMemberId: number | null | undefined,
  today: string,
): Promise<void> {
  if (actor.role === 'admin') return;
  if (actor.role !== 'manager' || ownerMemberId == null) throw new AppError('FORBIDDEN');
  await assertMemberWritable(db, actor, ownerMemberId, today);
}

/** Segment, type and region must be members of the right dimension; the owner must exist. */
export async function assertReferences(db: Db, b: CustomerInput): Promise<void> {
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

/** The tier under the rules in force, read in the writing transaction so a rules change cannot slip between. */
export async function tierFor(trx: Transaction<Database>, annualPurchase: number) {
  return classifyCustomer(annualPurchase, await getSetting(trx, 'customerTierRules'));
}

/** The stored columns of an input (the tier is computed, the version bumped by the writer). */
export function customerColumns(b: CustomerInput) {
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
