import type { Q } from './kind.ts';
import type { SalesContribution } from './rollup-deltas.ts';

const CHUNK = 500;

export interface OrderLineSnapshot extends SalesContribution {
  ext_id: string;
  order_no: string;
}

/** The lines of these orders with what each adds to the rollups (`orders` = its is_primary). */
export async function orderLinesOf(
  q: Q,
  orderNos: readonly string[],
): Promise<OrderLineSnapshot[]> {
  const out: OrderLineSnapshot[] = [];
  const list = [...new Set(orderNos)];
  for (let i = 0; i < list.length; i += CHUNK) {
    const rows = await q
      .selectFrom('order_lines')
      .select([
        'ext_id',
        'order_no',
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
        'is_primary as orders',
      ])
      .where('order_no', 'in', list.slice(i, i + CHUNK))
      .execute();
    for (const r of rows)
      out.push({ ...r, amount: Number(r.amount), gross_profit: Number(r.gross_profit), lines: 1 });
  }
  return out;
}

/**
 * An order is one deal however many lines it has: exactly one line per order number carries
 * is_primary = 1 — the positive line with the lowest external id (compared as plain strings in
 * code-unit order, so both dialects and every collation agree). Refunds are never primary; an
 * order made only of refunds counts no deal. Recomputed for the given orders after every write
 * that may have touched them, with two set-based updates (the flips only); returns the lines as
 * they now stand.
 */
export async function recomputePrimaryLines(
  trx: Q,
  orderNos: readonly string[],
): Promise<OrderLineSnapshot[]> {
  const lines = await orderLinesOf(trx, orderNos);
  const primary = new Map<string, string>();
  for (const l of lines) {
    if (l.amount <= 0) continue;
    const best = primary.get(l.order_no);
    if (best === undefined || l.ext_id < best) primary.set(l.order_no, l.ext_id);
  }
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
