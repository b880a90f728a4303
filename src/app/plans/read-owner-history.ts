import type { Db } from '../../db/connect.ts';
import { fiscalYearId, getVersion } from '../../db/plans/versions.ts';
import { salesTotals } from '../../db/rollups.ts';
import { getSetting } from '../../db/settings.ts';
import { periodRange } from '../../domain/periods.ts';
import type { Actor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import { historyUnit, type HistoryMetric } from './read-history.ts';

const MEASURE = { revenue: 'amount', gross_profit: 'grossProfit', deals: 'orders' } as const;

export interface OwnerHistoryView {
  metric: HistoryMetric;
  /** The fiscal year before the plan's. */
  fiscalYear: number;
  /** That year has ended (China time); otherwise the amounts are to date. */
  complete: boolean;
  /** Last fiscal year's actual per owner of the subtree ('unit:3', 'member:7'): a unit's whole subtree, a member's own credit. */
  owners: Record<string, number>;
}

/**
 * Last fiscal year's actual of every unit and member under a unit, for the org split by history:
 * the planner starts from what the product knows instead of typing it. From the sales rollups;
 * the same scope as the monthly history (the director anywhere, a manager in their subtree).
 */
export async function readOwnerHistory(
  db: Db,
  actor: Actor,
  versionId: number,
  query: { metric: HistoryMetric; unitId?: number },
  now: Date,
): Promise<OwnerHistoryView> {
  const { plan } = await getVersion(db, versionId);
  const top = await historyUnit(db, actor, query.unitId);
  const fiscalYear = plan.fiscal_year - 1;
  const { start, end } = periodRange(
    fiscalYearId(fiscalYear),
    await getSetting(db, 'fiscalYearStartMonth'),
  );
  const measure = MEASURE[query.metric];
  const owners: Record<string, number> = {};
  const units = await db
    .selectFrom('org_units')
    .select(['id', 'path'])
    .where('path', 'like', `${top.path}%`)
    .execute();
  for (const u of units) {
    const { total } = await salesTotals(db, { unitPath: u.path, start, end });
    owners[`unit:${u.id}`] = total[measure];
  }
  const { rows } = await salesTotals(db, { unitPath: top.path, start, end, groupBy: 'member' });
  for (const r of rows) if (Number(r.key) > 0) owners[`member:${r.key}`] = r[measure];
  return { metric: query.metric, fiscalYear, complete: end < chinaToday(now), owners };
}
