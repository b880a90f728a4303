import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * The member-free unit rollups (`rollup_unit_day`, `rollup_unit_month`, migration 0005) hold a
 * unit's whole subtree, one dimension at a time: dim '' is the total, each other dim splits that
 * same total by one column of the member-level rollups. The day table has fewer dims.
 */
export const UNIT_DAY_DIMS = ['', 'product_line', 'channel', 'lifecycle'] as const;
export const UNIT_MONTH_DIMS = [...UNIT_DAY_DIMS, 'region', 'segment', 'member'] as const;
export type UnitDim = (typeof UNIT_MONTH_DIMS)[number];

/** The member-level rollup column each dim reads its key from ('' has none: its key is ''). */
export const DIM_COLUMN: Record<Exclude<UnitDim, ''>, string> = {
  product_line: 'product_line_id',
  channel: 'channel_id',
  lifecycle: 'lifecycle',
  region: 'region_id',
  segment: 'segment_id',
  member: 'member_id',
};

/** Ids on a materialized path, root first: '/1/4/12/' → [1, 4, 12]. */
export function pathIds(path: string): number[] {
  const out: number[] = [];
  for (const part of path.split('/')) if (part !== '') out.push(Number(part));
  return out;
}

/**
 * Every org unit → the units its sales count for: itself and each ancestor on its current path.
 * Small (one row per unit), so one query per apply.
 */
export async function loadUnitAncestors(q: Q): Promise<Map<number, number[]>> {
  const rows = await q.selectFrom('org_units').select(['id', 'path']).execute();
  return new Map(rows.map((r) => [r.id, pathIds(r.path)]));
}

const MEASURES = ['amount', 'gross_profit', 'quantity', 'orders', 'lines'] as const;

/**
 * A unit moved from `oldPath` to `newPath` (both its own full path). Its unit-rollup rows already
 * cover its whole subtree, so the subtree's sales leave the ancestors it no longer has and join
 * the ones it gained: one `INSERT … SELECT … ON CONFLICT DO UPDATE` per changed ancestor and
 * table, adding the unit's rows with sign −1 or +1, then the rows that became all zero are
 * deleted (what a rebuild would hold). Units below the moved one keep their ancestors up to it,
 * so nothing else changes. Call in the transaction that re-roots the paths. The unit day rollup is
 * keyed by the day first (migration 0010), so its part reads the whole table: a move is a rare
 * restructuring, and the imports that write that table every day are what its key serves.
 */
export async function moveUnitRollups(
  trx: Q,
  unitId: number,
  oldPath: string,
  newPath: string,
): Promise<void> {
  const before = pathIds(oldPath).filter((id) => id !== unitId);
  const after = pathIds(newPath).filter((id) => id !== unitId);
  const changes: [number, 1 | -1][] = [
    ...before.filter((id) => !after.includes(id)).map((id): [number, -1] => [id, -1]),
    ...after.filter((id) => !before.includes(id)).map((id): [number, 1] => [id, 1]),
  ];
  if (changes.length === 0) return;
  for (const [table, period] of [
    ['rollup_unit_day', 'day'],
    ['rollup_unit_month', 'month'],
  ] as const) {
    const t = sql.table(table);
    for (const [ancestor, sign] of changes) {
      // SQLite needs the WHERE to parse INSERT … SELECT … ON CONFLICT unambiguously.
      await sql`insert into ${t} (org_unit_id, ${sql.ref(period)}, dim, key, amount, gross_profit, quantity, orders, lines)
        select ${sql.lit(ancestor)}, ${sql.ref(period)}, dim, key, ${sql.join(
          MEASURES.map((m) => sql`${sql.lit(sign)} * ${sql.ref(m)}`),
        )}
        from ${t} where org_unit_id = ${sql.lit(unitId)}
        on conflict (org_unit_id, ${sql.ref(period)}, dim, key) do update set ${sql.join(
          MEASURES.map((m) => sql`${sql.ref(m)} = ${t}.${sql.ref(m)} + excluded.${sql.ref(m)}`),
        )}`.execute(trx);
    }
    await (trx as Kysely<any>)
      .deleteFrom(table)
      .where(
        'org_unit_id',
        'in',
        changes.map(([id]) => id),
      )
      .where('lines', '=', 0)
      .where('amount', '=', 0)
      .where('gross_profit', '=', 0)
      .where('quantity', '=', 0)
      .where('orders', '=', 0)
      .execute();
  }
}
