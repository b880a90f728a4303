import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { deleteMetric as removeMetric } from '../../db/plans/metrics.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';

/** Deletes an unused custom metric at the version the client read (admins only). */
export async function deleteMetric(
  db: Db,
  actor: Actor,
  input: { id: number; version: number },
  now: Date,
): Promise<void> {
  assertRole(actor, ['admin']);
  await db.transaction().execute(async (trx) => {
    const before = await removeMetric(trx, input.id, input.version);
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'delete',
      entity: 'metric',
      entityId: input.id,
      before,
    });
  });
}
