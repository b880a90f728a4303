import type { Db } from '../../db/connect.ts';
import { commitTarget as commitCell } from '../../db/plans/commit-target.ts';
import { withDims } from '../../db/plans/keys.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { loadOrg } from '../../db/plans/org.ts';
import { assertDraft, fiscalYearId, getVersion, lockVersionRow } from '../../db/plans/versions.ts';
import { AppError } from '../../domain/errors.ts';
import { periodRange } from '../../domain/periods.ts';
import type { TargetTiers } from '../../domain/tiers.ts';
import type { Actor } from '../actor.ts';
import { assertDirector } from './access.ts';

export interface CommitTargetInput {
  versionId: number;
  /** The version's `version` as read: required, a stale one is VERSION_CONFLICT. */
  version: number;
  target: number;
  metric: string;
}

export interface CommitTargetResult {
  committedTarget: number;
  metric: string;
  period: string;
  cellId: number;
  tiers: TargetTiers;
  version: number;
}

/**
 * Commits the target: the company root's fiscal-year cell of an additive metric, re-spreading
 * whatever was already decomposed from it; the tiers come back. The director only; audited (by
 * `commitTarget` of the planner's store, in this transaction).
 */
export async function commitPlanTarget(
  db: Db,
  actor: Actor,
  input: CommitTargetInput,
  now: Date,
): Promise<CommitTargetResult> {
  await assertDirector(db, actor);
  return db.transaction().execute(async (trx) => {
    await lockVersionRow(trx, input.versionId);
    const { plan, version: v } = await getVersion(trx, input.versionId);
    assertDraft(v);
    const metric = await metricByCode(trx, input.metric);
    if (metric.kind !== 'additive')
      throw new AppError('METRIC_NOT_SPLITTABLE', { code: metric.code, kind: metric.kind });
    const year = fiscalYearId(plan.fiscal_year);
    const root = (await loadOrg(trx, periodRange(year, 1))).root;
    const key = withDims({ ownerType: 'unit', ownerId: root.id, period: year });
    const r = await commitCell(trx, v, input.version, metric, key, input.target, {
      userId: actor.id,
      now,
    });
    return {
      committedTarget: input.target,
      metric: metric.code,
      period: key.period,
      cellId: r.cellId,
      tiers: r.tiers,
      version: r.version,
    };
  });
}
