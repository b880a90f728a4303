import { randomBytes, scrypt as scryptCb, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { AppError } from '../../domain/errors.ts';
import { COMMON_PASSWORDS } from './common-passwords.ts';

const N = 16384;
const r = 8;
const p = 1;
const KEYLEN = 32;
export const MIN_PASSWORD_LENGTH = 8;

function scrypt(
  password: string,
  salt: Buffer,
  keylen: number,
  opts: ScryptOptions,
): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scryptCb(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

/** scrypt with a per-password salt; the parameters travel in the stored string. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await scrypt(password, salt, KEYLEN, { N, r, p });
  return `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [algo, n, rr, pp, salt, hash] = stored.split('$');
  if (algo !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await scrypt(password, Buffer.from(salt, 'base64'), expected.length, {
    N: Number(n),
    r: Number(rr),
    p: Number(pp),
  });
  return timingSafeEqual(key, expected);
}

/**
 * The password policy for every password a person chooses (their own change, an admin's create or
 * reset, the CLI): at least MIN_PASSWORD_LENGTH characters with letters and digits, and not one
 * of the commonest passwords (case-insensitive), which guessing tools try first.
 */
export function assertStrongPassword(password: string): void {
  if (password.length < MIN_PASSWORD_LENGTH || !/[A-Za-z]/.test(password) || !/\d/.test(password)) {
    throw new AppError('PASSWORD_WEAK', { min: MIN_PASSWORD_LENGTH });
  }
  if (COMMON_PASSWORDS.has(password.toLowerCase())) throw new AppError('PASSWORD_COMMON');
}

/**
 * A hash of a random password with the same cost as `hashPassword`'s, made once per process.
 * Sign-in checks a password against it when the user is unknown or inactive, so that answer takes
 * as long as a wrong password for a real account and timing does not tell which usernames exist.
 */
let dummyHash: Promise<string> | undefined;
export function dummyPasswordHash(): Promise<string> {
  return (dummyHash ??= hashPassword(randomBytes(18).toString('base64')));
}
