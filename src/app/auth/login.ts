import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { verifyPassword } from './password.ts';
import { LOCK_MINUTES, recordFailedLogin } from './record-failed-login.ts';
import { createSession, scopeFor } from './session.ts';

export interface LoginResult {
  /** The session token for the cookie (only its hash is stored). */
  token: string;
  expires: Date;
  actor: Actor;
}

/**
 * Signs a user in: a new session, the failure counter reset, an audit entry, in one transaction.
 * A wrong password counts a failure (committed, then LOGIN_FAILED); the fifth in a row locks the
 * account for 15 minutes. An unknown or inactive user gets the same LOGIN_FAILED.
 */
export async function login(
  db: Db,
  input: { username: string; password: string },
  now: Date,
): Promise<LoginResult> {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (!user || user.active !== 1) throw new AppError('LOGIN_FAILED');
  if (user.locked_until && user.locked_until > now.toISOString()) {
    const minutes = Math.ceil((Date.parse(user.locked_until) - now.getTime()) / 60000);
    throw new AppError('LOGIN_LOCKED', { minutes });
  }
  if (!(await verifyPassword(input.password, user.password_hash))) {
    // Counted in one statement: instances sharing the database never lose each other's failures.
    if ((await recordFailedLogin(db, user.id, now)).locked)
      throw new AppError('LOGIN_LOCKED', { minutes: LOCK_MINUTES });
    throw new AppError('LOGIN_FAILED');
  }
  const session = await db.transaction().execute(async (trx) => {
    await trx
      .updateTable('users')
      .set({ failed_logins: 0, locked_until: null })
      .where('id', '=', user.id)
      .execute();
    const session = await createSession(trx, user.id, now);
    await audit(trx, now, { userId: user.id, action: 'login', entity: 'user', entityId: user.id });
    return session;
  });
  const actor: Actor = {
    id: user.id,
    username: user.username,
    displayName: user.display_name,
    role: user.role,
    memberId: user.member_id,
    locale: user.locale === 'en' ? 'en' : 'zh-CN',
    amountUnit: user.amount_unit,
    scope: await scopeFor(db, user.role, user.member_id),
  };
  return { ...session, actor };
}
