import type { Db } from '../../db/connect.ts';
import { rootUnit } from '../../db/plans/org.ts';
import { fiscalYearId, getVersion } from '../../db/plans/versions.ts';
import { salesTotals, type SalesMeasures } from '../../db/rollups.ts';
import { getSetting } from '../../db/settings.ts';
import { AppError } from '../../domain/errors.ts';
import { monthsOfFiscalYear, periodRange } from '../../domain/periods.ts';
import type { Actor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import { isDirector } from './access.ts';

export type HistoryMetric = 'revenue' | 'gross_profit' | 'deals';

const MEASURE: Record<HistoryMetric, keyof SalesMeasures> = {
  revenue: 'amount',
  gross_profit: 'grossProfit',
  deals: 'orders',
};

export interface HistoryQuery {
  metric: HistoryMetric;
  /** Fiscal years before the plan's year, most recent first. */
  years: number;
  /** Default: the company root (the director), a manager's own top unit. */
  unitId?: number;
}

export interface HistoryView {
  metric: HistoryMetric;
  unitId: number;
  years: {
    fiscalYear: number;
    total: number;
    complete: boolean;
    months: { month: string; amount: number }[];
  }[];
  lastYearActual: number;
}

/**
 * Last years' monthly actuals of a unit's subtree, for the planner: the top-down lens grows from
 * last year's total and the 'history' seasonality takes each month's share. Read from the sales
 * rollups (never the order lines), by fiscal year, so the months line up with the plan's.
 * Planners only: the director for any unit (the company by default), a manager inside their subtree.
 */
export async function readPlanHistory(
  db: Db,
  actor: Actor,
  versionId: number,
  query: HistoryQuery,
  now: Date,
): Promise<HistoryView> {
  const { plan } = await getVersion(db, versionId);
  const unit = await historyUnit(db, actor, query.unitId);
  const fsm = await getSetting(db, 'fiscalYearStartMonth');
  const measure = MEASURE[query.metric];
  const fys = Array.from({ length: query.years }, (_, k) => plan.fiscal_year - 1 - k);
  const oldest = fys.at(-1) ?? plan.fiscal_year - 1;
  const { rows } = await salesTotals(db, {
    unitPath: unit.path,
    start: periodRange(fiscalYearId(oldest), fsm).start,
    end: periodRange(fiscalYearId(plan.fiscal_year - 1), fsm).end,
    groupBy: 'month',
  });
  const byMonth = new Map(rows.map((r) => [String(r.key), r[measure]]));
  const today = chinaToday(now);
  const years = fys.map((fiscalYear) => {
    const months = monthsOfFiscalYear(fiscalYear, fsm).map((month) => ({
      month,
      amount: byMonth.get(month) ?? 0,
    }));
    const complete = periodRange(fiscalYearId(fiscalYear), fsm).end < today;
    return { fiscalYear, total: months.reduce((a, m) => a + m.amount, 0), complete, months };
  });
  return { metric: query.metric, unitId: unit.id, years, lastYearActual: years[0]?.total ?? 0 };
}

/**
 * The unit whose actuals a planner may read for planning: `unitId`, or by default the company
 * root (the director) or a manager's own top unit. The director reads any unit, a manager only
 * inside their subtree; nobody else reads history here.
 */
export async function historyUnit(
  db: Db,
  actor: Actor,
  unitId: number | undefined,
): Promise<{ id: number; path: string }> {
  const director = await isDirector(db, actor);
  if (!director && actor.role !== 'manager') throw new AppError('FORBIDDEN');
  let unit: { id: number; path: string };
  if (unitId !== undefined) {
    const u = await db
      .selectFrom('org_units')
      .select(['id', 'path'])
      .where('id', '=', unitId)
      .executeTakeFirst();
    if (!u) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
    unit = u;
  } else if (director) {
    unit = await rootUnit(db);
  } else {
    // A manager's own top unit: the company's numbers are the director's.
    const managed = actor.scope.unitPaths[0];
    if (!managed) throw new AppError('FORBIDDEN');
    unit = { id: Number(managed.split('/').at(-2)), path: managed };
  }
  if (!director && !actor.scope.unitPaths.some((p) => unit.path.startsWith(p)))
    throw new AppError('FORBIDDEN');
  return unit;
}
