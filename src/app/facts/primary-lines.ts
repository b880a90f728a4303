import type { Kysely } from 'kysely';
import { selectWhereIn } from '../../db/sqlite-bulk.ts';
import type { Q } from './kind.ts';
import type { SalesContribution } from './rollup-deltas.ts';

const CHUNK = 500;

export interface OrderLineSnapshot extends SalesContribution {
  ext_id: string;
  order_no: string;
  customer_id: number;
}

const SNAPSHOT_COLUMNS = [
  'ext_id',
  'order_no',
  'customer_id',
  'org_unit_id',
  'member_id',
  'order_date',
  'product_line_id',
  'channel_id',
  'lifecycle',
  'region_id',
  'segment_id',
  'amount',
  'gross_profit',
  'quantity',
  'is_primary',
] as const;

/** The lines of these orders with what each adds to the rollups (`orders` = its is_primary). */
export async function orderLinesOf(
  q: Q,
  orderNos: readonly string[],
): Promise<OrderLineSnapshot[]> {
  const rows = await selectWhereIn<Record<(typeof SNAPSHOT_COLUMNS)[number], any>>(
    q as unknown as Kysely<any>,
    'order_lines',
    'order_no',
    [...new Set(orderNos)],
    SNAPSHOT_COLUMNS,
  );
  return rows.map((r) => ({
    ext_id: r.ext_id,
    order_no: r.order_no,
    customer_id: Number(r.customer_id),
    org_unit_id: r.org_unit_id,
    member_id: r.member_id,
    order_date: r.order_date,
    product_line_id: r.product_line_id,
    channel_id: r.channel_id,
    lifecycle: r.lifecycle,
    region_id: r.region_id,
    segment_id: r.segment_id,
    amount: Number(r.amount),
    gross_profit: Number(r.gross_profit),
    quantity: r.quantity,
    orders: r.is_primary,
    lines: 1,
  }));
}

/**
 * The rule for which line counts an order as a deal: an order is one deal however many lines it
 * has, so exactly one line per order number carries is_primary = 1 — the positive line with the
 * lowest external id (compared as plain strings in code-unit order, so both dialects and every
 * collation agree). Refunds are never primary; an order made only of refunds counts no deal.
 * Returns order number → the primary line's external id, given all the lines of those orders.
 */
export function primaryLines(
  lines: Iterable<{ order_no: string; ext_id: string; amount: number }>,
): Map<string, string> {
  const primary = new Map<string, string>();
  for (const l of lines) {
    if (l.amount <= 0) continue;
    const best = primary.get(l.order_no);
    if (best === undefined || l.ext_id < best) primary.set(l.order_no, l.ext_id);
  }
  return primary;
}

/**
 * Applies `primaryLines` to the given orders as stored, after a write that may have touched
 * them, with two set-based updates (the flips only); returns the lines as they now stand.
 */
export async function recomputePrimaryLines(
  trx: Q,
  orderNos: readonly string[],
): Promise<OrderLineSnapshot[]> {
  const lines = await orderLinesOf(trx, orderNos);
  const primary = primaryLines(lines);
  const toOne: string[] = [];
  const toZero: string[] = [];
  for (const l of lines) {
    const want = primary.get(l.order_no) === l.ext_id ? 1 : 0;
    if (want === l.orders) continue;
    (want === 1 ? toOne : toZero).push(l.ext_id);
    l.orders = want;
  }
  for (const [flag, ids] of [
    [1, toOne],
    [0, toZero],
  ] as const) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await trx
        .updateTable('order_lines')
        .set({ is_primary: flag })
        .where('ext_id', 'in', ids.slice(i, i + CHUNK))
        .execute();
    }
  }
  return lines;
}
