import { z } from 'zod';

export const productSchema = z.object({
  id: z.number(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  productLineId: z.number(),
  productLineNameZh: z.string(),
  productLineNameEn: z.string(),
  /** Gross margin in basis points (3500 = 35.00%). */
  grossMarginBp: z.number(),
  /** List price in fen, or null when the product has none. */
  listPrice: z.number().nullable(),
  version: z.number(),
});
export type ProductDto = z.infer<typeof productSchema>;

const fields = {
  code: z.string().trim().min(1).max(50),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  productLineId: z.number().int().positive(),
  grossMarginBp: z.number().int().min(0).max(10_000),
  listPrice: z.number().int().min(0).max(Number.MAX_SAFE_INTEGER).nullable().optional(),
};

export const createProductBody = z.object(fields);
export const updateProductBody = z.object({ ...fields, version: z.number().int().positive() });
export const listProductsQuery = z.object({
  q: z.string().trim().max(100).optional(),
  /** Includes the products of every sub-line. */
  productLineId: z.coerce.number().int().positive().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});
