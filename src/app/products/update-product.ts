import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { orDuplicate, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import {
  assertLineExists,
  getProduct,
  productColumns,
  type Product,
  type ProductInput,
} from './queries.ts';

export interface UpdateProductInput extends ProductInput {
  id: number;
  version: number;
}

/** Edits a product if it still has the version the client read (admins only). */
export async function updateProduct(
  db: Db,
  actor: Actor,
  input: UpdateProductInput,
  now: Date,
): Promise<Product> {
  assertRole(actor, ['admin']);
  const { id, ...body } = input;
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('products')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) throw new AppError('NOT_FOUND', { entity: 'product' });
    await assertLineExists(trx, input.productLineId);
    await updateVersioned(
      trx,
      'products',
      id,
      input.version,
      productColumns(input, now),
      'product',
    ).catch(orDuplicate(input.code));
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'update',
      entity: 'product',
      entityId: id,
      before,
      after: body,
    });
  });
  return getProduct(db, id);
}
