import { parseArgs } from 'node:util';
import { systemActor } from '../../app/actor.ts';
import { createUser } from '../../app/users/create-user.ts';
import type { Role } from '../../db/schema.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
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
  const input = {
    username,
    password,
    role,
    memberCode,
    displayName: values['display-name']?.trim() || null,
    locale: ctx.locale,
  };
  const created = await ctx
    .withDatabase(({ db }) => createUser(db, systemActor(ctx.locale), input, ctx.now()))
    .catch((e: unknown) => {
      throw isAppError(e) && e.code === 'DUPLICATE'
        ? new AppError('CLI_USER_EXISTS', { username })
        : e;
    });
  ctx.io.stdout(
    ctx.t(
      `已创建用户 ${username}（${created.displayName}，角色 ${role}${memberCode ? `，人员 ${memberCode}` : ''}）\n`,
      `Created user ${username} (${created.displayName}, role ${role}${memberCode ? `, member ${memberCode}` : ''})\n`,
    ),
  );
  return 0;
}
