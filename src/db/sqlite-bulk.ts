import type SQLite from 'better-sqlite3';
import type {
  Kysely,
  KyselyPlugin,
  PluginTransformQueryArgs,
  PluginTransformResultArgs,
  QueryResult,
  RootOperationNode,
  UnknownRow,
} from 'kysely';

/**
 * The dialect-specific fast path for bulk inserts, behind one named function.
 *
 * Kysely builds every multi-row INSERT anew; for millions of rows (a whole-plan cascade writes
 * 2.5M cells) that building costs more than SQLite's own work. On SQLite the connection is a single
 * synchronous better-sqlite3 handle, and a Kysely transaction holds it exclusively, so a prepared
 * statement run on the same handle writes inside that very transaction. The handle travels with
 * every Kysely instance and transaction as this no-op plugin.
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

function handleOf(q: Kysely<any>): SQLite.Database | undefined {
  for (const p of q.getExecutor().plugins) if (p instanceof SqliteHandle) return p.db;
  return undefined;
}

/**
 * Inserts rows (objects with the same keys, in the same order) into `table`. On SQLite one prepared
 * statement runs per row on the transaction's connection; elsewhere Kysely's multi-row INSERT in
 * chunks. Inside a transaction the rows are atomic with the rest of it; outside, with each other.
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
  const sqlite = handleOf(q);
  if (sqlite) {
    const columns = knownColumns ?? [...new Set(rows.flatMap((r) => Object.keys(r)))];
    const stmt = sqlite.prepare(
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')})`,
    );
    const insertAll = () => {
      for (const r of rows) stmt.run(columns.map((c) => r[c] ?? null));
    };
    // Inside a Kysely transaction the handle is already in one; otherwise make the batch atomic.
    if (sqlite.inTransaction) insertAll();
    else sqlite.transaction(insertAll)();
    return;
  }
  for (let i = 0; i < rows.length; i += chunk) {
    await q
      .insertInto(table)
      .values(rows.slice(i, i + chunk))
      .execute();
  }
}
