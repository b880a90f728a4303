import { z } from 'zod';
import { localeSchema, roleSchema } from '../schemas.ts';

/** A user account as admins see it. The password hash never leaves the server. */
export const userSchema = z.object({
  id: z.number(),
  username: z.string(),
  displayName: z.string(),
  role: roleSchema,
  memberId: z.number().nullable(),
  memberNameZh: z.string().nullable(),
  memberNameEn: z.string().nullable(),
  locale: localeSchema,
  active: z.boolean(),
  /** Locked out after too many failed sign-ins, until this instant. */
  lockedUntil: z.string().nullable(),
  createdAt: z.string(),
  version: z.number(),
});
export type UserDto = z.infer<typeof userSchema>;

const password = z.string().min(1).max(200);

export const createUserBody = z.object({
  username: z.string().trim().min(1).max(100),
  displayName: z.string().trim().min(1).max(100),
  password,
  role: roleSchema,
  /** Required for managers and reps: it decides what they see. */
  memberId: z.number().int().positive().nullable().optional(),
  locale: localeSchema.default('zh-CN'),
});

export const updateUserBody = z.object({
  displayName: z.string().trim().min(1).max(100),
  role: roleSchema,
  memberId: z.number().int().positive().nullable().optional(),
  active: z.boolean(),
  locale: localeSchema,
  version: z.number().int().positive(),
});

export const resetPasswordBody = z.object({ newPassword: password });
