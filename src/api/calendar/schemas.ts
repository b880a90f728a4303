import { z } from 'zod';
import { isoDate } from '../schemas.ts';

export const yearParams = z.object({ year: z.coerce.number().int().min(1900).max(2200) });
export const dateParams = z.object({ date: isoDate });

export const overrideKindSchema = z.enum(['holiday', 'workday']);

export const calendarDaySchema = z.object({
  date: z.string(),
  working: z.boolean(),
  /** workday | weekend | holiday (a day off by holiday rule) | makeup (a weekend day that works, 调休). */
  kind: z.enum(['workday', 'weekend', 'holiday', 'makeup']),
  name: z.string().nullable(),
  /** An admin override decides this day. */
  overridden: z.boolean(),
});

export const calendarYearSchema = z.object({
  year: z.number(),
  /** Holidays are known for the year: the published schedule, or at least one override. */
  hasOfficialData: z.boolean(),
  workingDays: z.number(),
  days: z.array(calendarDaySchema),
});

export const calendarYearsSchema = z.array(
  z.object({
    year: z.number(),
    /** The published State Council schedule is loaded for the year. */
    official: z.boolean(),
    /** Days an admin has overridden in the year. */
    overrides: z.number(),
  }),
);

export const overrideSchema = z.object({
  date: z.string(),
  kind: overrideKindSchema,
  name: z.string(),
  updatedAt: z.string(),
});

export const listOverridesQuery = z.object({
  year: z.coerce.number().int().min(1900).max(2200).optional(),
});
export const putOverrideBody = z.object({
  kind: overrideKindSchema,
  name: z.string().trim().max(100).default(''),
});
