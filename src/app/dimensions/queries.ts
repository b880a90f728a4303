import type { Selectable } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Dimension, DimensionMembersTable } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';

/** A member of a dimension (a channel, region, segment or customer type) as the API shows it. */
export interface DimensionMember {
  id: number;
  dimension: Dimension;
  code: string;
  nameZh: string;
  nameEn: string;
  attrs: Record<string, unknown>;
  sortOrder: number;
  version: number;
}

/** What a client sends to create a member (an edit adds id and version). */
export interface DimensionMemberInput {
  code: string;
  nameZh: string;
  nameEn: string;
  /** Checked against the dimension's own shape (`attrsByDimension`). */
  attrs: Record<string, unknown>;
  sortOrder?: number;
}

export type DimensionMemberRow = Selectable<DimensionMembersTable>;

export function toDimensionMember(r: DimensionMemberRow): DimensionMember {
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

/** The members of a dimension in display order. */
export async function listDimensionMembers(
  db: Db,
  dimension: Dimension,
): Promise<DimensionMember[]> {
  const rows = await db
    .selectFrom('dimension_members')
    .selectAll()
    .where('dimension', '=', dimension)
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
  return rows.map(toDimensionMember);
}

/** The stored row of a member of `dimension`, or NOT_FOUND (a member of another one is not it). */
export async function dimensionMemberRow(
  db: Db,
  dimension: Dimension,
  id: number,
): Promise<DimensionMemberRow> {
  const row = await db
    .selectFrom('dimension_members')
    .selectAll()
    .where('id', '=', id)
    .where('dimension', '=', dimension)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: dimension });
  return row;
}
