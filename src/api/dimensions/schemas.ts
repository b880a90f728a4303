import { z } from 'zod';

export const dimensionSchema = z.enum(['channel', 'region', 'segment', 'customer_type']);
export type DimensionName = z.infer<typeof dimensionSchema>;

export const dimensionParams = z.object({ dimension: dimensionSchema });
export const dimensionIdParams = z.object({
  dimension: dimensionSchema,
  id: z.coerce.number().int().positive(),
});

export const dimensionMemberSchema = z.object({
  id: z.number(),
  dimension: dimensionSchema,
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  attrs: z.record(z.string(), z.unknown()),
  sortOrder: z.number(),
  version: z.number(),
});
export type DimensionMemberDto = z.infer<typeof dimensionMemberSchema>;

const fields = {
  code: z.string().trim().min(1).max(50),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  /** Checked against the dimension's own shape (see `attrsByDimension`). */
  attrs: z.record(z.string(), z.unknown()).default({}),
  sortOrder: z.number().int().optional(),
};

export const createDimensionMemberBody = z.object(fields);
export const updateDimensionMemberBody = z.object({
  ...fields,
  version: z.number().int().positive(),
});
