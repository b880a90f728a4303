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

/** One typed array parameter per column (`$1::integer[]`), holding that column of every row. */
function columnArrays(
  table: string,
  types: Map<string, string>,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
) {
  return columns.map((c) => {
    const type = types.get(c);
    if (!type) throw new Error(`${table} has no column ${c}`);
    const values = new Array<unknown>(rows.length);
    for (let r = 0; r < rows.length; r++) values[r] = rows[r]![c] ?? null;
    return sql`${values}::${sql.raw(`${type}[]`)}`;
  });
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
  const head = sql.raw(
    `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(`,
  );
  const tail = sql.raw(`)${conflict}`);
  for (let i = 0; i < rows.length; i += chunk) {
    const params = columnArrays(table, types, columns, rows.slice(i, i + chunk));
    await sql`${head}${sql.join(params)}${tail}`.execute(q);
  }
}

/**
 * `DELETE FROM t USING unnest($1::integer[], …) AS k(a, …) WHERE t.a = k.a AND … AND <where>`:
 * the rows whose `key` columns equal one of `rows`' keys and that also meet `where`.
 */
export async function pgBulkDelete(
  q: Kysely<any>,
  table: string,
  key: readonly string[],
  rows: readonly Record<string, unknown>[],
  where: string,
  chunk: number,
): Promise<void> {
  const types = await typesOf(q, table);
  const names = key.map((c) => `"${c}"`).join(', ');
  const match = key.map((c) => `"${table}"."${c}" = k."${c}"`).join(' and ');
  for (let i = 0; i < rows.length; i += chunk) {
    const params = columnArrays(table, types, key, rows.slice(i, i + chunk));
    await sql`delete from ${sql.table(table)} using unnest(${sql.join(params)}) as k(${sql.raw(
      names,
    )}) where ${sql.raw(match)} and ${sql.raw(where)}`.execute(q);
  }
}

/**
 * `SELECT … FROM unnest($1::type[]) AS k(v) CROSS JOIN LATERAL (SELECT … WHERE column = k.v
 * OFFSET 0)`: the column's own type decides the array's. Not `WHERE column = ANY($1)` nor a plain
 * join: with thousands of keys and a growing table the planner turns those into a scan of the
 * whole table (an import's lookups grew from 0.06 to 1.2–1.6 s a file over a million order
 * lines); the lateral subquery probes the column's index once per key.
 * `select` is '*' or a list of quoted column names.
 */
export async function pgSelectWhereIn<R>(
  q: Kysely<any>,
  table: string,
  column: string,
  values: readonly (string | number)[],
  select: '*' | readonly string[],
  perStatement: number,
): Promise<R[]> {
  const type = (await typesOf(q, table)).get(column);
  if (!type) throw new Error(`${table} has no column ${column}`);
  const list = select === '*' ? 't.*' : select.map((c) => `t."${c}"`).join(', ');
  const out: R[] = [];
  for (let i = 0; i < values.length; i += perStatement) {
    // OFFSET 0 keeps the subquery from being flattened into a hash join: one index probe per key.
    const { rows } = await sql<R>`select ${sql.raw(list)} from unnest(${values.slice(
      i,
      i + perStatement,
    )}::${sql.raw(`${type}[]`)}) as k(v) cross join lateral (select * from ${sql.table(
      table,
    )} x where x.${sql.ref(column)} = k.v offset 0) t`.execute(q);
    for (const row of rows) out.push(row);
  }
  return out;
}

/**
 * `INSERT … SELECT FROM unnest(…) ON CONFLICT (key) DO NOTHING RETURNING key`, `chunk` rows a
 * statement: inserts the rows whose key is new and returns those keys, so an import learns which
 * rows were new from the insert itself instead of looking every key up first. With `probe`, the
 * first statement also returns which of `probe.values` had a row with that value in
 * `probe.column` before it ran (the statement's parts share one snapshot, so its own inserts are
 * not seen): an import of order lines learns which orders had lines before, in the same round
 * trip. Each value is probed through the column's index (a correlated EXISTS, kept from being
 * turned into a join over the whole table by OFFSET 0; see `pgSelectWhereIn`).
 */
export async function pgInsertNew(
  q: Kysely<any>,
  table: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
  chunk: number,
  key: string,
  probe?: { column: string; values: readonly string[] },
): Promise<{ inserted: Set<string>; existing: Set<string> }> {
  const types = await typesOf(q, table);
  const inserted = new Set<string>();
  const existing = new Set<string>();
  const head = sql.raw(
    `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(`,
  );
  const tail = sql.raw(`) on conflict ("${key}") do nothing returning "${key}"`);
  for (let i = 0; i < rows.length; i += chunk) {
    const params = columnArrays(table, types, columns, rows.slice(i, i + chunk));
    const insert = sql`${head}${sql.join(params)}${tail}`;
    if (i === 0 && probe && probe.values.length > 0) {
      const type = types.get(probe.column);
      if (!type) throw new Error(`${table} has no column ${probe.column}`);
      const { rows: out } = await sql<{
        inserted: string[];
        existing: string[];
      }>`with ins as (${insert})
        select array(select ${sql.ref(key)} from ins) as inserted,
          array(select k.v from unnest(${[...probe.values]}::${sql.raw(`${type}[]`)}) as k(v)
            where exists (select 1 from ${sql.table(table)} x where x.${sql.ref(probe.column)} = k.v offset 0)) as existing`.execute(
        q,
      );
      for (const v of out[0]!.inserted) inserted.add(v);
      for (const v of out[0]!.existing) existing.add(v);
    } else {
      const { rows: out } = await insert.execute(q);
      for (const r of out as Record<string, string>[]) inserted.add(r[key]!);
    }
  }
  return { inserted, existing };
}
