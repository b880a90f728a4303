import type { Db } from '../../db/connect.ts';
import { subtreeMembers } from '../../db/tracking.ts';
import { AppError } from '../../domain/errors.ts';
import { bands271, gap, rank, tierReached, type RankBy } from '../../domain/tracking/index.ts';
import { actualsIn } from './actuals.ts';
import { elapsedWindow, filterOut, readWindow, sourceOf, type TrackingContext } from './context.ts';
import type { Ranking } from './types.ts';
import {
  loadTargetPlan,
  monthsPlacedWithin,
  ownersTargetMonths,
  rangeTarget,
  tiersFor,
} from './targets.ts';

/**
 * Ranking 排名 with the 271 bands (top 20% / middle 70% / bottom 10%) of a unit's members or
 * direct child units. Two reads whatever the head count: one grouped rollup query for the
 * actuals, one grouped target-cell query for the targets. Each row's tier (base / target /
 * challenge / sprint) is computed here on its own target with the plan version's tier settings.
 */
export async function buildRanking(
  db: Db,
  ctx: TrackingContext,
  by: Ranking['by'],
  rankBy: RankBy,
): Promise<Ranking> {
  const { node, period, asOf, metric } = ctx;
  if (node.type !== 'unit' || node.path === null) {
    throw new AppError('TRACKING_NEEDS_UNIT');
  }
  const entrants =
    by === 'member'
      ? await subtreeMembers(db, node.path, period.start, period.end)
      : await db
          .selectFrom('org_units')
          .select(['id', 'code', 'path', 'name_zh as nameZh', 'name_en as nameEn'])
          .where('parent_id', '=', node.id)
          .orderBy('sort_order')
          .orderBy('code')
          .execute();
  const [sales, plan] = await Promise.all([
    actualsIn(db, sourceOf(ctx), readWindow(ctx, elapsedWindow(period, asOf)), by),
    loadTargetPlan(db, metric, period, ctx.fiscalStartMonth, ctx.calendar),
  ]);
  const f = ctx.filter;
  const planned = await ownersTargetMonths(
    db,
    plan,
    entrants.map((e) => ({
      type: by === 'member' ? ('member' as const) : ('unit' as const),
      id: e.id,
      path: 'path' in e ? String(e.path) : null,
    })),
    f ? { dim: f.dim, key: f.key } : null,
    period,
  );
  // A member's months count where the plan put them: a member who moved in or out during the
  // period carries here only the months this unit holds (as the actuals are credited here).
  const targets =
    by === 'member' ? await monthsPlacedWithin(db, plan, [node.path], planned) : planned;
  const actualOf = new Map(sales.rows.map((r) => [String(r.key), r.value]));
  const entries = entrants.map((e) => ({
    id: String(e.id),
    actual: actualOf.get(String(e.id)) ?? 0,
    target: rangeTarget(plan, targets.get(e.id)),
  }));
  const byId = new Map(entrants.map((e) => [String(e.id), e]));
  // rank() lists best first, ties by id; bands271 keeps that order.
  const ranked = bands271(rank(entries, rankBy));
  return {
    node: { type: node.type, id: node.id, nameZh: node.nameZh, nameEn: node.nameEn },
    period: { id: period.id, start: period.start, end: period.end },
    asOf,
    metric,
    filter: filterOut(ctx),
    by,
    rankBy,
    rows: ranked.map((r) => {
      const tiers = r.target > 0 ? tiersFor(plan, r.target, ctx.fiscalStartMonth) : null;
      return {
        rank: r.rank,
        band: r.band,
        id: Number(r.id),
        nameZh: byId.get(r.id)?.nameZh ?? '',
        nameEn: byId.get(r.id)?.nameEn ?? '',
        actual: r.actual,
        target: r.target,
        attainmentBp: r.attainmentBp,
        gap: gap(r.target, r.actual),
        tier: tiers ? tierReached(r.actual, tiers).reached : null,
        tiers,
      };
    }),
  };
}
