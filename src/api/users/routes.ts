import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Db } from '../../db/connect.ts';
import type { Role } from '../../db/schema.ts';
import { isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import { assertStrongPassword, hashPassword } from '../../app/auth/password.ts';
import { requireRole } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
import {
  createUserBody,
  resetPasswordBody,
  updateUserBody,
  userSchema,
  type UserDto,
} from './schemas.ts';

function selectUsers(db: Db) {
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

function toDto(r: UserRow): UserDto {
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

async function oneUser(db: Db, id: number): Promise<UserDto> {
  const row = await selectUsers(db).where('u.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'user' });
  return toDto(row);
}

/** Managers and reps see data through their member record, so they cannot exist without one. */
async function assertMemberFits(
  db: Db,
  role: Role,
  memberId: number | null | undefined,
): Promise<void> {
  if (memberId == null) {
    if (role === 'manager' || role === 'rep') throw new AppError('USER_MEMBER_REQUIRED', { role });
    return;
  }
  const member = await db
    .selectFrom('members')
    .select('id')
    .where('id', '=', memberId)
    .executeTakeFirst();
  if (!member) throw new AppError('REFERENCE_NOT_FOUND', { entity: 'member', value: memberId });
}

export const userRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/users',
      {
        schema: {
          tags: ['users'],
          summary: 'Every user account (admin only)',
          response: { 200: z.array(userSchema) },
        },
      },
      async (req) => {
        requireRole(req, ['admin']);
        return (await selectUsers(db).orderBy('u.username').execute()).map(toDto);
      },
    );

    app.post(
      '/users',
      { schema: { tags: ['users'], body: createUserBody, response: { 201: userSchema } } },
      async (req, reply) => {
        const admin = requireRole(req, ['admin']);
        const { password, ...b } = req.body;
        assertStrongPassword(password);
        await assertMemberFits(db, b.role, b.memberId);
        const hash = await hashPassword(password);
        const now = deps.now();
        const id = await db.transaction().execute(async (trx) => {
          const { id } = await trx
            .insertInto('users')
            .values({
              username: b.username,
              display_name: b.displayName,
              password_hash: hash,
              role: b.role,
              member_id: b.memberId ?? null,
              locale: b.locale,
              amount_unit: 'wan',
              created_at: now.toISOString(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
            .catch((e: unknown) => {
              throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: b.username }) : e;
            });
          await audit(trx, now, {
            userId: admin.id,
            action: 'create',
            entity: 'user',
            entityId: id,
            after: b,
          });
          return id;
        });
        return reply.status(201).send(await oneUser(db, id));
      },
    );

    app.put(
      '/users/:id',
      {
        schema: {
          tags: ['users'],
          params: idParams,
          body: updateUserBody,
          response: { 200: userSchema },
        },
      },
      async (req) => {
        const admin = requireRole(req, ['admin']);
        const b = req.body;
        await assertMemberFits(db, b.role, b.memberId);
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          const before = await selectUsers(trx)
            .where('u.id', '=', req.params.id)
            .executeTakeFirst();
          if (!before) throw new AppError('NOT_FOUND', { entity: 'user' });
          await updateVersioned(
            trx,
            'users',
            before.id,
            b.version,
            {
              display_name: b.displayName,
              role: b.role,
              member_id: b.memberId ?? null,
              active: b.active ? 1 : 0,
              locale: b.locale,
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
            userId: admin.id,
            action: 'update',
            entity: 'user',
            entityId: before.id,
            before: toDto(before),
            after: b,
          });
        });
        return oneUser(db, req.params.id);
      },
    );

    app.post(
      '/users/:id/reset-password',
      {
        schema: {
          tags: ['users'],
          summary: "Set a user's password; their open sessions end",
          params: idParams,
          body: resetPasswordBody,
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const admin = requireRole(req, ['admin']);
        assertStrongPassword(req.body.newPassword);
        const target = await oneUser(db, req.params.id);
        const hash = await hashPassword(req.body.newPassword);
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('users')
            .set({ password_hash: hash, failed_logins: 0, locked_until: null })
            .where('id', '=', target.id)
            .execute();
          await trx.deleteFrom('sessions').where('user_id', '=', target.id).execute();
          await audit(trx, now, {
            userId: admin.id,
            action: 'password',
            entity: 'user',
            entityId: target.id,
          });
        });
        return reply.status(204).send(null);
      },
    );
  };
