import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { orDuplicate } from '../../db/versioned.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import {
  assertLineExists,
  getProduct,
  productColumns,
  type Product,
  type ProductInput,
} from './queries.ts';

/** Adds a product to the catalogue (admins only). */
export async function createProduct(
  db: Db,
  actor: Actor,
  input: ProductInput,
  now: Date,
): Promise<Product> {
  assertRole(actor, ['admin']);
  const id = await db.transaction().execute(async (trx) => {
    await assertLineExists(trx, input.productLineId);
    const { id } = await trx
      .insertInto('products')
      .values(productColumns(input, now))
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(orDuplicate(input.code));
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'create',
      entity: 'product',
      entityId: id,
      after: input,
    });
    return id;
  });
  return getProduct(db, id);
}
