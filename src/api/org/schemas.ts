import { z } from 'zod';

export const orgKindSchema = z.enum(['company', 'region', 'branch', 'team']);

export const orgUnitSchema = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  kind: orgKindSchema,
  managerMemberId: z.number().nullable(),
  managerNameZh: z.string().nullable(),
  managerNameEn: z.string().nullable(),
  path: z.string(),
  sortOrder: z.number(),
  memberCount: z.number(),
  version: z.number(),
});
export type OrgUnitDto = z.infer<typeof orgUnitSchema>;

const fields = {
  code: z.string().trim().min(1).max(50),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  kind: orgKindSchema,
  managerMemberId: z.number().int().positive().nullable().optional(),
  sortOrder: z.number().int().optional(),
};

export const createOrgUnitBody = z.object({ parentId: z.number().int().positive(), ...fields });
export const updateOrgUnitBody = z.object({
  parentId: z.number().int().positive().nullable(),
  ...fields,
  version: z.number().int().positive(),
});
