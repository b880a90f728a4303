import type SQLite from 'better-sqlite3';
import {
  PostgresAdapter,
  sql,
  type Kysely,
  type KyselyPlugin,
  type PluginTransformQueryArgs,
  type PluginTransformResultArgs,
  type QueryResult,
  type RootOperationNode,
  type UnknownRow,
} from 'kysely';
import { pgBulkDelete, pgBulkInsert, pgBulkUpsert, pgSelectWhereIn } from './pg-bulk.ts';

/**
 * The dialect-specific fast paths for bulk reads and writes, behind two named functions.
 *
 * Kysely builds every multi-row INSERT anew; for millions of rows (a whole-plan cascade writes
 * 2.5M cells, an orders file 50k lines) that building costs more than the database's own work. On
 * SQLite the connection is a single synchronous better-sqlite3 handle, and a Kysely transaction
 * holds it exclusively, so a prepared statement run on the same handle writes inside that very
 * transaction. The handle travels with every Kysely instance and transaction as this no-op plugin.
 */
export class SqliteHandle implements KyselyPlugin {
  constructor(readonly db: SQLite.Database) {}
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    return args.result;
  }
}

/**
 * The better-sqlite3 handle behind a Kysely instance or transaction, or undefined on PostgreSQL.
 * A Kysely transaction holds the single SQLite connection exclusively, so statements run on this
 * handle while the transaction is open are part of it.
 */
export function sqliteHandleOf(q: Kysely<any>): SQLite.Database | undefined {
  for (const p of q.getExecutor().plugins) if (p instanceof SqliteHandle) return p.db;
  return undefined;
}

/** Whether a Kysely instance or transaction talks to PostgreSQL. */
export function isPostgres(q: Kysely<any>): boolean {
  return q.getExecutor().adapter instanceof PostgresAdapter;
}

/**
 * Runs the cached statement `text` once per row with the row's `columns` as its parameters, in
 * order (the argument array is reused, so nothing is allocated per row), in the open transaction
 * or, if none, in one of its own. Multi-row VALUES statements were measured and not kept: no
 * faster for inserts, slower for upserts.
 *
 * better-sqlite3 is synchronous: 50,000 rows are ≈ 0.1–0.3 s during which the process answers
 * nothing. Inside a transaction (an import's) the loop hands the event loop back every
 * YIELD_AFTER_MS (see `yieldToLoop`), so other requests — reads on the read connection — are
 * served meanwhile; the transaction keeps the write connection, so no other write comes between.
 */
async function runPerRow(
  sqlite: SQLite.Database,
  text: string,
  columns: readonly string[],
  rows: readonly Record<string, unknown>[],
): Promise<void> {
  const stmt = cachedStatement(sqlite, text);
  const width = columns.length;
  const args = new Array<unknown>(width);
  const runRange = (from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const r = rows[i]!;
      for (let k = 0; k < width; k++) args[k] = r[columns[k]!] ?? null;
      stmt.run(args);
    }
  };
  // Outside a transaction, make the batch atomic (and synchronous: a yield would let another
  // caller's statements into it).
  if (!sqlite.inTransaction) {
    sqlite.transaction(() => runRange(0, rows.length))();
    return;
  }
  for (let i = 0; i < rows.length; i += YIELD_CHECK_ROWS) {
    runRange(i, Math.min(rows.length, i + YIELD_CHECK_ROWS));
    await yieldToLoop();
  }
}

/** Rows between two looks at the clock (a few ms of statements at most). */
const YIELD_CHECK_ROWS = 256;
/** Synchronous work after which a long write gives the event loop back. */
export const YIELD_AFTER_MS = 15;
let lastYield = performance.now();

/**
 * Gives the event loop a turn (`setImmediate`: timers and I/O callbacks run first) if more than
 * YIELD_AFTER_MS have passed since the last turn it gave; otherwise returns at once. Long
 * synchronous passes (the import's SQLite writes, its rollup sums) call it between pieces of
 * work, so no request waits behind them for more than about that long.
 */
export async function yieldToLoop(): Promise<void> {
  const now = performance.now();
  if (now - lastYield < YIELD_AFTER_MS) return;
  await new Promise<void>((resolve) => setImmediate(resolve));
  lastYield = performance.now();
}

/** `INSERT INTO t (a, …) VALUES (?, …)` followed by `tail`. */
function insertText(table: string, columns: readonly string[], tail = ''): string {
  return `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns
    .map(() => '?')
    .join(', ')})${tail}`;
}

const statements = new WeakMap<SQLite.Database, Map<string, SQLite.Statement>>();

/**
 * Prepared once per handle and SQL text: an import runs the same insert for every row and the same
 * lookup for every file. Callers only use `run` and `all`, which finish before returning, so a
 * cached statement is never still iterating when it is used again.
 */
export function cachedStatement(db: SQLite.Database, text: string): SQLite.Statement {
  let byText = statements.get(db);
  if (!byText) statements.set(db, (byText = new Map()));
  let stmt = byText.get(text);
  if (!stmt) byText.set(text, (stmt = db.prepare(text)));
  return stmt;
}

/**
 * Inserts rows into `table`. On SQLite one cached prepared statement runs per row on the
 * transaction's connection (the argument array is reused, so nothing is allocated per row); on
 * PostgreSQL `INSERT … SELECT FROM unnest(…)` with one array per column, `chunk` rows a
 * statement. Inside a transaction the rows are atomic with the rest of it; outside, with each
 * other.
 */
export async function bulkInsert(
  q: Kysely<any>,
  table: string,
  rows: readonly Record<string, unknown>[],
  chunk: number,
  /** The columns, when every row is known to have exactly these; otherwise all rows' keys. */
  knownColumns?: readonly string[],
): Promise<void> {
  if (rows.length === 0) return;
  const columns = knownColumns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const sqlite = sqliteHandleOf(q);
  if (sqlite) {
    await runPerRow(sqlite, insertText(table, columns), columns, rows);
    return;
  }
  if (isPostgres(q)) return pgBulkInsert(q, table, columns, rows, chunk);
  for (let i = 0; i < rows.length; i += chunk) {
    await q
      .insertInto(table)
      .values(rows.slice(i, i + chunk))
      .execute();
  }
}

/**
 * Adds rows into `table`: a row whose `key` columns match a stored row adds its `add` columns to
 * that row's (`x = x + excluded.x`); any other row is inserted. The rows' keys must be distinct
 * (PostgreSQL refuses to touch a row twice in one statement). Same paths as `bulkInsert`: a
 * cached single-row `INSERT … ON CONFLICT DO UPDATE` per row on SQLite, `INSERT … SELECT FROM
 * unnest(…) ON CONFLICT DO UPDATE` per `chunk` rows on PostgreSQL.
 */
export async function bulkUpsert(
  q: Kysely<any>,
  table: string,
  rows: readonly Record<string, unknown>[],
  key: readonly string[],
  add: readonly string[],
  chunk: number,
): Promise<void> {
  if (rows.length === 0) return;
  const columns = Object.keys(rows[0]!);
  const conflict = ` on conflict (${key.map((c) => `"${c}"`).join(', ')}) do update set ${add
    .map((c) => `"${c}" = "${table}"."${c}" + excluded."${c}"`)
    .join(', ')}`;
  const sqlite = sqliteHandleOf(q);
  if (sqlite) {
    await runPerRow(sqlite, insertText(table, columns, conflict), columns, rows);
    return;
  }
  if (isPostgres(q)) return pgBulkUpsert(q, table, columns, rows, chunk, conflict);
  for (let i = 0; i < rows.length; i += chunk) {
    await q
      .insertInto(table)
      .values(rows.slice(i, i + chunk))
      .onConflict((oc) =>
        oc
          .columns([...key])
          .doUpdateSet((eb) =>
            Object.fromEntries(
              add.map((m) => [m, eb(eb.ref(`${table}.${m}`), '+', eb.ref(`excluded.${m}`))]),
            ),
          ),
      )
      .execute();
  }
}

/**
 * Deletes the rows of `table` whose `key` columns equal those of one of `rows` and that also meet
 * `where` (SQL over the table's own columns, e.g. `"lines" = 0`): one cached single-row DELETE
 * per key on SQLite (a primary-key seek each), `DELETE … USING unnest(…)` per `chunk` keys on
 * PostgreSQL.
 */
export async function bulkDelete(
  q: Kysely<any>,
  table: string,
  key: readonly string[],
  rows: readonly Record<string, unknown>[],
  where: string,
  chunk: number,
): Promise<void> {
  if (rows.length === 0) return;
  const sqlite = sqliteHandleOf(q);
  if (sqlite) {
    await runPerRow(
      sqlite,
      `delete from "${table}" where ${key.map((c) => `"${c}" = ?`).join(' and ')} and ${where}`,
      key,
      rows,
    );
    return;
  }
  if (isPostgres(q)) return pgBulkDelete(q, table, key, rows, where, chunk);
  for (const r of rows) {
    let del = q.deleteFrom(table).where(sql.raw<boolean>(where));
    for (const c of key) del = del.where(c, '=', r[c]);
    await del.execute();
  }
}

/**
 * The rows of `table` whose `column` is one of `values`, each matching row once (keys may repeat),
 * with the `select`ed columns (all by default), in no particular order: the lookup of thousands of
 * keys an import makes. SQLite reads the keys from one JSON array parameter
 * (`IN (SELECT value FROM json_each(?))`, one cached statement, the column's index probed per key);
 * PostgreSQL from one array parameter (`= ANY($1)`); a few thousand keys a statement either way.
 */
export async function selectWhereIn<R = Record<string, any>>(
  q: Kysely<any>,
  table: string,
  column: string,
  values: readonly (string | number)[],
  select: readonly string[] | '*' = '*',
): Promise<R[]> {
  const keys = [...new Set(values)];
  if (keys.length === 0) return [];
  const list = select === '*' ? '*' : select.map((c) => `"${c}"`).join(', ');
  const out: R[] = [];
  const sqlite = sqliteHandleOf(q);
  if (sqlite) {
    const stmt = cachedStatement(
      sqlite,
      `select ${list} from "${table}" where "${column}" in (select value from json_each(?))`,
    );
    for (let i = 0; i < keys.length; i += KEYS_PER_STATEMENT) {
      for (const row of stmt.all(JSON.stringify(keys.slice(i, i + KEYS_PER_STATEMENT))))
        out.push(row as R);
      if (sqlite.inTransaction) await yieldToLoop();
    }
    return out;
  }
  if (isPostgres(q)) return pgSelectWhereIn<R>(q, table, column, keys, select, KEYS_PER_STATEMENT);
  for (let i = 0; i < keys.length; i += 500) {
    const rows = await q
      .selectFrom(table)
      .select(select === '*' ? [] : [...select])
      .$if(select === '*', (b) => b.selectAll())
      .where(column, 'in', keys.slice(i, i + 500))
      .execute();
    for (const row of rows) out.push(row as R);
  }
  return out;
}

const KEYS_PER_STATEMENT = 5_000;
