import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { claimSignInAttempt } from './claim-sign-in-attempt.ts';
import { dummyPasswordHash, verifyPassword } from './password.ts';
import { createSession, scopeFor } from './session.ts';

export interface LoginResult {
  /** The session token for the cookie (only its hash is stored). */
  token: string;
  expires: Date;
  actor: Actor;
}

/** Checks a password against a stored hash; `verifyPassword` except in the tests of this file. */
export type PasswordVerifier = (password: string, stored: string) => Promise<boolean>;

/**
 * Signs a user in: a new session, the failure count reset, an audit entry, in one transaction.
 *
 * Every attempt on an account is claimed before its password is checked (`claimSignInAttempt`):
 * after 5 wrong passwords in a row the account answers LOGIN_THROTTLED, without checking the
 * password, until a wait that doubles with each further failure (30 s up to 15 min) has passed.
 * A slowdown, not a lock: the owner signs in with the right password once the wait is over,
 * and a guesser gets a few tries an hour. A wrong password is LOGIN_FAILED.
 *
 * An unknown or inactive user gets the same LOGIN_FAILED after the same work: the password is
 * checked against a dummy hash of the same cost, so timing does not tell which usernames exist.
 */
export async function login(
  db: Db,
  input: { username: string; password: string },
  now: Date,
  verify: PasswordVerifier = verifyPassword,
): Promise<LoginResult> {
  const user = await db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', input.username)
    .executeTakeFirst();
  if (!user || user.active !== 1) {
    await verify(input.password, await dummyPasswordHash());
    throw new AppError('LOGIN_FAILED');
  }
  const attempt = await claimSignInAttempt(db, user.id, now);
  if (!attempt.taken) {
    const waitMs = Date.parse(attempt.until) - now.getTime();
    throw new AppError('LOGIN_THROTTLED', {
      waitSeconds: Math.max(1, Math.ceil(waitMs / 1000)),
      retryAt: attempt.until,
    });
  }
  // The attempt is already counted as a failure: a wrong password needs nothing more.
  if (!(await verify(input.password, user.password_hash))) throw new AppError('LOGIN_FAILED');
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
