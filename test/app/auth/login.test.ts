import { beforeAll, expect, it } from 'vitest';
import { login, type PasswordVerifier } from '../../../src/app/auth/login.ts';
import { hashPassword, verifyPassword } from '../../../src/app/auth/password.ts';
import { isAppError } from '../../../src/domain/errors.ts';
import { FIXED_NOW, PASSWORD, seedFixture } from '../../support/app.ts';
import { describeEachDialect } from '../../support/databases.ts';

/** The scrypt cost of a stored hash: algorithm, N, r, p and the key length in bytes. */
const costOf = (stored: string) => {
  const [algo, n, r, p, , key] = stored.split('$');
  return { algo, n, r, p, keyBytes: Buffer.from(key ?? '', 'base64').length };
};

/** The real verifier, recording the hash each check ran against. */
function recordingVerifier(): PasswordVerifier & { hashes: string[] } {
  const hashes: string[] = [];
  const verify = async (password: string, stored: string) => {
    hashes.push(stored);
    return verifyPassword(password, stored);
  };
  return Object.assign(verify, { hashes });
}

const codeOf = (p: Promise<unknown>) =>
  p.then(
    () => 'OK',
    (e: unknown) => (isAppError(e) ? e.code : String(e)),
  );

describeEachDialect(
  'sign-in: the same work for every username, and attempts claimed atomically',
  (t) => {
    let realCost: ReturnType<typeof costOf>;
    beforeAll(async () => {
      await seedFixture(t.db);
      await t.db.updateTable('users').set({ active: 0 }).where('username', '=', 'viewer').execute();
      const row = await t.db
        .selectFrom('users')
        .select('password_hash')
        .where('username', '=', 'rep1')
        .executeTakeFirstOrThrow();
      realCost = costOf(row.password_hash);
    });

    it('Given an unknown, an inactive and a real user, Then each answer checks one password against a hash of the same cost', async () => {
      // The fixture's cost is the one hashPassword uses today.
      expect(realCost).toEqual(costOf(await hashPassword('Any-pass-1')));
      for (const username of ['nobody', 'viewer', 'rep1']) {
        const verify = recordingVerifier();
        const code = await codeOf(
          login(t.db, { username, password: 'wrong-pass-1' }, FIXED_NOW, verify),
        );
        expect(code, username).toBe('LOGIN_FAILED');
        expect(verify.hashes.map(costOf), username).toEqual([realCost]);
      }
      // And the inactive user's right password does not sign in (nor reveal that it was right).
      const verify = recordingVerifier();
      expect(
        await codeOf(login(t.db, { username: 'viewer', password: PASSWORD }, FIXED_NOW, verify)),
      ).toBe('LOGIN_FAILED');
      expect(verify.hashes).toHaveLength(1);
    });

    it('Given 60 parallel wrong guesses, Then exactly 5 passwords are checked and the other 55 are refused unchecked', async () => {
      const verify = recordingVerifier();
      const codes = await Promise.all(
        Array.from({ length: 60 }, (_, i) =>
          codeOf(login(t.db, { username: 'rep4', password: `guess-${i}-x9` }, FIXED_NOW, verify)),
        ),
      );
      expect(verify.hashes).toHaveLength(5);
      expect(codes.filter((c) => c === 'LOGIN_FAILED')).toHaveLength(5);
      expect(codes.filter((c) => c === 'LOGIN_THROTTLED')).toHaveLength(55);
      const row = await t.db
        .selectFrom('users')
        .select(['failed_logins', 'locked_until'])
        .where('username', '=', 'rep4')
        .executeTakeFirstOrThrow();
      expect(row).toEqual({ failed_logins: 5, locked_until: '2026-03-16T02:00:30.000Z' });
      // When the wait is over, Then one more guess is checked and the next wait is twice as long
      const later = new Date(FIXED_NOW.getTime() + 30_000);
      const again = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          codeOf(login(t.db, { username: 'rep4', password: `again-${i}-x9` }, later, verify)),
        ),
      );
      expect(verify.hashes).toHaveLength(6);
      expect(again.filter((c) => c === 'LOGIN_FAILED')).toHaveLength(1);
      const after = await t.db
        .selectFrom('users')
        .select('locked_until')
        .where('username', '=', 'rep4')
        .executeTakeFirstOrThrow();
      expect(after.locked_until).toBe('2026-03-16T02:01:30.000Z');
      // And the owner's right password, once that wait is over, signs in and clears the count
      const owner = await login(
        t.db,
        { username: 'rep4', password: PASSWORD },
        new Date(FIXED_NOW.getTime() + 90_000),
      );
      expect(owner.actor.username).toBe('rep4');
      expect(
        await t.db
          .selectFrom('users')
          .select(['failed_logins', 'locked_until'])
          .where('username', '=', 'rep4')
          .executeTakeFirstOrThrow(),
      ).toEqual({ failed_logins: 0, locked_until: null });
    });
  },
);
