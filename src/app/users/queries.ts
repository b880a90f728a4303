import type { Db } from '../../db/connect.ts';
import type { Role } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor, Locale } from '../actor.ts';
import { assertRole } from '../authorize.ts';

/** A user account as admins see it. The password hash never leaves the server. */
export interface User {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  memberId: number | null;
  memberNameZh: string | null;
  memberNameEn: string | null;
  locale: Locale;
  active: boolean;
  lockedUntil: string | null;
  createdAt: string;
  version: number;
}

export function selectUsers(db: Db) {
  // Columns are listed, never selectAll: the password hash must not reach a response or a log.
  return db
    .selectFrom('users as u')
    .leftJoin('members as m', 'm.id', 'u.member_id')
    .select([
      'u.id',
      'u.username',
      'u.display_name',
      'u.role',
      'u.member_id',
      'u.locale',
      'u.active',
      'u.locked_until',
      'u.created_at',
      'u.version',
      'm.name_zh as member_name_zh',
      'm.name_en as member_name_en',
    ]);
}

type UserRow = Awaited<ReturnType<ReturnType<typeof selectUsers>['executeTakeFirstOrThrow']>>;

export function toUser(r: UserRow): User {
  return {
    id: r.id,
    username: r.username,
    displayName: r.display_name,
    role: r.role,
    memberId: r.member_id,
    memberNameZh: r.member_name_zh,
    memberNameEn: r.member_name_en,
    locale: r.locale === 'en' ? 'en' : 'zh-CN',
    active: r.active === 1,
    lockedUntil: r.locked_until,
    createdAt: r.created_at,
    version: r.version,
  };
}

export async function userById(db: Db, id: number): Promise<User> {
  const row = await selectUsers(db).where('u.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'user' });
  return toUser(row);
}

/** Every user account, by username (admins only). */
export async function listUsers(db: Db, actor: Actor): Promise<User[]> {
  assertRole(actor, ['admin']);
  return (await selectUsers(db).orderBy('u.username').execute()).map(toUser);
}

/**
 * Managers and reps see data through their member record, so they cannot exist without one.
 * Returns the member (its Chinese name is the default display name of a CLI-made account).
 */
export async function assertMemberFits(
  db: Db,
  role: Role,
  member: { id?: number | null; code?: string | null },
): Promise<{ id: number; name_zh: string } | null> {
  if (member.id == null && !member.code) {
    if (role === 'manager' || role === 'rep') throw new AppError('USER_MEMBER_REQUIRED', { role });
    return null;
  }
  let q = db.selectFrom('members').select(['id', 'name_zh']);
  q = member.id != null ? q.where('id', '=', member.id) : q.where('code', '=', member.code!);
  const row = await q.executeTakeFirst();
  if (!row)
    throw new AppError('REFERENCE_NOT_FOUND', {
      entity: 'member',
      value: member.id ?? member.code!,
    });
  return row;
}
