import type { Kysely, Transaction } from 'kysely';
import { assertDate } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { recreditMember } from '../facts/recredit-member.ts';
import type { Database } from '../../db/schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** The membership open on `date` ([start, end) semantics), if any. */
export async function membershipOn(q: Q, memberId: number, date: string) {
  return q
    .selectFrom('member_units')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('start_date', '<=', date)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', date)]))
    .executeTakeFirst();
}

/**
 * Moves a member to `unitId` from `date` on. The open membership is closed at `date` (exclusive),
 * so everything before it keeps crediting the old unit; later memberships cannot exist.
 * Returns the closed and the new membership for the audit trail. No scope check and no audit:
 * the operations that call it (`transferMember`, the members import) own both.
 *
 * Crediting follows the date: facts of the member dated `date` or later are re-credited to the
 * new unit, with their rollup contribution, in the caller's transaction (a transfer with an
 * effective date in the past moves the sales already imported for those days).
 */
export async function moveMembership(q: Q, memberId: number, unitId: number, date: string) {
  assertDate(date);
  const open = await q
    .selectFrom('member_units')
    .selectAll()
    .where('member_id', '=', memberId)
    .where('end_date', 'is', null)
    .executeTakeFirst();
  if (open) {
    if (open.org_unit_id === unitId) return { closed: null, opened: open };
    if (date < open.start_date)
      throw new AppError('MEMBERSHIP_OVERLAP', { date, start: open.start_date });
    if (date === open.start_date) {
      // Same-day correction: the old membership never took effect; repoint it instead.
      await q
        .updateTable('member_units')
        .set({ org_unit_id: unitId })
        .where('id', '=', open.id)
        .execute();
      await recreditMember(q, memberId, date);
      return { closed: open, opened: { ...open, org_unit_id: unitId } };
    }
    await q.updateTable('member_units').set({ end_date: date }).where('id', '=', open.id).execute();
  }
  const opened = await q
    .insertInto('member_units')
    .values({ member_id: memberId, org_unit_id: unitId, start_date: date, end_date: null })
    .returningAll()
    .executeTakeFirstOrThrow();
  await recreditMember(q, memberId, date);
  return { closed: open ?? null, opened };
}
