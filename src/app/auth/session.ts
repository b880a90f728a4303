import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/connect.ts';
import type { Actor, Locale, Scope } from '../actor.ts';

export const SESSION_COOKIE = 'tf_session';
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;

/** Only a hash of the token is stored, so a leaked database cannot be used to sign in. */
function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Db,
  userId: number,
  now: Date,
): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + SESSION_TTL_MS);
  await db
    .insertInto('sessions')
    .values({
      id: tokenId(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: expires.toISOString(),
    })
    .execute();
  return { token, expires };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('id', '=', tokenId(token)).execute();
}

export async function userForSession(db: Db, token: string, now: Date): Promise<Actor | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.member_id',
      'users.locale',
      'users.amount_unit',
      'users.active',
      'sessions.expires_at',
    ])
    .where('sessions.id', '=', tokenId(token))
    .executeTakeFirst();
  if (!row || row.active !== 1 || row.expires_at <= now.toISOString()) return null;
  return {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    memberId: row.member_id,
    locale: row.locale === 'en' ? 'en' : 'zh-CN',
    amountUnit: row.amount_unit,
    scope: await scopeFor(db, row.role, row.member_id),
  };
}

/**
 * Admin, finance and viewer read everything. A manager sees the subtrees of every unit they
 * manage; a rep sees only themself. (Write permissions are narrower; see `authorize.ts`.)
 */
export async function scopeFor(
  db: Db,
  role: Actor['role'],
  memberId: number | null,
): Promise<Scope> {
  if (role === 'admin' || role === 'finance' || role === 'viewer') {
    return { all: true, unitPaths: [], memberId };
  }
  if (role === 'manager' && memberId !== null) {
    const managed = await db
      .selectFrom('org_units')
      .select('path')
      .where('manager_member_id', '=', memberId)
      .orderBy('path')
      .execute();
    // Drop paths nested inside another managed path: one prefix covers them.
    const paths: string[] = [];
    for (const { path } of managed) if (!paths.some((p) => path.startsWith(p))) paths.push(path);
    return { all: false, unitPaths: paths, memberId };
  }
  return { all: false, unitPaths: [], memberId };
}

export function pickLocale(header: string | undefined): Locale {
  if (!header) return 'zh-CN';
  return /^\s*en\b/i.test(header) ? 'en' : 'zh-CN';
}
