import type { Kysely } from 'kysely';
import { bulkUpsert } from '../../db/sqlite-bulk.ts';
import { loadUnitAncestors, UNIT_DAY_DIMS, UNIT_MONTH_DIMS } from '../../db/unit-rollups.ts';
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

export const UNIT_DAY_KEY = ['org_unit_id', 'dim', 'day', 'key'] as const;
export const UNIT_MONTH_KEY = ['org_unit_id', 'dim', 'month', 'key'] as const;

type DayRow = {
  org_unit_id: number;
  day: string;
  member_id: number;
  product_line_id: number;
  channel_id: number;
  lifecycle: string;
} & Measures;
type MonthRow = Omit<DayRow, 'day'> & { month: string; region_id: number; segment_id: number };

/** Units per zero-row DELETE. */
const CHUNK = 400;
/** Rows per PostgreSQL upsert statement (one array parameter per column); SQLite upserts row by row. */
const UPSERT_CHUNK = 10_000;

/**
 * The change a batch makes to the rollups, summed in memory by rollup key so that each key is
 * written once, however many lines of the batch fall on it. Lines going out are added with
 * sign −1, lines coming in with +1; a key whose delta is all zero is not written at all.
 *
 * `add` runs once per order line on the import's hot path: template-string keys, a row object
 * only when the key is new, the five measures added by hand (contributions are numbers already).
 */
export class RollupDeltas {
  readonly day = new Map<string, DayRow>();
  readonly month = new Map<string, MonthRow>();

  add(c: SalesContribution, sign: 1 | -1): void {
    const day = c.order_date;
    const tail = `${c.member_id}\u0001${c.product_line_id}\u0001${c.channel_id}\u0001${c.lifecycle}`;
    const dayKey = `${c.org_unit_id}\u0001${day}\u0001${tail}`;
    let d = this.day.get(dayKey);
    if (d === undefined) {
      d = {
        org_unit_id: c.org_unit_id,
        day,
        member_id: c.member_id,
        product_line_id: c.product_line_id,
        channel_id: c.channel_id,
        lifecycle: c.lifecycle,
        amount: 0,
        gross_profit: 0,
        quantity: 0,
        orders: 0,
        lines: 0,
      };
      this.day.set(dayKey, d);
    }
    d.amount += sign * c.amount;
    d.gross_profit += sign * c.gross_profit;
    d.quantity += sign * c.quantity;
    d.orders += sign * c.orders;
    d.lines += sign * c.lines;
    const month = day.slice(0, 7);
    const monthKey = `${c.org_unit_id}\u0001${month}\u0001${tail}\u0001${c.region_id}\u0001${c.segment_id}`;
    let m = this.month.get(monthKey);
    if (m === undefined) {
      m = {
        org_unit_id: c.org_unit_id,
        month,
        member_id: c.member_id,
        product_line_id: c.product_line_id,
        channel_id: c.channel_id,
        lifecycle: c.lifecycle,
        region_id: c.region_id,
        segment_id: c.segment_id,
        amount: 0,
        gross_profit: 0,
        quantity: 0,
        orders: 0,
        lines: 0,
      };
      this.month.set(monthKey, m);
    }
    m.amount += sign * c.amount;
    m.gross_profit += sign * c.gross_profit;
    m.quantity += sign * c.quantity;
    m.orders += sign * c.orders;
    m.lines += sign * c.lines;
  }

  addAll(list: readonly SalesContribution[], sign: 1 | -1): void {
    for (const c of list) this.add(c, sign);
  }
}

function nonZero(m: Measures): boolean {
  return (
    m.amount !== 0 || m.gross_profit !== 0 || m.quantity !== 0 || m.orders !== 0 || m.lines !== 0
  );
}

type UnitOut = { org_unit_id: number } & Record<string, unknown>;
type UnitRow = { org_unit_id: number; period: string; dim: string; key: string } & Measures;

/** Adds `m`'s measures to the unit row of (unit, period, dim, key), creating it on a miss. */
function addUnit(
  map: Map<string, UnitRow>,
  unit: number,
  period: string,
  dim: string,
  key: string,
  m: Measures,
): void {
  const k = `${unit}\u0001${period}\u0001${dim}\u0001${key}`;
  let r = map.get(k);
  if (r === undefined) {
    r = {
      org_unit_id: unit,
      period,
      dim,
      key,
      amount: 0,
      gross_profit: 0,
      quantity: 0,
      orders: 0,
      lines: 0,
    };
    map.set(k, r);
  }
  r.amount += m.amount;
  r.gross_profit += m.gross_profit;
  r.quantity += m.quantity;
  r.orders += m.orders;
  r.lines += m.lines;
}

/**
 * Each unit's own rows summed per dim, then counted for the unit and each of its ancestors: the
 * second step multiplies the (much fewer) unit × period × key rows, not every member-level row.
 * A unit with no org_units row (none today: units with members or facts cannot be deleted)
 * counts nowhere, exactly as a rebuild, which joins on org_units, would have it.
 */
function spread(own: Map<string, UnitRow>, ancestorsOf: Map<number, number[]>): UnitRow[] {
  const all = new Map<string, UnitRow>();
  for (const r of own.values()) {
    if (!nonZero(r)) continue;
    for (const a of ancestorsOf.get(r.org_unit_id) ?? [])
      addUnit(all, a, r.period, r.dim, r.key, r);
  }
  return [...all.values()].filter(nonZero);
}

/**
 * The unit-rollup deltas, derived from the already-summed member-level deltas (not per line),
 * as rows for `rollup_unit_day` / `rollup_unit_month`.
 */
function unitDeltas(
  days: readonly DayRow[],
  months: readonly MonthRow[],
  ancestorsOf: Map<number, number[]>,
): { days: UnitOut[]; months: UnitOut[] } {
  const ownDays = new Map<string, UnitRow>();
  for (const d of days) {
    addUnit(ownDays, d.org_unit_id, d.day, '', '', d);
    addUnit(ownDays, d.org_unit_id, d.day, 'product_line', String(d.product_line_id), d);
    addUnit(ownDays, d.org_unit_id, d.day, 'channel', String(d.channel_id), d);
    addUnit(ownDays, d.org_unit_id, d.day, 'lifecycle', d.lifecycle, d);
  }
  const ownMonths = new Map<string, UnitRow>();
  for (const m of months) {
    addUnit(ownMonths, m.org_unit_id, m.month, '', '', m);
    addUnit(ownMonths, m.org_unit_id, m.month, 'product_line', String(m.product_line_id), m);
    addUnit(ownMonths, m.org_unit_id, m.month, 'channel', String(m.channel_id), m);
    addUnit(ownMonths, m.org_unit_id, m.month, 'lifecycle', m.lifecycle, m);
    addUnit(ownMonths, m.org_unit_id, m.month, 'region', String(m.region_id), m);
    addUnit(ownMonths, m.org_unit_id, m.month, 'segment', String(m.segment_id), m);
    addUnit(ownMonths, m.org_unit_id, m.month, 'member', String(m.member_id), m);
  }
  const row = (r: UnitRow, period: 'day' | 'month'): UnitOut => ({
    org_unit_id: r.org_unit_id,
    dim: r.dim,
    [period]: r.period,
    key: r.key,
    amount: r.amount,
    gross_profit: r.gross_profit,
    quantity: r.quantity,
    orders: r.orders,
    lines: r.lines,
  });
  return {
    days: spread(ownDays, ancestorsOf).map((r) => row(r, 'day')),
    months: spread(ownMonths, ancestorsOf).map((r) => row(r, 'month')),
  };
}

/**
 * Adds the deltas to the member-level rollups and to the unit rollups of every ancestor, each
 * with one `INSERT … ON CONFLICT DO UPDATE SET x = x + excluded.x` per chunk (the same statement
 * on SQLite and PostgreSQL), then deletes the rows that became all zero, so every rollup holds
 * exactly the keys that have lines — what a rebuild would produce. The unit deltas come from the
 * summed member-level deltas, with the unit → ancestors map loaded once per call.
 */
export async function applyRollupDeltas(trx: Q, deltas: RollupDeltas): Promise<void> {
  const days = [...deltas.day.values()].filter(nonZero);
  const months = [...deltas.month.values()].filter(nonZero);
  if (days.length === 0 && months.length === 0) return;
  const units = unitDeltas(days, months, await loadUnitAncestors(trx));
  await upsert(trx, 'rollup_sales_day', DAY_KEY, days);
  await upsert(trx, 'rollup_sales_month', MONTH_KEY, months);
  await upsert(trx, 'rollup_unit_day', UNIT_DAY_KEY, units.days);
  await upsert(trx, 'rollup_unit_month', UNIT_MONTH_KEY, units.months);
  await deleteZeroRows(trx, 'rollup_sales_day', 'day', days);
  await deleteZeroRows(trx, 'rollup_sales_month', 'month', months);
  await deleteZeroRows(trx, 'rollup_unit_day', 'day', units.days);
  await deleteZeroRows(trx, 'rollup_unit_month', 'month', units.months);
}

type RollupTable =
  'rollup_sales_day' | 'rollup_sales_month' | 'rollup_unit_day' | 'rollup_unit_month';

async function upsert(
  trx: Q,
  table: RollupTable,
  key: readonly string[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  // The keys are distinct (they come from the delta maps), as bulkUpsert requires.
  await bulkUpsert(trx as unknown as Kysely<any>, table, rows, key, MEASURES, UPSERT_CHUNK);
}

/**
 * Deletes the all-zero rows among the units and period range the deltas touched (a range scan of
 * each unit's primary-key prefix; files in date order keep the range short).
 */
async function deleteZeroRows(
  trx: Q,
  table: RollupTable,
  period: 'day' | 'month',
  rows: readonly ({ org_unit_id: number } & Record<string, unknown>)[],
): Promise<void> {
  if (rows.length === 0) return;
  const units = [...new Set(rows.map((r) => r.org_unit_id))];
  let first = rows[0]![period] as string;
  let last = first;
  for (const r of rows) {
    const p = r[period] as string;
    if (p < first) first = p;
    if (p > last) last = p;
  }
  const anyTrx = trx as unknown as Kysely<any>;
  // The unit rollups' key is (unit, dim, period, key): naming the dims keeps the period range a
  // seek per unit and dim instead of a scan of each unit's whole history.
  const dims = table.startsWith('rollup_unit')
    ? period === 'day'
      ? UNIT_DAY_DIMS
      : UNIT_MONTH_DIMS
    : null;
  for (let i = 0; i < units.length; i += CHUNK) {
    let del = anyTrx.deleteFrom(table).where('org_unit_id', 'in', units.slice(i, i + CHUNK));
    if (dims) del = del.where('dim', 'in', [...dims]);
    await del
      .where(period, '>=', first)
      .where(period, '<=', last)
      .where('lines', '=', 0)
      .where('amount', '=', 0)
      .where('gross_profit', '=', 0)
      .where('quantity', '=', 0)
      .where('orders', '=', 0)
      .execute();
  }
}
