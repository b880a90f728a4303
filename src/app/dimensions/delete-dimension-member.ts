import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { Dimension } from '../../db/schema.ts';
import { deleteVersioned, orInUse } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { dimensionMemberRow } from './queries.ts';

/** Which customer column points at members of each dimension (channels are not on customers). */
const customerColumn: Record<Dimension, 'segment_id' | 'customer_type_id' | 'region_id' | null> = {
  channel: null,
  region: 'region_id',
  segment: 'segment_id',
  customer_type: 'customer_type_id',
};

/**
 * Deletes a member at the version the client read, in one statement; IN_USE while customers
 * (or, through the foreign keys, other records) use it.
 */
export async function deleteDimensionMember(
  db: Db,
  actor: Actor,
  input: { dimension: Dimension; id: number; version: number },
  now: Date,
): Promise<void> {
  assertRole(actor, ['admin']);
  const { dimension, id } = input;
  await db.transaction().execute(async (trx) => {
    // A member of another dimension is not found here, whatever its id.
    const current = await dimensionMemberRow(trx, dimension, id);
    if (current.version !== input.version)
      throw new AppError('VERSION_CONFLICT', { current: current.version, given: input.version });
    const column = customerColumn[dimension];
    if (column) {
      const used = await trx
        .selectFrom('customers')
        .select('id')
        .where(column, '=', id)
        .executeTakeFirst();
      if (used) throw new AppError('IN_USE', { entity: dimension });
    }
    const before = await deleteVersioned(
      trx,
      'dimension_members',
      id,
      input.version,
      dimension,
    ).catch(orInUse(dimension));
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'delete',
      entity: dimension,
      entityId: id,
      before: { ...before, attrs: JSON.parse(before.attrs) as unknown },
    });
  });
}
