import type { Db } from '../../db/connect.ts';
import {
  firstHandedMonth,
  needsDecision,
  remainingTargets,
} from '../../db/plans/transfer-targets.ts';
import { assertDate } from '../../domain/dates.ts';
import type { Actor } from '../actor.ts';
import { assertMemberWritable, assertRole, assertUnitPathWritable } from '../authorize.ts';
import { chinaToday } from '../clock.ts';
import { unitPath } from './queries.ts';

export interface TransferPreview {
  date: string;
  /** The first month handed over: the transfer month when it starts on the 1st, else the next one. */
  fromMonth: string;
  needsDecision: boolean;
  targets: {
    versionId: number;
    versionNumber: number;
    status: 'draft' | 'active';
    fiscalYear: number;
    planNameZh: string;
    planNameEn: string;
    metric: string;
    metricNameZh: string;
    metricNameEn: string;
    metricUnit: string;
    total: number;
    months: { period: string; value: number }[];
  }[];
}

/**
 * The target a transfer of `memberId` to `unitId` on `date` would leave behind (draft and active
 * versions), for the move / keep / re-split decision. Reads only.
 */
export async function previewTransfer(
  db: Db,
  actor: Actor,
  input: { memberId: number; unitId: number; date: string },
  now: Date,
): Promise<TransferPreview> {
  assertRole(actor, ['admin', 'manager']);
  assertDate(input.date);
  const today = chinaToday(now);
  await assertMemberWritable(db, actor, input.memberId, today);
  assertUnitPathWritable(actor, await unitPath(db, input.unitId), { strict: false });
  const remaining = await remainingTargets(db, input.memberId, input.unitId, input.date, today);
  return {
    date: input.date,
    fromMonth: firstHandedMonth(input.date),
    needsDecision: needsDecision(remaining),
    // What is shown: metrics with something left (zeros follow the decision silently).
    targets: remaining
      .filter((t) => t.total !== 0)
      .map((t) => ({
        versionId: t.version.id,
        versionNumber: t.version.number,
        status: t.version.status as 'draft' | 'active',
        fiscalYear: t.fiscalYear,
        planNameZh: t.planNameZh,
        planNameEn: t.planNameEn,
        metric: t.metricCode,
        metricNameZh: t.metricNameZh,
        metricNameEn: t.metricNameEn,
        metricUnit: t.metricUnit,
        total: t.total,
        months: t.cells.map((c) => ({ period: c.cell.period, value: c.cell.value })),
      })),
  };
}
