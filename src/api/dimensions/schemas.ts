import { z } from 'zod';

export const dimensionSchema = z.enum(['channel', 'region', 'segment', 'customer_type']);
export type DimensionName = z.infer<typeof dimensionSchema>;

/**
 * What each dimension may carry in `attrs`. A channel knows its kind and how many qualified
 * leads marketing can deliver a month (the supply limit of the funnel, METHOD §2); a region is
 * mature or emerging (emerging regions get a higher growth rate, METHOD §3).
 */
export const attrsByDimension = {
  channel: z
    .object({
      kind: z.enum(['online', 'offline', 'partner']),
      monthlyLeadSupply: z.number().int().min(0).optional(),
      /** Lead → deal conversion of the channel in basis points (own traffic 10%, third party 2%). */
      leadToDealBp: z.number().int().min(0).max(10_000).optional(),
    })
    .strict(),
  region: z.object({ maturity: z.enum(['mature', 'emerging']) }).strict(),
  segment: z.object({}).strict(),
  customer_type: z.object({}).strict(),
} satisfies Record<DimensionName, z.ZodType>;

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
