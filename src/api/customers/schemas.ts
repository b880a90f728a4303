import { z } from 'zod';

export const customerTierSchema = z.enum(['A', 'B', 'C']);

export const customerSchema = z.object({
  id: z.number(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  segmentId: z.number().nullable(),
  segmentNameZh: z.string().nullable(),
  segmentNameEn: z.string().nullable(),
  customerTypeId: z.number().nullable(),
  customerTypeNameZh: z.string().nullable(),
  customerTypeNameEn: z.string().nullable(),
  regionId: z.number().nullable(),
  regionNameZh: z.string().nullable(),
  regionNameEn: z.string().nullable(),
  ownerMemberId: z.number().nullable(),
  ownerNameZh: z.string().nullable(),
  ownerNameEn: z.string().nullable(),
  /** Annual purchase in fen. */
  annualPurchase: z.number(),
  /** Computed from `annualPurchase` by the configured tier rules on every write; never sent by clients. */
  tier: customerTierSchema,
  version: z.number(),
});
export type CustomerDto = z.infer<typeof customerSchema>;

const ref = z.number().int().positive().nullable().optional();
const fields = {
  code: z.string().trim().min(1).max(50),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  segmentId: ref,
  customerTypeId: ref,
  regionId: ref,
  ownerMemberId: ref,
  /** Fen; may be negative after net refunds (such a customer is C). */
  annualPurchase: z.number().int(),
};

export const createCustomerBody = z.object(fields);
export const updateCustomerBody = z.object({ ...fields, version: z.number().int().positive() });
export const listCustomersQuery = z.object({
  q: z.string().trim().max(100).optional(),
  tier: customerTierSchema.optional(),
  segmentId: z.coerce.number().int().positive().optional(),
  regionId: z.coerce.number().int().positive().optional(),
  ownerMemberId: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});
