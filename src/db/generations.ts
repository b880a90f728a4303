import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';
import { cachedStatement, sqliteHandleOf } from './sqlite-bulk.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * The two change counters (single rows moved by triggers inside the writing transaction): `data`
 * (migration 0011: fact batches, plan versions, settings, holiday overrides, metrics) and
 * `reference` (0007, 0014: members, memberships, org units, customers, products, product lines,
 * dimension members). Equal counters mean that nothing a tracking answer reads has changed.
 */
export interface Generations {
  data: number;
  reference: number;
}

const BOTH = `select (select n from data_generation where id = 1) as data,
  (select n from reference_generation where id = 1) as reference`;

/**
 * Both counters in one statement. On SQLite outside a transaction it runs as a cached prepared
 * statement on the connection itself (a few microseconds, no trip through the query builder): the
 * connection then holds no uncommitted change, so what it reads is committed. While a transaction
 * is open on it (an import awaiting its worker, say) that shortcut would read the transaction's
 * own uncommitted counter, so the read queues behind it through Kysely like any other.
 */
export async function readGenerations(q: Q): Promise<Generations> {
  const handle = sqliteHandleOf(q);
  if (handle && !handle.inTransaction) {
    const row = cachedStatement(handle, BOTH).get() as { data: number; reference: number };
    return { data: Number(row.data), reference: Number(row.reference) };
  }
  const { rows } = await sql<{ data: number; reference: number }>`${sql.raw(BOTH)}`.execute(q);
  const row = rows[0];
  return { data: Number(row?.data ?? 0), reference: Number(row?.reference ?? 0) };
}

/**
 * Moves the data counter, for writers that change what the dashboards read without touching a
 * table whose trigger moves it (a rollup rebuild rewrites every rollup and customer_firsts).
 * Runs in the caller's transaction, so it moves exactly when the change becomes visible.
 */
export async function bumpDataGeneration(q: Q): Promise<void> {
  await sql`update data_generation set n = n + 1 where id = 1`.execute(q);
}

/**
 * `readGenerations` for many concurrent requests on one connection pool: a request never gets an
 * answer from a read that started before it arrived (so a change committed before the request is
 * always seen), but every request that arrives while a read is in flight shares the one read that
 * starts next. Under load that is one query per round trip instead of one per request.
 */
export function generationReader(db: Q): () => Promise<Generations> {
  if (sqliteHandleOf(db)) return () => readGenerations(db);
  let running: Promise<Generations> | null = null;
  let queued: Promise<Generations> | null = null;
  const start = (): Promise<Generations> => {
    const p: Promise<Generations> = readGenerations(db).finally(() => {
      if (running === p) running = null;
    });
    running = p;
    return p;
  };
  return () => {
    if (!running) return start();
    queued ??= running
      .catch(() => undefined)
      .then(() => {
        queued = null;
        return start();
      });
    return queued;
  };
}
