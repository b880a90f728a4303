import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../domain/errors.ts';
import { audit } from '../../db/audit.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import type { Actor } from '../../app/actor.ts';
import { amountUnitSchema, localeSchema, roleSchema } from '../schemas.ts';
import { assertStrongPassword, hashPassword, verifyPassword } from '../../app/auth/password.ts';
import { LOCK_MINUTES, recordFailedLogin } from '../../app/auth/record-failed-login.ts';
import { SESSION_COOKIE, createSession, deleteSession, scopeFor } from '../../app/auth/session.ts';

export const meSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  memberId: z.number().nullable(),
  locale: localeSchema,
  amountUnit: amountUnitSchema,
  scope: z.object({ all: z.boolean(), unitPaths: z.array(z.string()) }),
});

function toMe(u: Actor): z.infer<typeof meSchema> {
  return {
    id: u.id,
    username: u.username,
    displayName: u.displayName,
    role: u.role,
    memberId: u.memberId,
    locale: u.locale,
    amountUnit: amountUnitSchema.catch('wan').parse(u.amountUnit),
    scope: { all: u.scope.all, unitPaths: u.scope.unitPaths },
  };
}

export const authRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.post(
      '/auth/login',
      {
        config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: {
          tags: ['auth'],
          body: z.object({
            username: z.string().trim().min(1).max(100),
            password: z.string().min(1).max(200),
          }),
          response: { 200: meSchema },
        },
      },
      async (req, reply) => {
        const now = deps.now();
        const user = await db
          .selectFrom('users')
          .selectAll()
          .where('username', '=', req.body.username)
          .executeTakeFirst();
        if (!user || user.active !== 1) throw new AppError('LOGIN_FAILED');
        if (user.locked_until && user.locked_until > now.toISOString()) {
          const minutes = Math.ceil((Date.parse(user.locked_until) - now.getTime()) / 60000);
          throw new AppError('LOGIN_LOCKED', { minutes });
        }
        if (!(await verifyPassword(req.body.password, user.password_hash))) {
          if ((await recordFailedLogin(db, user.id, now)).locked)
            throw new AppError('LOGIN_LOCKED', { minutes: LOCK_MINUTES });
          throw new AppError('LOGIN_FAILED');
        }
        await db
          .updateTable('users')
          .set({ failed_logins: 0, locked_until: null })
          .where('id', '=', user.id)
          .execute();
        const { token, expires } = await createSession(db, user.id, now);
        await audit(db, now, {
          userId: user.id,
          action: 'login',
          entity: 'user',
          entityId: user.id,
        });
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.secureCookies ?? false,
          path: '/',
          expires,
        });
        const me: Actor = {
          id: user.id,
          username: user.username,
          displayName: user.display_name,
          role: user.role,
          memberId: user.member_id,
          locale: user.locale === 'en' ? 'en' : 'zh-CN',
          amountUnit: user.amount_unit,
          scope: await scopeFor(db, user.role, user.member_id),
        };
        return toMe(me);
      },
    );

    app.post(
      '/auth/logout',
      { config: { public: true }, schema: { tags: ['auth'], response: { 204: z.null() } } },
      async (req, reply) => {
        const token = req.cookies[SESSION_COOKIE];
        if (token) {
          await deleteSession(db, token);
          if (req.user)
            await audit(db, deps.now(), {
              userId: req.user.id,
              action: 'logout',
              entity: 'user',
              entityId: req.user.id,
            });
        }
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get('/auth/me', { schema: { tags: ['auth'], response: { 200: meSchema } } }, async (req) =>
      toMe(requireUser(req)),
    );

    app.put(
      '/auth/me/preferences',
      {
        schema: {
          tags: ['auth'],
          body: z.object({
            locale: localeSchema.optional(),
            amountUnit: amountUnitSchema.optional(),
          }),
          response: { 200: meSchema },
        },
      },
      async (req) => {
        const user = requireUser(req);
        const set: { locale?: string; amount_unit?: string } = {};
        if (req.body.locale) set.locale = req.body.locale;
        if (req.body.amountUnit) set.amount_unit = req.body.amountUnit;
        if (Object.keys(set).length)
          await db.updateTable('users').set(set).where('id', '=', user.id).execute();
        return toMe({
          ...user,
          locale: req.body.locale ?? user.locale,
          amountUnit: req.body.amountUnit ?? user.amountUnit,
        });
      },
    );

    app.post(
      '/auth/password',
      {
        config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: {
          tags: ['auth'],
          body: z.object({
            currentPassword: z.string().min(1).max(200),
            newPassword: z.string().min(1).max(200),
          }),
          response: { 204: z.null() },
        },
      },
      async (req, reply) => {
        const user = requireUser(req);
        const row = await db
          .selectFrom('users')
          .select('password_hash')
          .where('id', '=', user.id)
          .executeTakeFirstOrThrow();
        if (!(await verifyPassword(req.body.currentPassword, row.password_hash)))
          throw new AppError('WRONG_PASSWORD');
        assertStrongPassword(req.body.newPassword);
        const hash = await hashPassword(req.body.newPassword);
        const now = deps.now();
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('users')
            .set({ password_hash: hash })
            .where('id', '=', user.id)
            .execute();
          // Other sessions of this user end: a changed password should lock out whoever had the old one.
          await trx
            .deleteFrom('sessions')
            .where('user_id', '=', user.id)
            .where('id', '!=', '')
            .execute();
          await audit(trx, now, {
            userId: user.id,
            action: 'password',
            entity: 'user',
            entityId: user.id,
          });
        });
        const { token, expires } = await createSession(db, user.id, now);
        reply.setCookie(SESSION_COOKIE, token, {
          httpOnly: true,
          sameSite: 'lax',
          secure: deps.secureCookies ?? false,
          path: '/',
          expires,
        });
        return reply.status(204).send(null);
      },
    );
  };
