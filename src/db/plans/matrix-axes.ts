import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import type { DateRange } from '../../domain/periods.ts';
import type { Database, Lifecycle } from '../schema.ts';
import { ownerRef, type CellKey } from './keys.ts';
import type { OrgSnapshot } from './org.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The axes a two-margin matrix can use: the org (rows only) and the business dimensions. */
export const MATRIX_AXES = [
  'org',
  'product_line',
  'region',
  'segment',
  'channel',
  'lifecycle',
] as const;
export type MatrixAxis = (typeof MATRIX_AXES)[number];

/** One row or column of a matrix: its reference (as in split inputs) and the key fields it sets. */
export interface AxisItem {
  ref: string;
  nameZh: string;
  nameEn: string;
  patch: Partial<CellKey>;
}

const LIFECYCLE_NAMES: Record<Exclude<Lifecycle, ''>, [string, string]> = {
  new: ['新客户', 'New customers'],
  existing: ['老客户续约', 'Renewals'],
  referral: ['转介绍', 'Referrals'],
};

const DIM_FIELD = { region: 'regionId', segment: 'segmentId', channel: 'channelId' } as const;

/**
 * The children of `parent` along one axis, named, in the planner's order — the same children a
 * single-axis split would make (decompose-cell.ts): sub-units (or, for a team, the members who
 * belong to it during the period), the product lines under the parent's line, every member of a
 * dimension, or the three lifecycles.
 */
export async function axisItems(
  q: Q,
  axis: MatrixAxis,
  parent: CellKey,
  range: DateRange,
  org: () => Promise<OrgSnapshot>,
): Promise<AxisItem[]> {
  const invalid = (reason: string) => new AppError('PLANNING_INVALID', { reason });
  switch (axis) {
    case 'org': {
      if (parent.ownerType !== 'unit') throw invalid('only a unit is split over the org');
      const o = await org();
      const units = o.childUnits(parent.ownerId);
      if (units.length > 0)
        return units.map((u) => ({
          ref: ownerRef({ ownerType: 'unit', ownerId: u.id }),
          nameZh: u.nameZh,
          nameEn: u.nameEn,
          patch: { ownerType: 'unit', ownerId: u.id },
        }));
      return o.membersOf(parent.ownerId, range).map((m) => ({
        ref: ownerRef({ ownerType: 'member', ownerId: m.id }),
        nameZh: m.nameZh,
        nameEn: m.nameEn,
        patch: { ownerType: 'member', ownerId: m.id },
      }));
    }
    case 'product_line': {
      let sel = q
        .selectFrom('product_lines')
        .select(['id', 'name_zh', 'name_en'])
        .orderBy('sort_order')
        .orderBy('code');
      sel =
        parent.productLineId === 0
          ? sel.where('parent_id', 'is', null)
          : sel.where('parent_id', '=', parent.productLineId);
      return (await sel.execute()).map((r) => ({
        ref: String(r.id),
        nameZh: r.name_zh,
        nameEn: r.name_en,
        patch: { productLineId: r.id },
      }));
    }
    case 'region':
    case 'segment':
    case 'channel': {
      const field = DIM_FIELD[axis];
      if (parent[field] !== 0) throw invalid(`the cell is already split by ${axis}`);
      const rows = await q
        .selectFrom('dimension_members')
        .select(['id', 'name_zh', 'name_en'])
        .where('dimension', '=', axis)
        .orderBy('sort_order')
        .orderBy('code')
        .execute();
      return rows.map((r) => ({
        ref: String(r.id),
        nameZh: r.name_zh,
        nameEn: r.name_en,
        patch: { [field]: r.id },
      }));
    }
    case 'lifecycle':
      if (parent.lifecycle !== '') throw invalid('the cell is already split by lifecycle');
      return (Object.keys(LIFECYCLE_NAMES) as Exclude<Lifecycle, ''>[]).map((l) => ({
        ref: l,
        nameZh: LIFECYCLE_NAMES[l][0],
        nameEn: LIFECYCLE_NAMES[l][1],
        patch: { lifecycle: l },
      }));
  }
}
