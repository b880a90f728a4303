import { parseArgs } from 'node:util';
import { assertStrongPassword, hashPassword } from '../../app/auth/password.ts';
import { audit } from '../../db/audit.ts';
import { isUniqueViolation } from '../../db/versioned.ts';
import type { Role } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';
import type { CliContext } from '../cli-context.ts';
import { badArgs, required } from '../parse.ts';

const roles: readonly Role[] = ['admin', 'manager', 'rep', 'finance', 'viewer'];
/** Managers see the units they manage and reps see themselves: both need their member record. */
const rolesWithMember: readonly Role[] = ['manager', 'rep'];

export async function addUserCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values } = badArgs('user', () =>
    parseArgs({
      args,
      options: {
        username: { type: 'string' },
        password: { type: 'string' },
        role: { type: 'string' },
        'member-code': { type: 'string' },
        'display-name': { type: 'string' },
      },
      strict: true,
    }),
  );
  const username = required('user', values, 'username');
  const password = required('user', values, 'password');
  const roleText = required('user', values, 'role');
  if (!roles.includes(roleText as Role))
    throw new AppError('ENUM_INVALID', { value: roleText, allowed: roles.join(', ') });
  const role = roleText as Role;
  const memberCode = values['member-code']?.trim() || null;
  if (!memberCode && rolesWithMember.includes(role))
    throw new AppError('CLI_MEMBER_REQUIRED', { role });
  assertStrongPassword(password);
  const hash = await hashPassword(password);
  const now = ctx.now();

  const created = await ctx.withDatabase(async ({ db }) =>
    db.transaction().execute(async (trx) => {
      const member = memberCode
        ? await trx
            .selectFrom('members')
            .select(['id', 'name_zh'])
            .where('code', '=', memberCode)
            .executeTakeFirst()
        : null;
      if (memberCode && !member)
        throw new AppError('REFERENCE_NOT_FOUND', { entity: 'member', value: memberCode });
      const taken = await trx
        .selectFrom('users')
        .select('id')
        .where('username', '=', username)
        .executeTakeFirst();
      if (taken) throw new AppError('CLI_USER_EXISTS', { username });
      const displayName = values['display-name']?.trim() || member?.name_zh || username;
      try {
        const { id } = await trx
          .insertInto('users')
          .values({
            username,
            display_name: displayName,
            password_hash: hash,
            role,
            member_id: member?.id ?? null,
            locale: ctx.locale,
            amount_unit: 'wan',
            created_at: now.toISOString(),
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit(trx, now, {
          userId: null,
          action: 'create',
          entity: 'user',
          entityId: id,
          after: { username, role, memberCode, source: 'cli' },
        });
        return { id, displayName };
      } catch (e) {
        if (isUniqueViolation(e)) throw new AppError('CLI_USER_EXISTS', { username });
        throw e;
      }
    }),
  );
  ctx.io.stdout(
    ctx.t(
      `已创建用户 ${username}（${created.displayName}，角色 ${role}${memberCode ? `，人员 ${memberCode}` : ''}）\n`,
      `Created user ${username} (${created.displayName}, role ${role}${memberCode ? `, member ${memberCode}` : ''})\n`,
    ),
  );
  return 0;
}
