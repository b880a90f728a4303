import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { createUser } from '../../app/users/create-user.ts';
import { listUsers } from '../../app/users/queries.ts';
import { resetUserPassword } from '../../app/users/reset-user-password.ts';
import { updateUser } from '../../app/users/update-user.ts';
import { requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { idParams } from '../schemas.ts';
import { createUserBody, resetPasswordBody, updateUserBody, userSchema } from './schemas.ts';

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
      async (req) => listUsers(db, requireUser(req)),
    );

    app.post(
      '/users',
      { schema: { tags: ['users'], body: createUserBody, response: { 201: userSchema } } },
      async (req, reply) =>
        reply.status(201).send(await createUser(db, requireUser(req), req.body, deps.now())),
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
      async (req) =>
        updateUser(db, requireUser(req), { ...req.body, id: req.params.id }, deps.now()),
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
        const input = { id: req.params.id, newPassword: req.body.newPassword };
        await resetUserPassword(db, requireUser(req), input, deps.now());
        return reply.status(204).send(null);
      },
    );
  };
