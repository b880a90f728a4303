import type { Kysely, Transaction } from 'kysely';
import { officialHolidayData } from '../../data/chinese-holidays.ts';
import { buildCalendar, type WorkCalendar } from '../../domain/calendar.ts';
import type { Database } from '../schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The working-day calendar planning splits by: the official schedule plus the admins' overrides. */
export async function loadWorkCalendar(q: Q): Promise<WorkCalendar> {
  const overrides = await q
    .selectFrom('holiday_overrides')
    .select(['date', 'kind', 'name'])
    .execute();
  return buildCalendar(officialHolidayData('zh-CN'), overrides);
}
