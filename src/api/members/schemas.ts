import { z } from 'zod';
import { isoDate } from '../schemas.ts';

export const tierSchema = z.enum(['senior', 'regular', 'new']);

export const membershipSchema = z.object({
  id: z.number(),
  orgUnitId: z.number(),
  unitNameZh: z.string(),
  unitNameEn: z.string(),
  startDate: z.string(),
  endDate: z.string().nullable(),
});

export const memberSchema = z.object({
  id: z.number(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  tier: tierSchema,
  hireDate: z.string(),
  leaveDate: z.string().nullable(),
  email: z.string().nullable(),
  /** The unit the member belongs to on the `asOf` date (today by default). */
  unitId: z.number().nullable(),
  unitNameZh: z.string().nullable(),
  unitNameEn: z.string().nullable(),
  version: z.number(),
});
export type MemberDto = z.infer<typeof memberSchema>;

export const memberDetailSchema = memberSchema.extend({ memberships: z.array(membershipSchema) });

const fields = {
  code: z.string().trim().min(1).max(50),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  tier: tierSchema,
  hireDate: isoDate,
  leaveDate: isoDate.nullable().optional(),
  email: z.string().trim().max(200).nullable().optional(),
};

export const createMemberBody = z.object({ ...fields, unitId: z.number().int().positive() });
export const updateMemberBody = z.object({ ...fields, version: z.number().int().positive() });
export const transferBody = z.object({
  unitId: z.number().int().positive(),
  /** First day in the new unit; the old membership ends the day before. */
  date: isoDate,
  version: z.number().int().positive(),
});
export const listMembersQuery = z.object({
  q: z.string().trim().max(100).optional(),
  unitId: z.coerce.number().int().positive().optional(),
  tier: tierSchema.optional(),
  asOf: isoDate.optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});
