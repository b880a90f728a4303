import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import type { Q } from './kind.ts';
import { DAY_KEY, MONTH_KEY } from './rollup-deltas.ts';

const MEASURES = ['amount', 'gross_profit', 'quantity', 'orders', 'lines'] as const;
type Measures = Record<(typeof MEASURES)[number], number>;

export interface RollupDifference {
  table: 'rollup_sales_day' | 'rollup_sales_month';
  key: Record<string, string | number>;
  stored: Measures | null;
  expected: Measures | null;
}

const month = sql<string>`substr(order_date, 1, 7)`;

/** The day rollup as the facts say it should be: one set-based GROUP BY. */
function expectedDay(q: Q) {
  return q
    .selectFrom('order_lines')
    .select((eb) => [
      'org_unit_id',
      'order_date as day',
      'member_id',
      'product_line_id',
      'channel_id',
      'lifecycle',
      eb.fn.sum<number>('amount').as('amount'),
      eb.fn.sum<number>('gross_profit').as('gross_profit'),
      eb.fn.sum<number>('quantity').as('quantity'),
      eb.fn.sum<number>('is_primary').as('orders'),
      eb.fn.countAll<number>().as('lines'),
    ])
    .groupBy([
      'org_unit_id',
      'order_date',
      'member_id',
      'product_line_id',
      'channel_id',
      'lifecycle',
    ]);
}

function expectedMonth(q: Q) {
  return q
    .selectFrom('order_lines')
    .select((eb) => [
      'org_unit_id',
      month.as('month'),
      'member_id',
      'product_line_id',
      'channel_id',
      'lifecycle',
      'region_id',
      'segment_id',
      eb.fn.sum<number>('amount').as('amount'),
      eb.fn.sum<number>('gross_profit').as('gross_profit'),
      eb.fn.sum<number>('quantity').as('quantity'),
      eb.fn.sum<number>('is_primary').as('orders'),
      eb.fn.countAll<number>().as('lines'),
    ])
    .groupBy([
      'org_unit_id',
      month,
      'member_id',
      'product_line_id',
      'channel_id',
      'lifecycle',
      'region_id',
      'segment_id',
    ]);
}

/**
 * Recomputes both rollups from the order lines with INSERT … SELECT … GROUP BY, in one
 * transaction: the repair for whatever `verifyRollups` reports, and the way to fill the rollups
 * after a bulk load that bypassed the importer.
 */
export async function rebuildRollups(db: Db): Promise<{ dayRows: number; monthRows: number }> {
  return db.transaction().execute(async (trx) => {
    await trx.deleteFrom('rollup_sales_day').execute();
    await trx.deleteFrom('rollup_sales_month').execute();
    await trx
      .insertInto('rollup_sales_day')
      .columns([...DAY_KEY, ...MEASURES])
      .expression(expectedDay(trx))
      .execute();
    await trx
      .insertInto('rollup_sales_month')
      .columns([...MONTH_KEY, ...MEASURES])
      .expression(expectedMonth(trx))
      .execute();
    const count = async (t: 'rollup_sales_day' | 'rollup_sales_month') =>
      Number(
        (
          await trx
            .selectFrom(t)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    return {
      dayRows: await count('rollup_sales_day'),
      monthRows: await count('rollup_sales_month'),
    };
  });
}

/**
 * Compares the stored rollups with a full recomputation from the facts and returns every key
 * where they differ (missing, extra, or different sums). Empty means the rollups are right.
 */
export async function verifyRollups(db: Db): Promise<RollupDifference[]> {
  const diffs: RollupDifference[] = [];
  const [dayStored, dayExpected, monthStored, monthExpected] = await Promise.all([
    db.selectFrom('rollup_sales_day').selectAll().execute(),
    expectedDay(db).execute(),
    db.selectFrom('rollup_sales_month').selectAll().execute(),
    expectedMonth(db).execute(),
  ]);
  compare('rollup_sales_day', DAY_KEY, dayStored, dayExpected, diffs);
  compare('rollup_sales_month', MONTH_KEY, monthStored, monthExpected, diffs);
  return diffs;
}

function compare(
  table: RollupDifference['table'],
  keyCols: readonly string[],
  stored: readonly Record<string, unknown>[],
  expected: readonly Record<string, unknown>[],
  out: RollupDifference[],
): void {
  const keyOf = (r: Record<string, unknown>) => keyCols.map((k) => String(r[k])).join('\u0001');
  const measures = (r: Record<string, unknown>): Measures =>
    Object.fromEntries(MEASURES.map((m) => [m, Number(r[m])])) as Measures;
  const want = new Map(expected.map((r) => [keyOf(r), r]));
  const seen = new Set<string>();
  for (const r of stored) {
    const k = keyOf(r);
    seen.add(k);
    const e = want.get(k);
    const s = measures(r);
    const x = e ? measures(e) : null;
    if (!x || MEASURES.some((m) => s[m] !== x[m]))
      out.push({ table, key: keyFields(keyCols, r), stored: s, expected: x });
  }
  for (const [k, e] of want) {
    if (!seen.has(k))
      out.push({ table, key: keyFields(keyCols, e), stored: null, expected: measures(e) });
  }
}

function keyFields(
  cols: readonly string[],
  r: Record<string, unknown>,
): Record<string, string | number> {
  return Object.fromEntries(cols.map((c) => [c, r[c] as string | number]));
}
