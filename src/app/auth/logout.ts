import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';
import { deleteSession } from './session.ts';

/**
 * Ends the session of `token`. Logging out is allowed without a valid session (an expired
 * cookie still gets cleared); only a signed-in user's logout is audited.
 */
export async function logout(
  db: Db,
  actor: Actor | null,
  input: { token: string },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await deleteSession(trx, input.token);
    if (actor)
      await audit(trx, now, {
        userId: actor.id,
        action: 'logout',
        entity: 'user',
        entityId: actor.id,
      });
  });
}
