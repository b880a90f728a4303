import { sql, type Kysely, type Transaction } from 'kysely';
import { memberRollupOwner, monthsOf } from '../rollups.ts';
import type { Database } from '../schema.ts';
import type { AxisItem, MatrixAxis } from './matrix-axes.ts';
import type { CellKey } from './keys.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** Which rollup measure seeds which metric; other metrics have no actuals to learn from. */
const MEASURE: Record<string, 'amount' | 'gross_profit' | 'orders'> = {
  revenue: 'amount',
  gross_profit: 'gross_profit',
  deals: 'orders',
};

export function seedMeasure(metricCode: string): 'amount' | 'gross_profit' | 'orders' | null {
  return MEASURE[metricCode] ?? null;
}

/** The rollup columns that place a row of actuals on one axis. */
const COLUMNS: Record<Exclude<MatrixAxis, 'org'>, string> = {
  product_line: 'product_line_id',
  region: 'region_id',
  segment: 'segment_id',
  channel: 'channel_id',
  lifecycle: 'lifecycle',
};

/**
 * Last year's actual matrix of a unit's subtree on two axes — the seed of the fit (METHOD §11:
 * "iterative proportional fitting from a seed such as last year's matrix"). Read from the month
 * rollup only (whole months; region and segment exist only there), grouped by the two axes'
 * columns in SQL, then mapped onto the matrix's items: a sub-unit collects its whole subtree, a
 * product line its sub-lines. Actuals outside every item (no product line, another region…) are
 * left out. Cells are in the metric's own unit (fen, or a count).
 */
export async function historySeed(
  q: Q,
  opts: {
    unitPath: string;
    parent: CellKey;
    months: readonly [string, string];
    measure: 'amount' | 'gross_profit' | 'orders';
    rowAxis: MatrixAxis;
    colAxis: MatrixAxis;
    rows: readonly AxisItem[];
    cols: readonly AxisItem[];
  },
): Promise<number[][]> {
  const axisColumns = (axis: MatrixAxis): string[] =>
    axis === 'org' ? ['org_unit_id', 'member_id'] : [COLUMNS[axis]];
  const groupCols = [...new Set([...axisColumns(opts.rowAxis), ...axisColumns(opts.colAxis)])];
  const anyQ = q as unknown as Kysely<any>;
  let select = anyQ
    .selectFrom('rollup_sales_month')
    .select([
      ...groupCols.map((c) => sql.ref(c).as(c)),
      sql<number>`sum(${sql.ref(opts.measure)})`.as('v'),
    ])
    .where((eb) => memberRollupOwner(eb, { unitPath: opts.unitPath }, opts.months))
    .where('month', 'in', monthsOf(opts.months[0], opts.months[1]));
  // The parent's own dimensions narrow last year's actuals the same way.
  const p = opts.parent;
  if (p.regionId !== 0) select = select.where('region_id', '=', p.regionId);
  if (p.segmentId !== 0) select = select.where('segment_id', '=', p.segmentId);
  if (p.channelId !== 0) select = select.where('channel_id', '=', p.channelId);
  if (p.lifecycle !== '') select = select.where('lifecycle', '=', p.lifecycle);
  if (p.ownerType === 'member') select = select.where('member_id', '=', p.ownerId);
  const rows = (await select.groupBy(groupCols.map((c) => sql.ref(c))).execute()) as Record<
    string,
    unknown
  >[];

  const unitPaths = new Map(
    (await q.selectFrom('org_units').select(['id', 'path']).execute()).map((u) => [u.id, u.path]),
  );
  const linePaths = new Map(
    (await q.selectFrom('product_lines').select(['id', 'path']).execute()).map((l) => [
      l.id,
      l.path,
    ]),
  );
  const indexer = (axis: MatrixAxis, items: readonly AxisItem[]) => {
    const byRef = new Map(items.map((it, i) => [it.ref, i]));
    return (r: Record<string, unknown>): number | undefined => {
      if (axis === 'org') {
        const member = byRef.get(`member:${Number(r.member_id)}`);
        if (member !== undefined) return member;
        // A sub-unit collects its whole subtree: find the item whose id is on the unit's path.
        const path = unitPaths.get(Number(r.org_unit_id)) ?? '';
        for (const id of path.split('/').filter(Boolean)) {
          const i = byRef.get(`unit:${id}`);
          if (i !== undefined) return i;
        }
        return undefined;
      }
      if (axis === 'product_line') {
        const path = linePaths.get(Number(r.product_line_id)) ?? '';
        for (const id of path.split('/').filter(Boolean)) {
          const i = byRef.get(id);
          if (i !== undefined) return i;
        }
        return undefined;
      }
      return byRef.get(String(r[COLUMNS[axis]]));
    };
  };
  const rowOf = indexer(opts.rowAxis, opts.rows);
  const colOf = indexer(opts.colAxis, opts.cols);
  const seed = opts.rows.map(() => opts.cols.map(() => 0));
  for (const r of rows) {
    const i = rowOf(r);
    const j = colOf(r);
    const v = Number(r.v ?? 0);
    if (i === undefined || j === undefined) continue;
    const row = seed[i];
    if (row) row[j] = (row[j] ?? 0) + v;
  }
  // Refunds can leave a cell negative; a seed is a weight, never below zero.
  return seed.map((row) => row.map((v) => Math.max(0, v)));
}
