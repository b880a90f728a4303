import type { FastifyRequest } from 'fastify';
import type { Actor } from '../app/actor.ts';
import { assertRole } from '../app/authorize.ts';
import type { Role } from '../db/schema.ts';
import { AppError } from '../domain/errors.ts';

/** The signed-in user of a request (the onRequest hook has already refused anonymous calls). */
export function requireUser(req: FastifyRequest): Actor {
  if (!req.user) throw new AppError('UNAUTHENTICATED');
  return req.user;
}

export function requireRole(req: FastifyRequest, roles: Role[]): Actor {
  return assertRole(requireUser(req), roles);
}
