import { z } from 'zod';
import type { Dimension } from '../../db/schema.ts';
import { AppError } from '../../domain/errors.ts';

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
} satisfies Record<Dimension, z.ZodType>;

/** Validates `attrs` against the dimension's shape; problems name the attribute. */
export function parseAttrs(
  dimension: Dimension,
  attrs: Record<string, unknown>,
): Record<string, unknown> {
  const parsed = attrsByDimension[dimension].safeParse(attrs);
  if (parsed.success) return parsed.data;
  const problems = parsed.error.issues.map((i) => {
    const field = ['attrs', ...i.path.map(String)].join('.');
    return { column: field, code: 'VALIDATION' as const, params: { field, reason: i.message } };
  });
  const first = problems[0];
  throw new AppError(
    'VALIDATION',
    { field: first?.params.field ?? 'attrs', reason: first?.params.reason ?? '' },
    problems,
  );
}
