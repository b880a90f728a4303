import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { assertDate } from '../../domain/dates.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { toHolidayOverride, type HolidayOverride } from './queries.ts';

/** Marks a day as a holiday or a (make-up) working day, replacing any earlier override. */
export async function setHolidayOverride(
  db: Db,
  actor: Actor,
  input: { date: string; kind: 'holiday' | 'workday'; name: string },
  now: Date,
): Promise<HolidayOverride> {
  assertRole(actor, ['admin']);
  const { date } = input;
  assertDate(date);
  const values = { kind: input.kind, name: input.name, updated_at: now.toISOString() };
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('holiday_overrides')
      .selectAll()
      .where('date', '=', date)
      .executeTakeFirst();
    await trx
      .insertInto('holiday_overrides')
      .values({ date, ...values })
      .onConflict((oc) => oc.column('date').doUpdateSet(values))
      .execute();
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: before ? 'update' : 'create',
      entity: 'holiday_override',
      entityId: date,
      before,
      after: { date, kind: values.kind, name: values.name },
    });
    return toHolidayOverride({ date, ...values });
  });
}
