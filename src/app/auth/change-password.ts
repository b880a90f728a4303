import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertStrongPassword, hashPassword, verifyPassword } from './password.ts';
import { createSession } from './session.ts';

/**
 * Changes the actor's own password after checking the current one. Every session of the user
 * ends (a changed password should lock out whoever had the old one) and a new one is returned
 * for the caller, all in one transaction.
 */
export async function changePassword(
  db: Db,
  actor: Actor,
  input: { currentPassword: string; newPassword: string },
  now: Date,
): Promise<{ token: string; expires: Date }> {
  const row = await db
    .selectFrom('users')
    .select('password_hash')
    .where('id', '=', actor.id)
    .executeTakeFirst();
  if (!row || !(await verifyPassword(input.currentPassword, row.password_hash)))
    throw new AppError('WRONG_PASSWORD');
  assertStrongPassword(input.newPassword);
  const hash = await hashPassword(input.newPassword);
  return db.transaction().execute(async (trx) => {
    // Only if the hash checked above is still the stored one: two changes racing, one wins.
    const done = await trx
      .updateTable('users')
      .set({ password_hash: hash })
      .where('id', '=', actor.id)
      .where('password_hash', '=', row.password_hash)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new AppError('WRONG_PASSWORD');
    await trx.deleteFrom('sessions').where('user_id', '=', actor.id).execute();
    await audit(trx, now, {
      userId: actor.id,
      action: 'password',
      entity: 'user',
      entityId: actor.id,
    });
    return createSession(trx, actor.id, now);
  });
}
