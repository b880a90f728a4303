import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';
import { scopeFor } from './session.ts';

/**
 * The actor a background job runs as: its creator as they are now (an account deactivated or a
 * manager moved off a region since the job was queued is checked as they are when it runs).
 */
export async function actorForUser(db: Db, userId: number): Promise<Actor | null> {
  const row = await db
    .selectFrom('users')
    .select([
      'id',
      'username',
      'display_name',
      'role',
      'member_id',
      'locale',
      'amount_unit',
      'active',
    ])
    .where('id', '=', userId)
    .executeTakeFirst();
  if (!row || row.active !== 1) return null;
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
