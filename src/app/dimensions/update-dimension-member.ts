import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { Dimension } from '../../db/schema.ts';
import { orDuplicate, updateVersioned } from '../../db/versioned.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { parseAttrs } from './attrs.ts';
import {
  dimensionMemberRow,
  toDimensionMember,
  type DimensionMember,
  type DimensionMemberInput,
} from './queries.ts';

export interface UpdateDimensionMemberInput extends DimensionMemberInput {
  dimension: Dimension;
  id: number;
  version: number;
}

/** Edits a member of a dimension at the version the client read (admins only). */
export async function updateDimensionMember(
  db: Db,
  actor: Actor,
  input: UpdateDimensionMemberInput,
  now: Date,
): Promise<DimensionMember> {
  assertRole(actor, ['admin']);
  const { dimension, id, ...body } = input;
  await db.transaction().execute(async (trx) => {
    const before = await dimensionMemberRow(trx, dimension, id);
    const attrs = parseAttrs(dimension, input.attrs);
    await updateVersioned(
      trx,
      'dimension_members',
      id,
      input.version,
      {
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        attrs: JSON.stringify(attrs),
        sort_order: input.sortOrder ?? before.sort_order,
        updated_at: now.toISOString(),
      },
      dimension,
    ).catch(orDuplicate(input.code));
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'update',
      entity: dimension,
      entityId: id,
      before: { ...before, attrs: JSON.parse(before.attrs) as unknown },
      after: { ...body, attrs },
    });
  });
  return toDimensionMember(await dimensionMemberRow(db, dimension, id));
}
