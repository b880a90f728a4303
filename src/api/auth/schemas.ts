import { z } from 'zod';
import type { Actor } from '../../app/actor.ts';
import { amountUnitSchema, localeSchema, roleSchema } from '../schemas.ts';

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

export function toMe(u: Actor): z.infer<typeof meSchema> {
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

export const loginBody = z.object({
  username: z.string().trim().min(1).max(100),
  password: z.string().min(1).max(200),
});

export const preferencesBody = z.object({
  locale: localeSchema.optional(),
  amountUnit: amountUnitSchema.optional(),
});

export const changePasswordBody = z.object({
  currentPassword: z.string().min(1).max(200),
  newPassword: z.string().min(1).max(200),
});
