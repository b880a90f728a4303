import type { Kysely } from 'kysely';
import { bulkDelete, bulkUpsert } from '../../db/sqlite-bulk.ts';
import {
  DIM_COLUMN,
  loadUnitAncestors,
  UNIT_DAY_DIMS,
  UNIT_MONTH_DIMS,
  type UnitDim,
} from '../../db/unit-rollups.ts';
import type { Q } from './kind.ts';
import { StageClock } from './stage-clock.ts';

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

/** The rollups' primary keys, in key order (migration 0010: the period first, except the unit month). */
export const DAY_KEY = [
  'day',
  'member_id',
  'org_unit_id',
  'product_line_id',
  'channel_id',
  'lifecycle',
] as const;
export const MONTH_KEY = [
  'month',
  'member_id',
  'org_unit_id',
  'product_line_id',
  'channel_id',
  'lifecycle',
  'region_id',
  'segment_id',
] as const;

export const UNIT_DAY_KEY = ['day', 'org_unit_id', 'dim', 'key'] as const;
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

/** Rows per PostgreSQL upsert or delete statement (one array parameter per column); SQLite runs row by row. */
const CHUNK = 10_000;

function zero(): Measures {
  return { amount: 0, gross_profit: 0, quantity: 0, orders: 0, lines: 0 };
}

function addMeasures(to: Measures, m: Measures): void {
  to.amount += m.amount;
  to.gross_profit += m.gross_profit;
  to.quantity += m.quantity;
  to.orders += m.orders;
  to.lines += m.lines;
}

/** What a stored or about-to-be-stored order line carries (`is_primary` counts the deal). */
export type OrderLineValues = Omit<SalesContribution, 'orders' | 'lines'> & { is_primary: number };

/**
 * The change a batch makes to the rollups, summed in memory by rollup key so that each key is
 * written once, however many lines of the batch fall on it. Lines going out are added with
 * sign −1, lines coming in with +1; a key whose delta is all zero is not written at all.
 *
 * `add` runs once per order line on the import's hot path: template-string keys, a row object
 * only when the key is new, the five measures added by hand. (Chains of integer-keyed maps were
 * measured as no faster.)
 */
export class RollupDeltas {
  readonly day = new Map<string, DayRow>();
  readonly month = new Map<string, MonthRow>();

  add(c: SalesContribution, sign: 1 | -1): void {
    this.addOne(c, c.order_date, c.orders, c.lines, sign);
  }

  addAll(list: readonly SalesContribution[], sign: 1 | -1): void {
    for (const c of list) this.add(c, sign);
  }

  /** One order line as stored, counting one line and its `is_primary` deal. */
  addLine(v: OrderLineValues, sign: 1 | -1): void {
    this.addOne(v, v.order_date, v.is_primary, 1, sign);
  }

  /**
   * A line whose primary flag is not known yet (the import worker sums a file chunk by chunk):
   * its measures and line, no deal. `addDeal` adds the deal once the order's primary line is known.
   */
  addLineWithoutDeal(v: Omit<OrderLineValues, 'is_primary'>, sign: 1 | -1): void {
    this.addOne(v, v.order_date, 0, 1, sign);
  }

  /** The deal of an order, on its primary line's keys: orders ± 1, nothing else. */
  addDeal(v: Omit<OrderLineValues, 'is_primary'>, sign: 1 | -1): void {
    this.addOne({ ...v, amount: 0, gross_profit: 0, quantity: 0 }, v.order_date, 1, 0, sign);
  }

  private addOne(
    c: Omit<SalesContribution, 'order_date' | 'orders' | 'lines'>,
    day: string,
    orders: number,
    lines: number,
    sign: 1 | -1,
  ): void {
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
    d.orders += sign * orders;
    d.lines += sign * lines;
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
    m.orders += sign * orders;
    m.lines += sign * lines;
  }
}

function nonZero(m: Measures): boolean {
  return (
    m.amount !== 0 || m.gross_profit !== 0 || m.quantity !== 0 || m.orders !== 0 || m.lines !== 0
  );
}

/**
 * One unit × period of the unit rollups: the total (dim '') and, per dim, its split by key.
 * `keys[i]` holds dim `dims[i]`'s keys (ids, or the lifecycle text) → measures.
 */
interface UnitCell {
  unit: number;
  period: string;
  total: Measures;
  keys: Map<number | string, Measures>[];
}

/** The unit rollups' cells, keyed by (period, unit). */
class UnitCells {
  readonly cells = new Map<string, UnitCell>();
  constructor(private readonly dimCount: number) {}

  at(period: string, unit: number): UnitCell {
    const k = `${period}\u0001${unit}`;
    let cell = this.cells.get(k);
    if (cell === undefined) {
      cell = {
        unit,
        period,
        total: zero(),
        keys: Array.from({ length: this.dimCount }, () => new Map()),
      };
      this.cells.set(k, cell);
    }
    return cell;
  }
}

function addKey(map: Map<number | string, Measures>, key: number | string, m: Measures): void {
  let to = map.get(key);
  if (to === undefined) map.set(key, (to = zero()));
  addMeasures(to, m);
}

type UnitOut = { org_unit_id: number } & Measures & Record<string, unknown>;

/**
 * The unit-rollup deltas of `rows` (already-summed member-level deltas, not lines): each row's
 * measures go into its own unit's cell — the total and one key per dim — and then each cell is
 * added to the same period's cell of every ancestor, which multiplies the (few) unit × period
 * cells, not the rows. A unit with no org_units row (none today: units with members or facts
 * cannot be deleted) counts nowhere, exactly as a rebuild, which joins on org_units, would have it.
 */
function unitDeltas<R extends Measures & { org_unit_id: number }>(
  rows: readonly R[],
  period: 'day' | 'month',
  dims: readonly Exclude<UnitDim, ''>[],
  ancestorsOf: Map<number, number[]>,
): UnitOut[] {
  const columns = dims.map((d) => DIM_COLUMN[d]);
  const own = new UnitCells(dims.length);
  for (const r of rows) {
    const cell = own.at(r[period as keyof R] as string, r.org_unit_id);
    addMeasures(cell.total, r);
    for (let i = 0; i < columns.length; i++)
      addKey(cell.keys[i]!, r[columns[i] as keyof R] as number | string, r);
  }
  const all = new UnitCells(dims.length);
  for (const cell of own.cells.values()) {
    for (const a of ancestorsOf.get(cell.unit) ?? []) {
      const to = all.at(cell.period, a);
      addMeasures(to.total, cell.total);
      for (let i = 0; i < dims.length; i++)
        for (const [k, m] of cell.keys[i]!) addKey(to.keys[i]!, k, m);
    }
  }
  const out: UnitOut[] = [];
  const emit = (cell: UnitCell, dim: string, key: string, m: Measures) => {
    if (nonZero(m))
      out.push({
        org_unit_id: cell.unit,
        dim,
        [period]: cell.period,
        key,
        amount: m.amount,
        gross_profit: m.gross_profit,
        quantity: m.quantity,
        orders: m.orders,
        lines: m.lines,
      });
  };
  for (const cell of all.cells.values()) {
    emit(cell, '', '', cell.total);
    for (let i = 0; i < dims.length; i++)
      for (const [k, m] of cell.keys[i]!) emit(cell, dims[i]!, String(k), m);
  }
  return out;
}

const UNIT_DAY_KEYED = UNIT_DAY_DIMS.filter((d) => d !== '');
const UNIT_MONTH_KEYED = UNIT_MONTH_DIMS.filter((d) => d !== '');

/**
 * Adds the deltas to the member-level rollups and to the unit rollups of every ancestor
 * (`rollupRows`, then `writeRollupRows`).
 */
export async function applyRollupDeltas(
  trx: Q,
  deltas: RollupDeltas,
  clock = new StageClock(),
): Promise<void> {
  const rows = await rollupRows(deltas, () => loadUnitAncestors(trx));
  clock.lap('rollups: unit deltas');
  await writeRollupRows(trx, rows, clock);
}

/** What a set of deltas writes to each rollup: distinct keys, in key order, all-zero rows left out. */
export interface RollupRows {
  days: DeltaRow[];
  months: DeltaRow[];
  unitDays: DeltaRow[];
  unitMonths: DeltaRow[];
}

export type DeltaRow = Measures & Record<string, unknown>;

/**
 * The rows of every rollup for `deltas`: the member-level ones as summed, the unit ones for each
 * unit and its ancestors (`ancestors`: unit id → the ids on its path, itself included). Pure given
 * the ancestors, so the import worker computes it too.
 */
export async function rollupRows(
  deltas: RollupDeltas,
  ancestors: () => Promise<Map<number, number[]>> | Map<number, number[]>,
): Promise<RollupRows> {
  const days = keyOrder([...deltas.day.values()].filter(nonZero), 'day');
  const months = keyOrder([...deltas.month.values()].filter(nonZero), 'month');
  if (days.length === 0 && months.length === 0)
    return { days, months, unitDays: [], unitMonths: [] };
  return withUnits(days, months, await ancestors());
}

/** The unit rows for given member-level rows. */
export function withUnits(
  days: DeltaRow[],
  months: DeltaRow[],
  ancestors: Map<number, number[]>,
): RollupRows {
  const unitDays = keyOrder(
    unitDeltas(days as DayRow[], 'day', UNIT_DAY_KEYED, ancestors),
    'day',
    'org_unit_id',
  );
  const unitMonths = unitDeltas(months as MonthRow[], 'month', UNIT_MONTH_KEYED, ancestors);
  return { days, months, unitDays, unitMonths };
}

/**
 * Adds the rows to the rollups, each with one `INSERT … ON CONFLICT DO UPDATE SET x = x +
 * excluded.x` per row (SQLite) or chunk (PostgreSQL), then deletes the rows that became all zero,
 * so every rollup holds exactly the keys that have lines — what a rebuild would produce. Only a
 * key whose line count went down can have become empty (a row's `lines` is the number of lines
 * under its key, and lines coming in add to it), so an import of new lines deletes nothing and a
 * removal deletes by exact key.
 */
export async function writeRollupRows(
  trx: Q,
  rows: RollupRows,
  clock = new StageClock(),
): Promise<void> {
  const writes: [RollupTable, readonly string[], readonly DeltaRow[]][] = [
    ['rollup_sales_day', DAY_KEY, rows.days],
    ['rollup_sales_month', MONTH_KEY, rows.months],
    ['rollup_unit_day', UNIT_DAY_KEY, rows.unitDays],
    ['rollup_unit_month', UNIT_MONTH_KEY, rows.unitMonths],
  ];
  const anyTrx = trx as unknown as Kysely<any>;
  // The keys are distinct (they come from the delta maps), as bulkUpsert requires.
  for (const [table, key, list] of writes) {
    await bulkUpsert(anyTrx, table, list, key, MEASURES, CHUNK);
    clock.lap(`rollups: upsert ${table}`);
  }
  for (const [table, key, list] of writes)
    await bulkDelete(
      anyTrx,
      table,
      key,
      list.filter((r) => r.lines < 0),
      ALL_ZERO,
      CHUNK,
    );
  clock.lap('rollups: delete emptied rows');
}

/**
 * The rows in their table's key order as far as it matters: by period, then by member (or unit).
 * The writes then walk each B-tree in one direction, a file's new rows landing together, instead
 * of jumping between pages for every row (at 10M lines those pages no longer fit SQLite's page
 * cache). A bucket pass, not a comparison sort: within one period and member the few pages
 * involved stay cached anyway.
 */
function keyOrder<R extends Record<string, unknown>>(
  rows: R[],
  period: 'day' | 'month',
  owner: 'member_id' | 'org_unit_id' = 'member_id',
): R[] {
  const byPeriod = new Map<string, Map<number, R[]>>();
  for (const r of rows) {
    const p = r[period] as string;
    let owners = byPeriod.get(p);
    if (owners === undefined) byPeriod.set(p, (owners = new Map()));
    const o = r[owner] as number;
    const list = owners.get(o);
    if (list === undefined) owners.set(o, [r]);
    else list.push(r);
  }
  const out: R[] = [];
  for (const p of [...byPeriod.keys()].sort()) {
    const owners = byPeriod.get(p)!;
    for (const o of [...owners.keys()].sort((a, b) => a - b))
      for (const r of owners.get(o)!) out.push(r);
  }
  return out;
}

const ALL_ZERO = MEASURES.map((m) => `"${m}" = 0`).join(' and ');

type RollupTable =
  'rollup_sales_day' | 'rollup_sales_month' | 'rollup_unit_day' | 'rollup_unit_month';
