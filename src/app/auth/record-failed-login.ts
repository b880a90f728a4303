import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';

export const MAX_FAILED_LOGINS = 5;
export const LOCK_MINUTES = 15;

/**
 * Counts a wrong password for `userId` and locks the account for LOCK_MINUTES at the
 * MAX_FAILED_LOGINS-th. The count moves in one statement, not read-then-write, so app instances
 * sharing the database cannot lose each other's failures and an attacker cannot spread guesses
 * across them to stay under the limit.
 */
export async function recordFailedLogin(
  db: Db,
  userId: number,
  now: Date,
): Promise<{ locked: boolean }> {
  const row = await db
    .updateTable('users')
    .set({ failed_logins: sql`failed_logins + 1` })
    .where('id', '=', userId)
    .returning('failed_logins')
    .executeTakeFirstOrThrow();
  if (row.failed_logins < MAX_FAILED_LOGINS) return { locked: false };
  await db
    .updateTable('users')
    .set({
      failed_logins: 0,
      locked_until: new Date(now.getTime() + LOCK_MINUTES * 60000).toISOString(),
    })
    .where('id', '=', userId)
    .execute();
  return { locked: true };
}
