import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { recreditMember } from '../facts/recredit-member.ts';
import { amountText } from '../../db/plans/fit-matrix-cells.ts';
import {
  applyTransferTargets,
  needsDecision,
  remainingTargets,
  type TransferDecision,
} from '../../db/plans/transfer-targets.ts';
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
 * Returns the closed and the new membership for the audit trail.
 *
 * Crediting follows the date: facts of the member dated `date` or later are re-credited to the
 * new unit, with their rollup contribution, in the caller's transaction (a transfer with an
 * effective date in the past moves the sales already imported for those days).
 */
export async function transferMember(q: Q, memberId: number, unitId: number, date: string) {
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

export interface TransferWithTargets {
  memberId: number;
  unitId: number;
  date: string;
  /** Today (China time): an active version's months before it are closed and never change. */
  today: string;
  /** Required when the member has remaining targets (TRANSFER_TARGET_DECISION_REQUIRED otherwise). */
  targets?: { decision: TransferDecision; newUnitAmounts?: Record<string, number> } | undefined;
  userId: number;
  now: Date;
}

/**
 * A transfer with its decision about the remaining target (METHOD §11): crediting follows the
 * date (`transferMember`), and the member's target cells from the first handed-over month on — in
 * draft and active versions — are moved, kept or re-split as decided. Refuses a transfer that
 * leaves targets behind without a decision. One transaction is the caller's.
 */
export async function transferMemberWithTargets(q: Q, t: TransferWithTargets) {
  const remaining = await remainingTargets(q, t.memberId, t.unitId, t.date, t.today);
  const needed = needsDecision(remaining);
  if (needed && !t.targets) {
    const left = remaining.filter((r) => r.total !== 0);
    const months = new Set(left.flatMap((r) => r.cells.map((c) => c.cell.period)));
    const main = left.find((r) => r.metricCode === 'revenue') ?? left[0]!;
    throw new AppError('TRANSFER_TARGET_DECISION_REQUIRED', {
      from: [...months].sort()[0] ?? '',
      months: months.size,
      total: amountText(main.total, main.metricUnit),
    });
  }
  const { closed, opened } = await transferMember(q, t.memberId, t.unitId, t.date);
  const targets =
    needed && t.targets
      ? await applyTransferTargets(
          q,
          {
            memberId: t.memberId,
            unitId: t.unitId,
            date: t.date,
            decision: t.targets.decision,
            ...(t.targets.newUnitAmounts ? { newUnitAmounts: t.targets.newUnitAmounts } : {}),
            userId: t.userId,
            now: t.now,
          },
          remaining,
        )
      : [];
  return { closed, opened, remaining, targets };
}
