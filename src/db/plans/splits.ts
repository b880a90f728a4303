import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { Database, TargetSplitsTable } from '../schema.ts';
import { cachedStatement, sqliteHandleOf } from '../sqlite-bulk.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type SplitRow = Selectable<TargetSplitsTable>;

export type Axis = 'time' | 'org' | 'product_line' | 'region' | 'segment' | 'channel' | 'lifecycle';

export interface NewSplit {
  versionId: number;
  metricId: number;
  parentKey: string;
  axis: Axis;
  method: string;
  inputs: unknown;
  userId: number | null;
  at: string;
}

const SPLIT_CHUNK = 1_000;

/**
 * Bulk insert; returns each new id with its (metric, parent key, axis) — the identity of a split
 * inside a version — so callers never rely on the order rows come back in. On SQLite a cached
 * prepared statement per split on the transaction's connection (its id is `lastInsertRowid`); on
 * PostgreSQL `INSERT … SELECT FROM unnest(…) RETURNING` per chunk.
 */
export async function insertSplits(
  q: Q,
  splits: readonly NewSplit[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  if (splits.length === 0) return ids;
  // A cascade passes the same inputs object to many thousands of splits: serialise it once.
  const json = new Map<unknown, string>();
  const inputsText = (inputs: unknown): string => {
    let text = json.get(inputs);
    if (text === undefined) json.set(inputs, (text = JSON.stringify(inputs ?? {})));
    return text;
  };
  const sqlite = sqliteHandleOf(q);
  if (sqlite) {
    const stmt = cachedStatement(
      sqlite,
      `insert into target_splits (${SPLIT_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const run = () => {
      for (const s of splits) {
        const r = stmt.run(
          s.versionId,
          s.metricId,
          s.parentKey,
          s.axis,
          s.method,
          inputsText(s.inputs),
          s.userId,
          s.at,
        );
        ids.set(splitIdentity(s.parentKey, s.axis), Number(r.lastInsertRowid));
      }
    };
    if (sqlite.inTransaction) run();
    else sqlite.transaction(run)();
    return ids;
  }
  for (let i = 0; i < splits.length; i += SPLIT_CHUNK * 10) {
    const part = splits.slice(i, i + SPLIT_CHUNK * 10);
    const col = <T>(f: (s: NewSplit) => T): T[] => part.map(f);
    const { rows } = await sql<{ id: number; parent_key: string; axis: string }>`
      insert into target_splits (${sql.raw(SPLIT_COLUMNS)})
      select * from unnest(
        ${col((s) => s.versionId)}::integer[], ${col((s) => s.metricId)}::integer[],
        ${col((s) => s.parentKey)}::text[], ${col((s) => s.axis)}::text[],
        ${col((s) => s.method)}::text[], ${col((s) => inputsText(s.inputs))}::text[],
        ${col((s) => s.userId)}::integer[], ${col((s) => s.at)}::text[])
      returning id, parent_key, axis`.execute(q);
    for (const r of rows) ids.set(splitIdentity(r.parent_key, r.axis), Number(r.id));
  }
  return ids;
}

const SPLIT_COLUMNS =
  'version_id, metric_id, parent_key, axis, method, inputs, created_by, created_at';

export function splitIdentity(parentKey: string, axis: string): string {
  return `${axis}|${parentKey}`;
}

/** The splits (any axis unless given) made of these parent cells. */
export async function splitsOfParents(
  q: Q,
  versionId: number,
  metricId: number,
  parentKeys: readonly string[],
  axis?: Axis,
): Promise<SplitRow[]> {
  const out: SplitRow[] = [];
  for (let i = 0; i < parentKeys.length; i += SPLIT_CHUNK) {
    let sel = q
      .selectFrom('target_splits')
      .selectAll()
      .where('version_id', '=', versionId)
      .where('metric_id', '=', metricId)
      .where('parent_key', 'in', parentKeys.slice(i, i + SPLIT_CHUNK));
    if (axis) sel = sel.where('axis', '=', axis);
    out.push(...(await sel.orderBy('id').execute()));
  }
  return out;
}

/** Splits no cell points to any more (replaced by a later split of the same parent). */
export async function deleteOrphanSplits(q: Q, versionId: number, metricId: number): Promise<void> {
  await q
    .deleteFrom('target_splits')
    .where('version_id', '=', versionId)
    .where('metric_id', '=', metricId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('target_cells as c')
            .select('c.id')
            .whereRef('c.split_id', '=', 'target_splits.id'),
        ),
      ),
    )
    .execute();
}
