import type { Db } from '../../db/connect.ts';
import {
  salesTotals,
  type FactOwner,
  type SalesGroupBy,
  type SalesMeasures,
  type SalesTotals,
} from '../../db/rollups.ts';
import type { DateRange } from '../../domain/periods.ts';
import type { TrackedMetric } from './schemas.ts';

/** Which rollup measure is the actual of each tracked metric. */
export const MEASURE_OF: Record<TrackedMetric, keyof SalesMeasures> = {
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
): Promise<SalesTotals> {
  if (!window) return NONE;
  return salesTotals(db, {
    ...owner,
    start: window.start,
    end: window.end,
    ...(groupBy ? { groupBy } : {}),
  });
}
