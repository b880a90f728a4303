import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { AppError } from '../domain/errors.ts';
import {
  DEFAULT_REPORT_SCHEDULE,
  REPORT_UNIT_KINDS,
  type ReportSchedule,
} from '../domain/reports/report-schedule.ts';
import type { Database } from './schema.ts';
import { isUniqueViolation } from './versioned.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * The report schedule is one row of `settings` with its own version: it is edited on its own
 * (the report page), not with the company settings form, so saving one never conflicts with
 * the other.
 */
const KEY = 'report_schedule';

const minute = z
  .number()
  .int()
  .min(0)
  .max(24 * 60 - 1);
const kinds = z.array(z.enum(REPORT_UNIT_KINDS)).max(REPORT_UNIT_KINDS.length);
export const reportScheduleSchema = z.object({
  battle: z.object({ enabled: z.boolean(), atMinute: minute, kinds }),
  weekly: z.object({
    enabled: z.boolean(),
    weekday: z.number().int().min(1).max(7),
    atMinute: minute,
    kinds,
  }),
});

export async function getReportSchedule(q: Q): Promise<ReportSchedule & { version: number }> {
  const row = await q
    .selectFrom('settings')
    .select(['value', 'version'])
    .where('key', '=', KEY)
    .executeTakeFirst();
  if (!row) return { ...structuredClone(DEFAULT_REPORT_SCHEDULE), version: 1 };
  const parsed = reportScheduleSchema.safeParse(JSON.parse(row.value));
  if (!parsed.success) throw new AppError('INTERNAL', { setting: KEY });
  return { ...parsed.data, version: row.version };
}

/** Replaces the schedule if the caller saw `expected` (absent = version 1); else VERSION_CONFLICT. */
export async function putReportSchedule(
  trx: Q,
  expected: number,
  next: ReportSchedule,
): Promise<number> {
  const value = JSON.stringify(reportScheduleSchema.parse(next));
  const conflict = (current: number) =>
    new AppError('VERSION_CONFLICT', { current, given: expected });
  const row = await trx
    .selectFrom('settings')
    .select('version')
    .where('key', '=', KEY)
    .executeTakeFirst();
  if (!row) {
    if (expected !== 1) throw conflict(1);
    await trx
      .insertInto('settings')
      .values({ key: KEY, value, version: 2 })
      .execute()
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? conflict(2) : e;
      });
    return 2;
  }
  const res = await trx
    .updateTable('settings')
    .set({ value, version: expected + 1 })
    .where('key', '=', KEY)
    .where('version', '=', expected)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw conflict(row.version);
  return expected + 1;
}
