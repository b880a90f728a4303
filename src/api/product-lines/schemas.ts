import { z } from 'zod';

export const productLineSchema = z.object({
  id: z.number(),
  parentId: z.number().nullable(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  /** Materialized path of ids ('/1/4/'); sorting by it gives tree order. */
  path: z.string(),
  sortOrder: z.number(),
  /** Products filed directly under this line (not its sub-lines). */
  productCount: z.number(),
  version: z.number(),
});
export type ProductLineDto = z.infer<typeof productLineSchema>;

const fields = {
  /** null makes a top-level line; there may be several. */
  parentId: z.number().int().positive().nullable(),
  code: z.string().trim().min(1).max(50),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  sortOrder: z.number().int().optional(),
};

export const createProductLineBody = z.object(fields);
export const updateProductLineBody = z.object({ ...fields, version: z.number().int().positive() });
