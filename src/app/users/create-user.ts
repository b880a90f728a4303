import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { Role } from '../../db/schema.ts';
import { orDuplicate } from '../../db/versioned.ts';
import { auditUserId, type Actor, type Locale } from '../actor.ts';
import { assertStrongPassword, hashPassword } from '../auth/password.ts';
import { assertRole } from '../authorize.ts';
import { assertMemberFits, userById, type User } from './queries.ts';

export interface CreateUserInput {
  username: string;
  /** Defaults to the member's Chinese name, else the username. */
  displayName?: string | null;
  password: string;
  role: Role;
  /** The member record by id (the API) or by code (the CLI); managers and reps need one. */
  memberId?: number | null;
  memberCode?: string | null;
  locale: Locale;
}

/** Creates an account (admins and the system actor). A taken username is DUPLICATE. */
export async function createUser(
  db: Db,
  actor: Actor,
  input: CreateUserInput,
  now: Date,
): Promise<User> {
  assertRole(actor, ['admin']);
  assertStrongPassword(input.password);
  // scrypt is slow on purpose: hash before the transaction, not while holding it.
  const hash = await hashPassword(input.password);
  const id = await db.transaction().execute(async (trx) => {
    const member = await assertMemberFits(trx, input.role, {
      id: input.memberId,
      code: input.memberCode,
    });
    const displayName = input.displayName || member?.name_zh || input.username;
    const { id } = await trx
      .insertInto('users')
      .values({
        username: input.username,
        display_name: displayName,
        password_hash: hash,
        role: input.role,
        member_id: member?.id ?? null,
        locale: input.locale,
        amount_unit: 'wan',
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(orDuplicate(input.username));
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'create',
      entity: 'user',
      entityId: id,
      after: {
        username: input.username,
        displayName,
        role: input.role,
        memberId: member?.id ?? null,
        locale: input.locale,
      },
    });
    return id;
  });
  return userById(db, id);
}
