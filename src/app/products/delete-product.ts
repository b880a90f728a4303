import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { deleteVersioned, orInUse } from '../../db/versioned.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';

/** Deletes a product at the version the client read, in one statement; IN_USE while facts use it. */
export async function deleteProduct(
  db: Db,
  actor: Actor,
  input: { id: number; version: number },
  now: Date,
): Promise<void> {
  assertRole(actor, ['admin']);
  await db.transaction().execute(async (trx) => {
    const before = await deleteVersioned(trx, 'products', input.id, input.version, 'product').catch(
      orInUse('product'),
    );
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'delete',
      entity: 'product',
      entityId: input.id,
      before,
    });
  });
}
