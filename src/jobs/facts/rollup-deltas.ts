import type { Q } from './kind.ts';

/** What one order line (or a group of lines) adds to the sales rollups. */
export interface SalesContribution {
  org_unit_id: number;
  member_id: number;
  order_date: string;
  product_line_id: number;
  channel_id: number;
  lifecycle: string;
  region_id: number;
  segment_id: number;
  amount: number;
  gross_profit: number;
  quantity: number;
  /** Σ is_primary: deals. */
  orders: number;
  lines: number;
}

const MEASURES = ['amount', 'gross_profit', 'quantity', 'orders', 'lines'] as const;
type Measures = Record<(typeof MEASURES)[number], number>;

export const DAY_KEY = [
  'org_unit_id',
  'day',
  'member_id',
  'product_line_id',
  'channel_id',
  'lifecycle',
] as const;
export const MONTH_KEY = [
  'org_unit_id',
  'month',
  'member_id',
  'product_line_id',
  'channel_id',
  'lifecycle',
  'region_id',
  'segment_id',
] as const;

type DayRow = {
  org_unit_id: number;
  day: string;
  member_id: number;
  product_line_id: number;
  channel_id: number;
  lifecycle: string;
} & Measures;
type MonthRow = Omit<DayRow, 'day'> & { month: string; region_id: number; segment_id: number };

/** Upserts per statement: 13 parameters a row keeps every chunk far below both drivers' limits. */
const CHUNK = 400;

/**
 * The change a batch makes to the rollups, summed in memory by rollup key so that each key is
 * written once, however many lines of the batch fall on it. Lines going out are added with
 * sign −1, lines coming in with +1; a key whose delta is all zero is not written at all.
 */
export class RollupDeltas {
  readonly day = new Map<string, DayRow>();
  readonly month = new Map<string, MonthRow>();

  add(c: SalesContribution, sign: 1 | -1): void {
    const day = c.order_date;
    const month = day.slice(0, 7);
    const dayKey = [
      c.org_unit_id,
      day,
      c.member_id,
      c.product_line_id,
      c.channel_id,
      c.lifecycle,
    ].join('\u0001');
    const monthKey = [
      c.org_unit_id,
      month,
      c.member_id,
      c.product_line_id,
      c.channel_id,
      c.lifecycle,
      c.region_id,
      c.segment_id,
    ].join('\u0001');
    const base = {
      org_unit_id: c.org_unit_id,
      member_id: c.member_id,
      product_line_id: c.product_line_id,
      channel_id: c.channel_id,
      lifecycle: c.lifecycle,
    };
    const d = this.day.get(dayKey) ?? { ...base, day, ...zero() };
    const m = this.month.get(monthKey) ?? {
      ...base,
      month,
      region_id: c.region_id,
      segment_id: c.segment_id,
      ...zero(),
    };
    for (const k of MEASURES) {
      d[k] += sign * Number(c[k]);
      m[k] += sign * Number(c[k]);
    }
    this.day.set(dayKey, d);
    this.month.set(monthKey, m);
  }

  addAll(list: readonly SalesContribution[], sign: 1 | -1): void {
    for (const c of list) this.add(c, sign);
  }
}

function zero(): Measures {
  return { amount: 0, gross_profit: 0, quantity: 0, orders: 0, lines: 0 };
}

function nonZero(m: Measures): boolean {
  return MEASURES.some((k) => m[k] !== 0);
}

/**
 * Adds the deltas to both rollups with one `INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x`
 * per chunk (the same statement on SQLite and PostgreSQL), then deletes the rows that became all
 * zero, so the rollups hold exactly the keys that have lines — what a rebuild would produce.
 */
export async function applyRollupDeltas(trx: Q, deltas: RollupDeltas): Promise<void> {
  const days = [...deltas.day.values()].filter(nonZero);
  const months = [...deltas.month.values()].filter(nonZero);
  for (let i = 0; i < days.length; i += CHUNK) {
    await trx
      .insertInto('rollup_sales_day')
      .values(days.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns([...DAY_KEY]).doUpdateSet((eb) => ({
          amount: eb('rollup_sales_day.amount', '+', eb.ref('excluded.amount')),
          gross_profit: eb('rollup_sales_day.gross_profit', '+', eb.ref('excluded.gross_profit')),
          quantity: eb('rollup_sales_day.quantity', '+', eb.ref('excluded.quantity')),
          orders: eb('rollup_sales_day.orders', '+', eb.ref('excluded.orders')),
          lines: eb('rollup_sales_day.lines', '+', eb.ref('excluded.lines')),
        })),
      )
      .execute();
  }
  for (let i = 0; i < months.length; i += CHUNK) {
    await trx
      .insertInto('rollup_sales_month')
      .values(months.slice(i, i + CHUNK))
      .onConflict((oc) =>
        oc.columns([...MONTH_KEY]).doUpdateSet((eb) => ({
          amount: eb('rollup_sales_month.amount', '+', eb.ref('excluded.amount')),
          gross_profit: eb('rollup_sales_month.gross_profit', '+', eb.ref('excluded.gross_profit')),
          quantity: eb('rollup_sales_month.quantity', '+', eb.ref('excluded.quantity')),
          orders: eb('rollup_sales_month.orders', '+', eb.ref('excluded.orders')),
          lines: eb('rollup_sales_month.lines', '+', eb.ref('excluded.lines')),
        })),
      )
      .execute();
  }
  await deleteZeroRows(trx, days, months);
}

async function deleteZeroRows(trx: Q, days: DayRow[], months: MonthRow[]): Promise<void> {
  if (days.length > 0) {
    const units = [...new Set(days.map((d) => d.org_unit_id))];
    const sorted = days.map((d) => d.day).sort();
    for (let i = 0; i < units.length; i += CHUNK) {
      await trx
        .deleteFrom('rollup_sales_day')
        .where('org_unit_id', 'in', units.slice(i, i + CHUNK))
        .where('day', '>=', sorted[0]!)
        .where('day', '<=', sorted[sorted.length - 1]!)
        .where('lines', '=', 0)
        .where('amount', '=', 0)
        .where('gross_profit', '=', 0)
        .where('quantity', '=', 0)
        .where('orders', '=', 0)
        .execute();
    }
  }
  if (months.length > 0) {
    const units = [...new Set(months.map((d) => d.org_unit_id))];
    const sorted = months.map((d) => d.month).sort();
    for (let i = 0; i < units.length; i += CHUNK) {
      await trx
        .deleteFrom('rollup_sales_month')
        .where('org_unit_id', 'in', units.slice(i, i + CHUNK))
        .where('month', '>=', sorted[0]!)
        .where('month', '<=', sorted[sorted.length - 1]!)
        .where('lines', '=', 0)
        .where('amount', '=', 0)
        .where('gross_profit', '=', 0)
        .where('quantity', '=', 0)
        .where('orders', '=', 0)
        .execute();
    }
  }
}
