import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { Role } from '../../db/schema.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor, type Locale } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { assertMemberFits, selectUsers, toUser, userById, type User } from './queries.ts';

export interface UpdateUserInput {
  id: number;
  displayName: string;
  role: Role;
  memberId?: number | null;
  active: boolean;
  locale: Locale;
  version: number;
}

/** Edits an account at the version the client read (admins only); the last active admin stays. */
export async function updateUser(
  db: Db,
  actor: Actor,
  input: UpdateUserInput,
  now: Date,
): Promise<User> {
  assertRole(actor, ['admin']);
  const { id, ...body } = input;
  await db.transaction().execute(async (trx) => {
    await assertMemberFits(trx, input.role, { id: input.memberId });
    const before = await selectUsers(trx).where('u.id', '=', id).executeTakeFirst();
    if (!before) throw new AppError('NOT_FOUND', { entity: 'user' });
    await updateVersioned(
      trx,
      'users',
      id,
      input.version,
      {
        display_name: input.displayName,
        role: input.role,
        member_id: input.memberId ?? null,
        active: input.active ? 1 : 0,
        locale: input.locale,
      },
      'user',
    );
    // Checked after the write, inside the transaction: the company always keeps a way in.
    const admins = await trx
      .selectFrom('users')
      .select('id')
      .where('role', '=', 'admin')
      .where('active', '=', 1)
      .executeTakeFirst();
    if (!admins) throw new AppError('LAST_ADMIN');
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'update',
      entity: 'user',
      entityId: id,
      before: toUser(before),
      after: body,
    });
  });
  return userById(db, id);
}
