import type { Db } from '../../db/connect.ts';
import { fiscalYearId } from '../../db/plans/versions.ts';
import { salesTotals, type SalesMeasures } from '../../db/rollups.ts';
import { AppError } from '../../domain/errors.ts';
import { monthsOfFiscalYear, periodRange } from '../../domain/periods.ts';
import {
  DEFAULT_CREDIBILITY_ORDERS,
  blendedShape,
  shapeOf,
} from '../../domain/planning/blended-seasonality.ts';
import { chinaToday } from '../clock.ts';

/** The metrics whose history the rollups hold. */
const MEASURE: Record<string, keyof SalesMeasures> = {
  revenue: 'amount',
  gross_profit: 'grossProfit',
  deals: 'orders',
};

/** Complete fiscal years of history a shape is learnt from (at most). */
export const SHAPE_YEARS = 3;

export interface UnitShapes {
  /** Unit id → one weight per fiscal month of the plan, summing to SHAPE_SCALE. */
  shapes: Map<number, number[]>;
  /** Unit id → the own history's weight w = orders / (orders + k). */
  credibility: Map<number, number>;
  yearsUsed: number[];
}

/**
 * Every unit's own seasonal shape for a plan's fiscal year (issue 12, docs/seasonality.md): the
 * same months of the last complete fiscal years (up to SHAPE_YEARS, never the running one) read
 * from the rollups, each unit's pooled history blended toward its parent's blended shape by its
 * orders of history (`blendedShape`, k = DEFAULT_CREDIBILITY_ORDERS, fitted by
 * `npm run bench:seasonality`); the company keeps its own pooled shape. A unit without history
 * gets its parent's. No company history at all → SEASONALITY_NO_HISTORY.
 */
export async function readUnitShapes(
  db: Db,
  input: { fiscalYear: number; fiscalStartMonth: number; metricCode: string },
  now: Date,
): Promise<UnitShapes> {
  const measure = MEASURE[input.metricCode];
  if (!measure)
    throw new AppError('PLANNING_INVALID', {
      reason: `no history of ${input.metricCode} to learn a seasonal shape from`,
    });
  const fsm = input.fiscalStartMonth;
  const today = chinaToday(now);
  const years: number[] = [];
  for (let fy = input.fiscalYear - 1; fy >= input.fiscalYear - SHAPE_YEARS; fy--)
    if (periodRange(fiscalYearId(fy), fsm).end < today) years.push(fy);
  const units = await db
    .selectFrom('org_units')
    .select(['id', 'parent_id', 'path'])
    .orderBy('path')
    .execute();
  const history = new Map<number, { years: number[][]; orders: number }>();
  const oldest = years.at(-1);
  const newest = years[0];
  if (oldest !== undefined && newest !== undefined) {
    for (const u of units) {
      const { rows } = await salesTotals(db, {
        unitPath: u.path,
        start: periodRange(fiscalYearId(oldest), fsm).start,
        end: periodRange(fiscalYearId(newest), fsm).end,
        groupBy: 'month',
      });
      const byMonth = new Map(rows.map((r) => [String(r.key), r]));
      history.set(u.id, {
        years: years.map((fy) =>
          monthsOfFiscalYear(fy, fsm).map((m) => Math.max(0, byMonth.get(m)?.[measure] ?? 0)),
        ),
        orders: rows.reduce((a, r) => a + Math.max(0, r.orders), 0),
      });
    }
  }
  const root = units.find((u) => u.parent_id === null);
  const pooled = (id: number) =>
    shapeOf(
      (history.get(id)?.years ?? []).reduce(
        (a, y) => a.map((x, i) => x + (y[i] ?? 0)),
        Array.from({ length: 12 }, () => 0),
      ),
    );
  const rootShape = root ? pooled(root.id) : null;
  if (!root || !rootShape) throw new AppError('SEASONALITY_NO_HISTORY', { years: SHAPE_YEARS });
  const shapes = new Map<number, number[]>([[root.id, rootShape]]);
  const credibility = new Map<number, number>([[root.id, 1]]);
  // Ordered by path: a parent comes before its children.
  for (const u of units) {
    if (u.parent_id === null) continue;
    const parent = shapes.get(u.parent_id) ?? rootShape;
    const own = history.get(u.id);
    const b = blendedShape({
      ownYears: own?.years ?? [],
      parent,
      k: DEFAULT_CREDIBILITY_ORDERS,
      exposure: own?.orders ?? 0,
    });
    shapes.set(u.id, b.weights);
    credibility.set(u.id, b.credibility);
  }
  return { shapes, credibility, yearsUsed: years };
}
