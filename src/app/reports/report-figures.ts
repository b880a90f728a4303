import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import {
  pickLeaders,
  REPORT_METRICS,
  type Leaders,
  type PeriodFigures,
  type ReportMetric,
  type ReportUnit,
} from '../../domain/reports/report-model.ts';
import type { Actor } from '../actor.ts';
import { trackingSnapshot } from '../tracking/answer-cache.ts';
import { readOverview } from '../tracking/read-overview.ts';
import { readRanking } from '../tracking/read-ranking.ts';
import type { Overview } from '../tracking/types.ts';

/**
 * The reports read the dashboard's own answers (readOverview, readRanking, cached and scope
 * checked like any dashboard request), so a report and the dashboard of the same unit and day
 * can never disagree.
 */
export function figuresOf(metric: ReportMetric, o: Overview): PeriodFigures {
  return {
    metric,
    unit: o.unit,
    actual: o.actual,
    hasTarget: o.hasTarget,
    target: o.target,
    attainmentBp: o.attainmentBp,
    timeProgressBp: o.timeProgressBp,
    differenceBp: o.aheadBehind?.differenceBp ?? null,
    gap: o.gap,
    requiredRunRate: o.requiredRunRate,
  };
}

/** The three metrics' overviews of a unit over `period`, counted to `asOf`. */
export function overviewsOf(
  db: Db,
  actor: Actor,
  unitId: number,
  period: string,
  asOf: string,
  today: string,
): Promise<Overview[]> {
  return Promise.all(
    REPORT_METRICS.map((metric) =>
      readOverview(db, actor, { unitId, period, asOf, metric }, today),
    ),
  );
}

/**
 * The unit a report is for: the one asked for, or the caller's natural unit (the company, or the
 * unit a manager manages). The scope is checked by the tracking read, as on the dashboard: a
 * unit outside the caller's scope is FORBIDDEN, and a rep (whose natural node is themself) is
 * told a report is for a unit.
 */
export async function reportUnit(
  db: Db,
  actor: Actor,
  unitId: number | undefined,
  today: string,
): Promise<ReportUnit> {
  const o = await readOverview(db, actor, { unitId, metric: 'revenue' }, today);
  if (o.node.type !== 'unit') throw new AppError('TRACKING_NEEDS_UNIT');
  const snap = await trackingSnapshot(db);
  const row = await snap.lookup(`report-unit:${o.node.id}`, () =>
    db.selectFrom('org_units').select('code').where('id', '=', o.node.id).executeTakeFirst(),
  );
  return { id: o.node.id, code: row?.code ?? '', nameZh: o.node.nameZh, nameEn: o.node.nameEn };
}

/**
 * The top three and the one furthest behind on revenue attainment over `period`: the unit's
 * child units, or the members of a unit that has none (a team).
 */
export async function leadersOf(
  db: Db,
  actor: Actor,
  unitId: number,
  period: string,
  asOf: string,
  today: string,
): Promise<Leaders> {
  const child = await db
    .selectFrom('org_units')
    .select('id')
    .where('parent_id', '=', unitId)
    .executeTakeFirst();
  const by = child ? ('child_unit' as const) : ('member' as const);
  const ranking = await readRanking(
    db,
    actor,
    { unitId, period, asOf, metric: 'revenue', by, rankBy: 'attainment' },
    today,
  );
  const rows = ranking.rows.map((r) => ({
    rank: r.rank,
    id: r.id,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    actual: r.actual,
    target: r.target,
    attainmentBp: r.attainmentBp,
    gap: r.gap,
  }));
  return pickLeaders(rows, by, 'revenue');
}
