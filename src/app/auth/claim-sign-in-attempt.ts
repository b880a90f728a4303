import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';

/** Wrong passwords in a row an account is allowed before it slows down. */
export const FREE_SIGN_IN_FAILURES = 5;
/** The wait after the FREE_SIGN_IN_FAILURES-th failure; it doubles with each further one… */
export const FIRST_SIGN_IN_DELAY_MS = 30_000;
/** …up to this. */
export const MAX_SIGN_IN_DELAY_MS = 15 * 60_000;

/** How long an account waits after its `failures`-th wrong password in a row (0: not at all). */
export function signInDelayMs(failures: number): number {
  if (failures < FREE_SIGN_IN_FAILURES) return 0;
  const doublings = Math.min(failures - FREE_SIGN_IN_FAILURES, 30);
  return Math.min(FIRST_SIGN_IN_DELAY_MS * 2 ** doublings, MAX_SIGN_IN_DELAY_MS);
}

/**
 * Takes one sign-in attempt for `userId` before its password is checked, in one statement: the
 * attempt counts as a failure in advance (a correct password resets the count afterwards), and
 * once the count reaches FREE_SIGN_IN_FAILURES the same statement sets `locked_until` to
 * `now + signInDelayMs(count)`. The update only happens while the account is not waiting, so the
 * check and the count are one atomic step: of any number of parallel guesses, at most one per
 * free failure (and one per expired delay) gets its password checked; the rest are refused
 * unchecked. On PostgreSQL a concurrent update of the row waits for the first and re-evaluates
 * the WHERE against the row it committed; on SQLite writes are serial anyway. Instances sharing
 * the database share the count.
 *
 * The price of counting in advance: attempts in flight count too, so a sixth simultaneous sign-in
 * of one account (even with the right password) waits like a guess would. People do not sign in
 * six times at once; a script that does should sign in once and keep its session.
 *
 * Returns `{ until }` (ISO) when the account must wait and the attempt was not taken.
 */
export async function claimSignInAttempt(
  db: Db,
  userId: number,
  now: Date,
): Promise<{ taken: true } | { taken: false; until: string }> {
  const at = now.toISOString();
  // The delay for each count that has one, as a CASE over the count after this attempt: a few
  // steps reach the cap, and every larger count waits the cap.
  const steps: ReturnType<typeof sql>[] = [];
  let n = FREE_SIGN_IN_FAILURES;
  for (; signInDelayMs(n) < MAX_SIGN_IN_DELAY_MS; n++)
    steps.push(sql`when ${n} then ${new Date(now.getTime() + signInDelayMs(n)).toISOString()}`);
  const capped = new Date(now.getTime() + MAX_SIGN_IN_DELAY_MS).toISOString();
  const claimed = await db
    .updateTable('users')
    .set({
      failed_logins: sql`failed_logins + 1`,
      locked_until: sql`case when failed_logins + 1 < ${FREE_SIGN_IN_FAILURES} then null
        else case failed_logins + 1 ${sql.join(steps, sql` `)} else ${capped} end end`,
    })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<=', at)]))
    .returning('failed_logins')
    .executeTakeFirst();
  if (claimed) return { taken: true };
  const row = await db
    .selectFrom('users')
    .select('locked_until')
    .where('id', '=', userId)
    .executeTakeFirst();
  // The wait ended (or the account went) between the two statements: refuse this one for a second.
  return { taken: false, until: row?.locked_until ?? new Date(now.getTime() + 1000).toISOString() };
}
