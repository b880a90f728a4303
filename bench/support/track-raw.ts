import SQLite from 'better-sqlite3';
import pg from 'pg';
import { LIFECYCLES, type OrderChunk } from './track-orders.ts';
import { unitOn, type TrackOrg } from './track-org.ts';

/**
 * The baseline the importer is compared with: the same order lines, already resolved to ids,
 * written with the plainest fast insert each database offers, one transaction per file. No
 * parsing, no validation, no crediting lookups, no rollups — only what any loader must pay.
 */
export interface RawOrderWriter {
  /** Writes one chunk in one transaction; returns the milliseconds spent in the database calls. */
  write(chunk: OrderChunk, batchId: number): Promise<number>;
  close(): Promise<void>;
}

const COLUMNS = [
  'ext_id',
  'batch_id',
  'order_no',
  'is_primary',
  'order_date',
  'due_date',
  'member_id',
  'org_unit_id',
  'customer_id',
  'product_id',
  'product_line_id',
  'channel_id',
  'region_id',
  'segment_id',
  'lifecycle',
  'amount',
  'quantity',
  'gross_profit',
] as const;

/** One row's values in COLUMNS order, with the ids of `org`. */
function rowValues(
  org: TrackOrg,
  c: OrderChunk,
  i: number,
  batchId: number,
): (string | number | null)[] {
  const m = org.members[c.member[i]!]!;
  const customer = org.customers[c.member[i]! * org.customersPerMember + c.customerK[i]!]!;
  const product = org.products[c.line[i]!]![c.productK[i]!]!;
  return [
    c.extId[i]!,
    batchId,
    c.orderNo[i]!,
    c.isPrimary[i]!,
    c.day[i]!,
    null,
    m.id,
    unitOn(m, c.day[i]!),
    customer.id,
    product.id,
    product.lineId,
    org.channels[c.channel[i]!]!.id,
    customer.regionId,
    customer.segmentId,
    LIFECYCLES[c.lifecycle[i]!]!,
    c.amount[i]!,
    c.quantity[i]!,
    c.grossProfit[i]!,
  ];
}

/** Resolves a chunk to rows before any timing starts, so the clock sees only the database. */
function resolveRows(org: TrackOrg, c: OrderChunk, batchId: number): (string | number | null)[][] {
  const rows = new Array<(string | number | null)[]>(c.n);
  for (let i = 0; i < c.n; i++) rows[i] = rowValues(org, c, i, batchId);
  return rows;
}

/** SQLite: one prepared INSERT run per row, inside one transaction per file, with `connect()`'s pragmas. */
export function rawSqliteWriter(file: string, org: TrackOrg): RawOrderWriter {
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('foreign_keys = ON');
  db.pragma('synchronous = NORMAL');
  const stmt = db.prepare(
    `insert into order_lines (${COLUMNS.join(', ')}) values (${COLUMNS.map(() => '?').join(', ')})`,
  );
  const insertAll = db.transaction((rows: (string | number | null)[][]) => {
    for (const r of rows) stmt.run(r);
  });
  return {
    async write(chunk, batchId) {
      const rows = resolveRows(org, chunk, batchId);
      const t0 = performance.now();
      insertAll(rows);
      return performance.now() - t0;
    },
    async close() {
      db.close();
    },
  };
}

/** Rows per statement on PostgreSQL: 18 parameters × 3,000 = 54,000 < 65,535. */
const PG_ROWS = 3_000;
const PG_TYPES = [
  '',
  '::int',
  '',
  '::int',
  '',
  '',
  '::int',
  '::int',
  '::int',
  '::int',
  '::int',
  '::int',
  '::int',
  '::int',
  '',
  '::bigint',
  '::int',
  '::bigint',
];

/** PostgreSQL: 3,000-row INSERTs as a named prepared statement, one transaction per file, one connection. */
export async function rawPgWriter(url: string, org: TrackOrg): Promise<RawOrderWriter> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const width = COLUMNS.length;
  const tuples = (n: number) =>
    Array.from(
      { length: n },
      (_, r) => `(${COLUMNS.map((_, k) => `$${r * width + k + 1}${PG_TYPES[k]}`).join(', ')})`,
    ).join(',');
  const text = (n: number) => `insert into order_lines (${COLUMNS.join(', ')}) values ${tuples(n)}`;
  const fullText = text(PG_ROWS);
  return {
    async write(chunk, batchId) {
      const rows = resolveRows(org, chunk, batchId);
      const params: unknown[][] = [];
      for (let s = 0; s < rows.length; s += PG_ROWS) params.push(rows.slice(s, s + PG_ROWS).flat());
      const t0 = performance.now();
      await client.query('begin');
      for (const values of params) {
        const n = values.length / width;
        if (n === PG_ROWS)
          await client.query({ name: 'bench_order_lines', text: fullText, values });
        else await client.query(text(n), values);
      }
      await client.query('commit');
      return performance.now() - t0;
    },
    async close() {
      await client.end();
    },
  };
}
