import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';

/** Removes an override: the day follows the published schedule again. */
export async function deleteHolidayOverride(
  db: Db,
  actor: Actor,
  input: { date: string },
  now: Date,
): Promise<void> {
  assertRole(actor, ['admin']);
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .deleteFrom('holiday_overrides')
      .where('date', '=', input.date)
      .returningAll()
      .executeTakeFirst();
    if (!before) throw new AppError('NOT_FOUND', { entity: 'holiday_override' });
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'delete',
      entity: 'holiday_override',
      entityId: input.date,
      before,
    });
  });
}
