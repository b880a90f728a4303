import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { isAppError } from '../../domain/errors.ts';
import { changePassword } from '../../app/auth/change-password.ts';
import { login } from '../../app/auth/login.ts';
import { logout } from '../../app/auth/logout.ts';
import { SESSION_COOKIE } from '../../app/auth/session.ts';
import { updatePreferences } from '../../app/auth/update-preferences.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { changePasswordBody, loginBody, meSchema, preferencesBody, toMe } from './schemas.ts';

export const authRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;
    // Secure whenever the request came over HTTPS (`protocol` believes X-Forwarded-Proto only
    // from a trusted proxy, TRUST_PROXY), or always with COOKIE_SECURE=1.
    const setSessionCookie = (
      req: FastifyRequest,
      reply: FastifyReply,
      s: { token: string; expires: Date },
    ) =>
      reply.setCookie(SESSION_COOKIE, s.token, {
        httpOnly: true,
        sameSite: 'lax',
        secure: (deps.secureCookies ?? false) || req.protocol === 'https',
        path: '/',
        expires: s.expires,
      });

    app.post(
      '/auth/login',
      {
        config: { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } },
        schema: { tags: ['auth'], body: loginBody, response: { 200: meSchema } },
      },
      async (req, reply) => {
        const session = await login(db, req.body, deps.now()).catch((e: unknown) => {
          if (isAppError(e) && e.code === 'LOGIN_THROTTLED')
            reply.header('retry-after', String(e.params.waitSeconds));
          throw e;
        });
        setSessionCookie(req, reply, session);
        return toMe(session.actor);
      },
    );

    app.post(
      '/auth/logout',
      { config: { public: true }, schema: { tags: ['auth'], response: { 204: z.null() } } },
      async (req, reply) => {
        const token = req.cookies[SESSION_COOKIE];
        if (token) await logout(db, req.user, { token }, deps.now());
        reply.clearCookie(SESSION_COOKIE, { path: '/' });
        return reply.status(204).send(null);
      },
    );

    app.get('/auth/me', { schema: { tags: ['auth'], response: { 200: meSchema } } }, async (req) =>
      toMe(requireUser(req)),
    );

    app.put(
      '/auth/me/preferences',
      { schema: { tags: ['auth'], body: preferencesBody, response: { 200: meSchema } } },
      async (req) => toMe(await updatePreferences(db, requireUser(req), req.body)),
    );

    app.post(
      '/auth/password',
      {
        config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
        schema: { tags: ['auth'], body: changePasswordBody, response: { 204: z.null() } },
      },
      async (req, reply) => {
        const session = await changePassword(db, requireUser(req), req.body, deps.now());
        setSessionCookie(req, reply, session);
        return reply.status(204).send(null);
      },
    );
  };
