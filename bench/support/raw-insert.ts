import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Db } from '../../src/db/connect.ts';

/**
 * The cells of a plan version held column-wise in typed arrays: 2.5 million cells as objects would
 * cost the baseline gigabytes of heap and garbage collection that a real bulk loader does not pay.
 */
export interface CellColumns {
  count: number;
  ownerIsMember: Uint8Array;
  ownerId: Int32Array;
  periodIndex: Uint8Array;
  periods: string[];
  productLineId: Int32Array;
  value: Float64Array;
  locked: Uint8Array;
  splitId: Int32Array;
}

const PAGE = 100_000;

/** Reads every cell of a version back (keyset pages by id), so the baseline writes exactly the same rows. */
export async function readCellColumns(db: Db, versionId: number): Promise<CellColumns> {
  const { n } = await db
    .selectFrom('target_cells')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('version_id', '=', versionId)
    .executeTakeFirstOrThrow();
  const count = Number(n);
  const c: CellColumns = {
    count,
    ownerIsMember: new Uint8Array(count),
    ownerId: new Int32Array(count),
    periodIndex: new Uint8Array(count),
    periods: [],
    productLineId: new Int32Array(count),
    value: new Float64Array(count),
    locked: new Uint8Array(count),
    splitId: new Int32Array(count),
  };
  const periodAt = new Map<string, number>();
  let i = 0;
  let after = 0;
  for (;;) {
    const rows = await db
      .selectFrom('target_cells')
      .select([
        'id',
        'owner_type',
        'owner_id',
        'period',
        'product_line_id',
        'region_id',
        'segment_id',
        'channel_id',
        'lifecycle',
        'value',
        'locked',
        'split_id',
      ])
      .where('version_id', '=', versionId)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) break;
    for (const r of rows) {
      if (r.region_id !== 0 || r.segment_id !== 0 || r.channel_id !== 0 || r.lifecycle !== '')
        throw new Error('bench cells use no region/segment/channel/lifecycle');
      let p = periodAt.get(r.period);
      if (p === undefined) {
        p = c.periods.length;
        c.periods.push(r.period);
        periodAt.set(r.period, p);
      }
      c.ownerIsMember[i] = r.owner_type === 'member' ? 1 : 0;
      c.ownerId[i] = r.owner_id;
      c.periodIndex[i] = p;
      c.productLineId[i] = r.product_line_id;
      c.value[i] = r.value;
      c.locked[i] = r.locked;
      c.splitId[i] = r.split_id ?? 0;
      i++;
    }
    after = rows[rows.length - 1]?.id ?? after;
  }
  if (i !== count) throw new Error(`read ${i} cells, expected ${count}`);
  return c;
}

const COLUMNS =
  'version_id, metric_id, owner_type, owner_id, period, product_line_id, region_id, segment_id, channel_id, lifecycle, value, locked, split_id, note';

/**
 * The SQLite baseline: one prepared INSERT run once per cell inside one transaction, on a
 * connection opened with the same pragmas as `connect()` (WAL, foreign keys, synchronous NORMAL).
 * Returns elapsed milliseconds.
 */
export function rawInsertSqlite(
  file: string,
  versionId: number,
  metricId: number,
  c: CellColumns,
): number {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  const stmt = db.prepare(
    `insert into target_cells (${COLUMNS}) values (?, ?, ?, ?, ?, ?, 0, 0, 0, '', ?, ?, ?, null)`,
  );
  const t0 = performance.now();
  db.transaction(() => {
    for (let i = 0; i < c.count; i++) {
      const split = c.splitId[i] ?? 0;
      stmt.run(
        versionId,
        metricId,
        c.ownerIsMember[i] ? 'member' : 'unit',
        c.ownerId[i],
        c.periods[c.periodIndex[i] ?? 0],
        c.productLineId[i],
        c.value[i],
        c.locked[i],
        split === 0 ? null : split,
      );
    }
  })();
  const ms = performance.now() - t0;
  db.close();
  return ms;
}

/** Rows per statement in the PostgreSQL baseline: 9 parameters × 4,000 = 36,000 < 65,535. */
const PG_ROWS = 4_000;

/**
 * The PostgreSQL baseline: multi-row INSERTs of 4,000 rows, as named prepared statements, in one
 * transaction on one connection. Returns elapsed milliseconds.
 */
export async function rawInsertPg(
  url: string,
  versionId: number,
  metricId: number,
  c: CellColumns,
): Promise<number> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const tuples = (n: number) =>
    Array.from({ length: n }, (_, r) => {
      const b = r * 9;
      return `($${b + 1}::int, $${b + 2}::int, $${b + 3}, $${b + 4}::int, $${b + 5}, $${b + 6}::int, 0, 0, 0, '', $${b + 7}::bigint, $${b + 8}::int, $${b + 9}::int, null)`;
    }).join(',');
  const fullText = `insert into target_cells (${COLUMNS}) values ${tuples(PG_ROWS)}`;
  const t0 = performance.now();
  await client.query('begin');
  for (let start = 0; start < c.count; start += PG_ROWS) {
    const n = Math.min(PG_ROWS, c.count - start);
    const values: unknown[] = new Array<unknown>(n * 9);
    for (let r = 0; r < n; r++) {
      const i = start + r;
      const b = r * 9;
      const split = c.splitId[i] ?? 0;
      values[b] = versionId;
      values[b + 1] = metricId;
      values[b + 2] = c.ownerIsMember[i] ? 'member' : 'unit';
      values[b + 3] = c.ownerId[i];
      values[b + 4] = c.periods[c.periodIndex[i] ?? 0];
      values[b + 5] = c.productLineId[i];
      values[b + 6] = c.value[i];
      values[b + 7] = c.locked[i];
      values[b + 8] = split === 0 ? null : split;
    }
    if (n === PG_ROWS) await client.query({ name: 'bench_cells', text: fullText, values });
    else await client.query(`insert into target_cells (${COLUMNS}) values ${tuples(n)}`, values);
  }
  await client.query('commit');
  const ms = performance.now() - t0;
  await client.end();
  return ms;
}
