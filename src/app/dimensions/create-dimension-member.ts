import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { Dimension } from '../../db/schema.ts';
import { orDuplicate } from '../../db/versioned.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { parseAttrs } from './attrs.ts';
import {
  dimensionMemberRow,
  toDimensionMember,
  type DimensionMember,
  type DimensionMemberInput,
} from './queries.ts';

/** Adds a member to a dimension (admins only); `attrs` must fit the dimension. */
export async function createDimensionMember(
  db: Db,
  actor: Actor,
  input: DimensionMemberInput & { dimension: Dimension },
  now: Date,
): Promise<DimensionMember> {
  assertRole(actor, ['admin']);
  const { dimension, ...body } = input;
  const attrs = parseAttrs(dimension, input.attrs);
  const id = await db.transaction().execute(async (trx) => {
    const { id } = await trx
      .insertInto('dimension_members')
      .values({
        dimension,
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        attrs: JSON.stringify(attrs),
        sort_order: input.sortOrder ?? 0,
        updated_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(orDuplicate(input.code));
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'create',
      entity: dimension,
      entityId: id,
      after: { ...body, attrs },
    });
    return id;
  });
  return toDimensionMember(await dimensionMemberRow(db, dimension, id));
}
