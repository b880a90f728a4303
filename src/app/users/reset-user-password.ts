import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertStrongPassword, hashPassword } from '../auth/password.ts';
import { assertRole } from '../authorize.ts';

/** Sets a user's password (admins only), clears their lock-out and ends their open sessions. */
export async function resetUserPassword(
  db: Db,
  actor: Actor,
  input: { id: number; newPassword: string },
  now: Date,
): Promise<void> {
  assertRole(actor, ['admin']);
  assertStrongPassword(input.newPassword);
  const hash = await hashPassword(input.newPassword);
  await db.transaction().execute(async (trx) => {
    const done = await trx
      .updateTable('users')
      .set({ password_hash: hash, failed_logins: 0, locked_until: null })
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('NOT_FOUND', { entity: 'user' });
    await trx.deleteFrom('sessions').where('user_id', '=', input.id).execute();
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'password',
      entity: 'user',
      entityId: input.id,
    });
  });
}
