import type { Db } from '../../db/connect.ts';
import { settingsOf, type VersionRow } from '../../db/plans/versions.ts';
import { salesTotals } from '../../db/rollups.ts';
import { targetTiers } from '../../domain/tiers.ts';
import { attainment, tierReached, type TierLevel } from '../../domain/tracking/progress.ts';
import { chinaToday } from '../clock.ts';

export interface AttainmentEffect {
  cellId: number;
  period: string;
  /** Sales to date in the period (fen). */
  actual: number;
  before: { attainmentBp: number | null; tier: TierLevel };
  after: { attainmentBp: number | null; tier: TierLevel };
}

const MEASURE: Record<string, 'amount' | 'grossProfit' | 'orders'> = {
  revenue: 'amount',
  gross_profit: 'grossProfit',
  deals: 'orders',
};

/**
 * What a change does to attainment and tier today: for every asked cell of the month in course
 * (the only open month that has started), the actual so far against the target before and after,
 * and the tier (保底/目标/冲刺/挑战, the version's percentages) each reaches. Sales metrics only
 * (revenue, gross profit, deals); cells split by a dimension are left out.
 */
export async function attainmentEffect(
  db: Db,
  v: VersionRow,
  metricCode: string,
  cells: readonly { cellId: number; before: number; after: number }[],
  now: Date,
): Promise<AttainmentEffect[]> {
  const measure = MEASURE[metricCode];
  if (!measure) return [];
  const today = chinaToday(now);
  const month = today.slice(0, 7);
  const pcts = settingsOf(v);
  const out: AttainmentEffect[] = [];
  for (const c of cells) {
    const row = await db
      .selectFrom('target_cells')
      .selectAll()
      .where('id', '=', c.cellId)
      .executeTakeFirst();
    if (!row || row.period !== month) continue;
    if (row.product_line_id || row.region_id || row.segment_id || row.channel_id || row.lifecycle)
      continue;
    const owner =
      row.owner_type === 'member'
        ? { memberId: row.owner_id }
        : {
            unitPath: (
              await db
                .selectFrom('org_units')
                .select('path')
                .where('id', '=', row.owner_id)
                .executeTakeFirstOrThrow()
            ).path,
          };
    const totals = await salesTotals(db, { ...owner, start: `${month}-01`, end: today });
    const actual = totals.total[measure];
    const side = (target: number) => ({
      attainmentBp: attainment(actual, target),
      tier: tierReached(actual, targetTiers(target, pcts)).reached,
    });
    out.push({
      cellId: c.cellId,
      period: row.period,
      actual,
      before: side(c.before),
      after: side(c.after),
    });
  }
  return out;
}
