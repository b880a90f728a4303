import { z } from 'zod';

export const jobStateSchema = z.enum(['queued', 'running', 'succeeded', 'failed', 'cancelled']);

export const jobViewSchema = z.object({
  id: z.number(),
  kind: z.string(),
  state: jobStateSchema,
  label: z.string(),
  done: z.number(),
  total: z.number().nullable(),
  attempts: z.number(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  cancelRequested: z.boolean(),
  result: z.unknown(),
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      problems: z.array(
        z.object({
          row: z.number().optional(),
          column: z.string().optional(),
          code: z.string(),
          message: z.string(),
        }),
      ),
    })
    .nullable(),
});

export const listJobsQuery = z.object({
  all: z.enum(['true', 'false']).optional(),
  state: jobStateSchema.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
