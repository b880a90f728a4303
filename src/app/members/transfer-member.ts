import type { Transaction } from 'kysely';
import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { amountText } from '../../db/plans/fit-matrix-cells.ts';
import {
  applyTransferTargets,
  needsDecision,
  remainingTargets,
  type RemainingTarget,
  type TransferDecision,
} from '../../db/plans/transfer-targets.ts';
import type { Database } from '../../db/schema.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { assertDate } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertMemberWritable, assertRole, assertUnitPathWritable } from '../authorize.ts';
import { chinaToday } from '../clock.ts';
import { moveMembership } from './memberships.ts';
import { memberDetail, unitPath, type MemberDetail } from './queries.ts';

export interface TransferMemberInput {
  memberId: number;
  /** The new unit. */
  unitId: number;
  /** First day in the new unit; the old membership ends the day before. */
  date: string;
  /** The member's `version` as the caller read it. */
  version: number;
  /** Required when the member has remaining targets (TRANSFER_TARGET_DECISION_REQUIRED otherwise). */
  targets?:
    | {
        decision: TransferDecision;
        /** resplit: the member's target in the new unit per metric code (default 0). */
        newUnitAmounts?: Record<string, number> | undefined;
      }
    | undefined;
}

/**
 * Moves a member to another unit from a date on (METHOD §11): history before the date stays with
 * the old unit, facts from the date on are re-credited, and the member's remaining target cells
 * (draft and active versions) are moved, kept or re-split as decided.
 *
 * Everything the transfer will change is checked against the actor's scope before the first
 * write: the member, the unit they leave, the unit they join and every unit whose target cells
 * the decision touches. One transaction, with the audit entries.
 */
export async function transferMember(
  db: Db,
  actor: Actor,
  input: TransferMemberInput,
  now: Date,
): Promise<MemberDetail> {
  assertRole(actor, ['admin', 'manager']);
  // The API's pattern lets 2026-02-30 and 0000-00-00 through; a real day or nothing is stored.
  assertDate(input.date);
  const today = chinaToday(now);
  await db.transaction().execute(async (trx) => {
    const member = await trx
      .selectFrom('members')
      .select(['id', 'version'])
      .where('id', '=', input.memberId)
      .executeTakeFirst();
    if (!member) throw new AppError('NOT_FOUND', { entity: 'member' });
    await assertMemberWritable(trx, actor, member.id, today);
    assertUnitPathWritable(actor, await unitPath(trx, input.unitId), { strict: false });
    const open = await trx
      .selectFrom('member_units as mu')
      .innerJoin('org_units as u', 'u.id', 'mu.org_unit_id')
      .select('u.path')
      .where('mu.member_id', '=', member.id)
      .where('mu.end_date', 'is', null)
      .executeTakeFirst();
    // The membership that ends may be a later one than today's (a transfer already scheduled).
    if (open) assertUnitPathWritable(actor, open.path, { strict: false });
    const remaining = await remainingTargets(trx, member.id, input.unitId, input.date, today);
    const decided = needsDecision(remaining) ? requireDecision(input, remaining) : undefined;
    if (decided) await assertTargetsWritable(trx, actor, remaining, decided.decision, input.unitId);

    await updateVersioned(
      trx,
      'members',
      member.id,
      input.version,
      { updated_at: now.toISOString() },
      'member',
    );
    const { closed, opened } = await moveMembership(trx, member.id, input.unitId, input.date);
    const targets = decided
      ? await applyTransferTargets(
          trx,
          {
            memberId: member.id,
            unitId: input.unitId,
            date: input.date,
            decision: decided.decision,
            ...(decided.newUnitAmounts ? { newUnitAmounts: decided.newUnitAmounts } : {}),
            userId: actor.id,
            now,
          },
          remaining,
        )
      : [];
    await audit(trx, now, {
      userId: actor.id,
      action: 'transfer',
      entity: 'member',
      entityId: member.id,
      before: closed,
      after: {
        ...opened,
        targets: input.targets?.decision ?? null,
        remaining: targets.map((t) => ({
          versionId: t.versionId,
          metric: t.metric,
          total: t.total,
        })),
      },
    });
    // Each version the decision touched records it: the amounts by month and every cell changed.
    for (const t of targets)
      await audit(trx, now, {
        userId: actor.id,
        action: 'transfer_targets',
        entity: 'plan_version',
        entityId: t.versionId,
        before: t.changed.map((c) => ({
          cellId: c.cellId,
          owner: c.owner,
          period: c.period,
          value: c.before,
        })),
        after: {
          memberId: member.id,
          fromDate: input.date,
          toUnitId: input.unitId,
          decision: t.decision,
          metric: t.metric,
          total: t.total,
          months: t.months,
          cells: t.changed.map((c) => ({
            cellId: c.cellId,
            owner: c.owner,
            period: c.period,
            value: c.after,
          })),
        },
      });
  });
  return memberDetail(db, input.memberId, today);
}

/** A transfer that leaves targets behind needs the caller's decision about them. */
function requireDecision(
  input: TransferMemberInput,
  remaining: readonly RemainingTarget[],
): NonNullable<TransferMemberInput['targets']> {
  if (input.targets) return input.targets;
  const left = remaining.filter((r) => r.total !== 0);
  const months = new Set(left.flatMap((r) => r.cells.map((c) => c.cell.period)));
  const main = left.find((r) => r.metricCode === 'revenue') ?? left[0]!;
  throw new AppError('TRANSFER_TARGET_DECISION_REQUIRED', {
    from: [...months].sort()[0] ?? '',
    months: months.size,
    total: amountText(main.total, main.metricUnit),
  });
}

/**
 * The units whose target cells `applyTransferTargets` may change, each checked like the new unit.
 * keep: notes on the member's cells under the old unit. resplit: the old unit's and the new
 * unit's member cells. move: besides those, the month cells of every unit between the old unit
 * and the common ancestor, and between it and the new unit (the amount travels that way; cells
 * missing on the new side are created). Cells below those re-spread, all inside the same units'
 * subtrees. A manager of two subtrees may therefore not move a target across a region they do
 * not manage.
 */
async function assertTargetsWritable(
  q: Transaction<Database>,
  actor: Actor,
  remaining: readonly RemainingTarget[],
  decision: TransferDecision,
  newUnitId: number,
): Promise<void> {
  if (actor.role === 'admin') return;
  const paths = new Map(
    (await q.selectFrom('org_units').select(['id', 'path']).execute()).map((u) => [u.id, u.path]),
  );
  const idsOf = (id: number) => (paths.get(id) ?? '').split('/').filter(Boolean).map(Number);
  const newIds = idsOf(newUnitId);
  const units = new Set<number>([newUnitId]);
  for (const t of remaining)
    for (const c of t.cells) {
      const oldId = c.parentKey.ownerId;
      units.add(oldId);
      if (decision !== 'move') continue;
      const oldIds = idsOf(oldId);
      let common = 0;
      while (common < oldIds.length && oldIds[common] === newIds[common]) common++;
      for (const id of [...oldIds.slice(common), ...newIds.slice(common)]) units.add(id);
    }
  // An unknown unit has no path and is refused: nothing is written that was not checked.
  for (const id of units) assertUnitPathWritable(actor, paths.get(id) ?? '', { strict: false });
}
