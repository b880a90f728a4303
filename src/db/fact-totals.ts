import { sql, type Kysely, type Transaction } from 'kysely';
import { ownerCondition, type FactOwner } from './rollups.ts';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * Totals of the non-sales facts for the dashboards: money collected, leads and opportunities
 * created, visits and calls made. Unlike sales these have no rollups; they are read from their own
 * tables through the (org_unit_id, date) and (member_id, date) indexes — fine, they are a small
 * fraction of the order lines (a rep logs a few activities a day, not dozens of lines).
 */
export type FactMetric = 'collections' | 'leads' | 'opportunities' | 'visits' | 'calls';
export type FactGroupBy = 'day' | 'month' | 'member' | 'child_unit' | 'channel';

interface Source {
  table: 'collections' | 'leads' | 'opportunities' | 'activities';
  date: string;
  /** Σ of this column, or a row count. */
  sum: 'amount' | null;
  kind?: 'visit' | 'call';
  hasChannel: boolean;
}

const SOURCE: Record<FactMetric, Source> = {
  collections: { table: 'collections', date: 'collected_date', sum: 'amount', hasChannel: false },
  leads: { table: 'leads', date: 'created_date', sum: null, hasChannel: true },
  opportunities: { table: 'opportunities', date: 'created_date', sum: null, hasChannel: true },
  visits: {
    table: 'activities',
    date: 'activity_date',
    sum: null,
    kind: 'visit',
    hasChannel: false,
  },
  calls: { table: 'activities', date: 'activity_date', sum: null, kind: 'call', hasChannel: false },
};

export interface FactTotals {
  total: number;
  /** Present when grouped, sorted by key: a day, a month, or an id (child_unit: the unit's own facts under its id). */
  rows: { key: string | number; value: number }[];
}

export async function factTotals(
  q: Q,
  query: FactOwner & { metric: FactMetric; start: string; end: string; groupBy?: FactGroupBy },
): Promise<FactTotals> {
  const src = SOURCE[query.metric];
  const { groupBy } = query;
  if (groupBy === 'channel' && !src.hasChannel) throw new Error(`${query.metric} has no channel`);
  const anyQ = q as unknown as Kysely<any>;
  const key =
    groupBy === 'day'
      ? sql.ref(src.date)
      : groupBy === 'month'
        ? sql`substr(${sql.ref(src.date)}, 1, 7)`
        : groupBy === 'member'
          ? sql.ref('member_id')
          : groupBy === 'child_unit'
            ? sql.ref('org_unit_id')
            : groupBy === 'channel'
              ? sql.ref('channel_id')
              : sql.lit(0);
  let select = anyQ
    .selectFrom(src.table)
    .select((eb) => [key.as('key'), (src.sum ? eb.fn.sum(src.sum) : eb.fn.countAll()).as('value')])
    .where((eb) => ownerCondition(eb, query))
    .where(src.date, '>=', query.start)
    .where(src.date, '<=', query.end);
  if (src.kind) select = select.where('kind', '=', src.kind);
  if (groupBy) select = select.groupBy(key);
  const raw = (await select.execute()).map((r: Record<string, unknown>) => ({
    key: groupBy === 'day' || groupBy === 'month' ? String(r.key) : Number(r.key),
    value: Number(r.value ?? 0),
  }));
  let rows = raw;
  if (groupBy === 'child_unit' && 'unitPath' in query)
    rows = await toChildUnits(q, query.unitPath, raw);
  const total = rows.reduce((a, r) => a + r.value, 0);
  return {
    total,
    rows: groupBy
      ? rows
          .filter((r) => r.value !== 0)
          .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0))
      : [],
  };
}

/** Unit ids of the subtree folded into the unit's direct children (the unit's own facts stay under its id). */
export async function toChildUnits(
  q: Q,
  unitPath: string,
  rows: readonly { key: string | number; value: number }[],
): Promise<{ key: number; value: number }[]> {
  const units = await q
    .selectFrom('org_units')
    .select(['id', 'path'])
    .where('path', 'like', `${unitPath}%`)
    .execute();
  const pathOf = new Map(units.map((u) => [u.id, u.path]));
  const depth = unitPath.split('/').length - 1;
  const own = Number(unitPath.split('/').at(-2));
  const out = new Map<number, number>();
  for (const r of rows) {
    const child = (pathOf.get(Number(r.key)) ?? '').split('/')[depth];
    const k = child ? Number(child) : own;
    out.set(k, (out.get(k) ?? 0) + r.value);
  }
  return [...out].map(([key, value]) => ({ key, value }));
}
