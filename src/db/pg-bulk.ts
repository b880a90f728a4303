import { sql, type Kysely } from 'kysely';

/**
 * PostgreSQL's side of `bulkInsert` / `selectWhereIn` (`sqlite-bulk.ts` dispatches here): a
 * statement costs a network round trip, and a multi-row VALUES list costs a parameter per cell
 * (at most 65,535 a statement) plus Kysely's building. One array parameter per column turns any
 * number of rows into one statement with as many parameters as there are columns.
 */

/** Table → column → its SQL type ('integer', 'bigint', 'text', …), read once from the catalogue. */
const columnTypes = new Map<string, Map<string, string>>();

async function typesOf(q: Kysely<any>, table: string): Promise<Map<string, string>> {
  let types = columnTypes.get(table);
  if (types) return types;
  const { rows } = await sql<{ name: string; type: string }>`
    select attname as name, format_type(atttypid, atttypmod) as type
    from pg_attribute
    where attrelid = ${table}::regclass and attnum > 0 and not attisdropped`.execute(q);
  types = new Map(rows.map((r) => [r.name, r.type]));
  // One schema for every database the process talks to (the same migrations), so caching by
  // table name is safe.
  columnTypes.set(table, types);
  return types;
}

/** `INSERT INTO t (a, b) SELECT * FROM unnest($1::integer[], $2::text[])`, `chunk` rows a statement. */
export async function pgBulkInsert(
  q: Kysely<any>,
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  chunk: number,
): Promise<void> {
  return pgBulkUpsert(q, table, columns, rows, chunk, '');
}

/** `pgBulkInsert` followed by `conflict` (an `ON CONFLICT …` clause, or nothing). */
export async function pgBulkUpsert(
  q: Kysely<any>,
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  chunk: number,
  conflict: string,
): Promise<void> {
  const types = await typesOf(q, table);
  const arrays = columns.map((c) => {
    const type = types.get(c);
    if (!type) throw new Error(`${table} has no column ${c}`);
    return type;
  });
  const head = sql.raw(
    `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(`,
  );
  const tail = sql.raw(`)${conflict}`);
  for (let i = 0; i < rows.length; i += chunk) {
    const part = rows.slice(i, i + chunk);
    const params = columns.map((c, k) => {
      const values = new Array<unknown>(part.length);
      for (let r = 0; r < part.length; r++) values[r] = part[r]![c] ?? null;
      return sql`${values}::${sql.raw(`${arrays[k]}[]`)}`;
    });
    await sql`${head}${sql.join(params)}${tail}`.execute(q);
  }
}

/** `SELECT … WHERE column = ANY($1)`: the column's own type decides the array's. */
export async function pgSelectWhereIn<R>(
  q: Kysely<any>,
  table: string,
  column: string,
  values: readonly (string | number)[],
  list: string,
  perStatement: number,
): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < values.length; i += perStatement) {
    const { rows } = await sql<R>`select ${sql.raw(list)} from ${sql.table(table)} where ${sql.ref(
      column,
    )} = any(${values.slice(i, i + perStatement)})`.execute(q);
    for (const row of rows) out.push(row);
  }
  return out;
}
