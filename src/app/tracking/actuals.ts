import type { Db } from '../../db/connect.ts';
import { factTotals, type FactGroupBy, type FactMetric } from '../../db/fact-totals.ts';
import {
  salesTotals,
  type FactOwner,
  type SalesFilter,
  type SalesGroupBy,
  type SalesMeasures,
  type SalesTotals,
} from '../../db/rollups.ts';
import { newCustomersIn } from '../../db/customer-firsts.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import type { DateRange } from '../../domain/periods.ts';
import type { TrackedMetric } from './types.ts';
import { METRIC_DIMENSIONS } from '../../domain/tracking/tracked-metrics.ts';

/** Which sales rollup measure is the actual of each sales metric (the others read their own facts). */
const MEASURE_OF: Partial<Record<TrackedMetric, keyof SalesMeasures>> = {
  revenue: 'amount',
  gross_profit: 'grossProfit',
  deals: 'orders',
};

const NONE: SalesTotals = {
  total: { amount: 0, grossProfit: 0, quantity: 0, orders: 0, lines: 0 },
  rows: [],
};

/** Sales of an owner over a window (nothing when the window is empty), from the rollups only. */
export async function salesIn(
  db: Db,
  owner: FactOwner,
  window: DateRange | null,
  groupBy?: SalesGroupBy,
  filter?: SalesFilter | null,
): Promise<SalesTotals> {
  if (!window) return NONE;
  return salesTotals(db, {
    ...owner,
    start: window.start,
    end: window.end,
    ...(groupBy ? { groupBy } : {}),
    ...(filter ? { filter } : {}),
  });
}

export type ActualsGroupBy = SalesGroupBy;

export interface Actuals {
  total: number;
  /** When grouped: the key as the rollups give it (a day, a month, an id, a lifecycle). */
  rows: { key: string | number; value: number }[];
}

/** What a metric read needs: the metric, whose, and the dimension filter (sales metrics only). */
export interface ActualsSource {
  metric: TrackedMetric;
  owner: FactOwner;
  filter: SalesFilter | null;
}

/**
 * The actual of any tracked metric over a window, optionally grouped: sales metrics from the
 * rollups (new customers as two lifecycle-filtered reads), the others from their fact tables.
 * A grouping the metric's facts do not carry is refused with TRACKING_DIMENSION_UNAVAILABLE.
 */
export async function actualsIn(
  db: Db,
  src: ActualsSource,
  window: DateRange | null,
  groupBy?: ActualsGroupBy,
): Promise<Actuals> {
  const { metric, owner, filter } = src;
  const dims: readonly string[] = METRIC_DIMENSIONS[metric];
  const isDim =
    groupBy !== undefined && !['day', 'month', 'member', 'child_unit'].includes(groupBy);
  if (isDim && !dims.includes(groupBy)) {
    throw new AppError('TRACKING_DIMENSION_UNAVAILABLE', { metric, dim: groupBy });
  }
  if (!window) return { total: 0, rows: [] };
  const measure = MEASURE_OF[metric];
  if (measure) {
    // A product line is its whole subtree (facts sit on the sub-lines, targets on the lines).
    const filters = filter ? await expandFilter(db, filter) : [null];
    const parts = await Promise.all(filters.map((f) => salesIn(db, owner, window, groupBy, f)));
    const byKey = new Map<string | number, number>();
    for (const p of parts)
      for (const r of p.rows) byKey.set(r.key, (byKey.get(r.key) ?? 0) + r[measure]);
    return {
      total: parts.reduce((a, p) => a + p.total[measure], 0),
      rows: [...byKey]
        .map(([key, value]) => ({ key, value }))
        .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)),
    };
  }
  if (metric === 'new_customers') {
    // People, not deals: each customer once, where and when their first new/referral deal fell.
    return newCustomersIn(db, {
      ...owner,
      start: window.start,
      end: window.end,
      ...(groupBy ? { groupBy } : {}),
      filters: filter ? await expandFilter(db, filter) : null,
    });
  }
  return factTotals(db, {
    ...owner,
    metric: metric as FactMetric,
    start: window.start,
    end: window.end,
    ...(groupBy ? { groupBy: groupBy as FactGroupBy } : {}),
  });
}

/** Sales totals of an owner, of the whole node or of a slice (a product line with its sub-lines). */
export async function sliceSales(
  db: Db,
  owner: FactOwner,
  window: DateRange | null,
  filter: SalesFilter | null,
): Promise<SalesMeasures> {
  const filters = filter ? await expandFilter(db, filter) : [null];
  const parts = await Promise.all(filters.map((f) => salesIn(db, owner, window, undefined, f)));
  const total = { amount: 0, grossProfit: 0, quantity: 0, orders: 0, lines: 0 };
  for (const p of parts)
    for (const k of Object.keys(total) as (keyof SalesMeasures)[]) total[k] += p.total[k];
  return total;
}

/** A product-line filter as the lines of its subtree (the rollups key facts by the line they sit on). */
export async function expandFilter(db: Db, filter: SalesFilter): Promise<SalesFilter[]> {
  if (filter.dim !== 'product_line' || Number(filter.key) === 0) return [filter];
  const line = await db
    .selectFrom('product_lines')
    .select('path')
    .where('id', '=', Number(filter.key))
    .executeTakeFirst();
  if (!line) return [filter];
  const lines = await db
    .selectFrom('product_lines')
    .select('id')
    .where('path', 'like', `${line.path}%`)
    .orderBy('id')
    .execute();
  return lines.map((l) => ({ dim: 'product_line' as const, key: l.id }));
}

/** A comparison read that the rollups cannot answer exactly (a region over part of a month) is null, not wrong. */
export async function actualsOrNull(
  db: Db,
  src: ActualsSource,
  window: DateRange | null,
): Promise<number | null> {
  try {
    return (await actualsIn(db, src, window)).total;
  } catch (e) {
    if (isAppError(e) && e.code === 'ROLLUP_MONTHS_ONLY') return null;
    throw e;
  }
}
