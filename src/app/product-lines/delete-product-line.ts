import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { deleteVersioned, orInUse } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { productLineRow } from './queries.ts';

/**
 * Deletes an empty line at the version the client read; IN_USE while it has sub-lines or
 * products (the foreign keys refuse one added meanwhile).
 */
export async function deleteProductLine(
  db: Db,
  actor: Actor,
  input: { id: number; version: number },
  now: Date,
): Promise<void> {
  assertRole(actor, ['admin']);
  await db.transaction().execute(async (trx) => {
    const current = await productLineRow(trx, input.id);
    if (current.version !== input.version)
      throw new AppError('VERSION_CONFLICT', { current: current.version, given: input.version });
    const child = await trx
      .selectFrom('product_lines')
      .select('id')
      .where('parent_id', '=', input.id)
      .executeTakeFirst();
    const product = await trx
      .selectFrom('products')
      .select('id')
      .where('product_line_id', '=', input.id)
      .executeTakeFirst();
    if (child || product) throw new AppError('IN_USE', { entity: 'product_line' });
    const before = await deleteVersioned(
      trx,
      'product_lines',
      input.id,
      input.version,
      'product_line',
    ).catch(orInUse('product_line'));
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'delete',
      entity: 'product_line',
      entityId: input.id,
      before,
    });
  });
}
