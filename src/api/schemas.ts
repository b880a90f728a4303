import { z } from 'zod';

/** Shared pieces of the wire contract. Feature schemas live beside their routes. */
export const idParams = z.object({ id: z.coerce.number().int().positive() });
export const versionBody = z.object({ version: z.number().int().positive() });
export const versionQuery = z.object({ version: z.coerce.number().int().positive() });
export const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'YYYY-MM-DD');
export const pageQuery = z.object({
  q: z.string().trim().max(100).optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});
export const roleSchema = z.enum(['admin', 'manager', 'rep', 'finance', 'viewer']);
export const localeSchema = z.enum(['zh-CN', 'en']);
export const amountUnitSchema = z.enum(['yuan', 'wan', 'yi']);

export const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  params: z.record(z.string(), z.union([z.string(), z.number()])),
  problems: z.array(
    z.object({
      row: z.number().optional(),
      column: z.string().optional(),
      code: z.string(),
      message: z.string(),
    }),
  ),
});

export function paged<T extends z.ZodType>(item: T) {
  return z.object({ items: z.array(item), total: z.number().int() });
}
