import { z } from 'zod';

export const metricSchema = z.object({
  id: z.number(),
  code: z.string(),
  nameZh: z.string(),
  nameEn: z.string(),
  level: z.enum(['result', 'process', 'activity']),
  kind: z.enum(['additive', 'ratio', 'derived']),
  unit: z.enum(['fen', 'count', 'bp']),
  /** numerator ÷ denominator for ratio and derived metrics. */
  formula: z.object({ numerator: z.string(), denominator: z.string() }).nullable(),
  builtin: z.boolean(),
  version: z.number(),
});

export const metricBody = z.object({
  code: z.string().regex(/^[a-z][a-z0-9_]{1,49}$/, 'lowercase letters, digits and _'),
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  level: z.enum(['result', 'process', 'activity']),
  kind: z.enum(['additive', 'ratio', 'derived']),
  unit: z.enum(['fen', 'count', 'bp']),
  formula: z
    .object({ numerator: z.string().min(1).max(50), denominator: z.string().min(1).max(50) })
    .nullable()
    .default(null),
});
export const updateMetricBody = metricBody.extend({ version: z.number().int().positive() });
