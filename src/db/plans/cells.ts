import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import type { Database, TargetCellsTable } from '../schema.ts';
import { cachedStatement, sqliteHandleOf } from '../sqlite-bulk.ts';
import { keyColumns, keyOfRow, keyText, type CellKey } from './keys.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type CellRow = Selectable<TargetCellsTable>;

/** Ids per `IN (…)` list when reading or deleting cells by id or split. */
export const CELL_CHUNK = 1_000;

export interface NewCell {
  versionId: number;
  metricId: number;
  key: CellKey;
  value: number;
  locked?: boolean;
  splitId: number | null;
  note?: string | null;
}

function insertRow(c: NewCell) {
  return {
    version_id: c.versionId,
    metric_id: c.metricId,
    ...keyColumns(c.key),
    value: c.value,
    locked: c.locked ? 1 : 0,
    split_id: c.splitId,
    note: c.note ?? null,
  };
}

const CELL_COLUMNS =
  'version_id, metric_id, owner_type, owner_id, period, product_line_id, region_id, segment_id, channel_id, lifecycle, value, locked, split_id, note';

/** Cells per PostgreSQL `unnest` insert: large enough that round trips vanish, small enough to stream. */
const PG_UNNEST_CHUNK = 20_000;

/**
 * Bulk insert, the dialect's fastest portable shape behind one function (a whole-plan cascade
 * writes millions of cells, so Kysely's per-statement building would cost more than the database):
 * on SQLite one cached prepared statement run per cell on the transaction's own connection,
 * binding straight from the cells (no row objects); on PostgreSQL one `INSERT … SELECT FROM
 * unnest(…)` per 20,000 cells — 14 array parameters whatever the row count.
 */
export async function insertCells(q: Q, cells: readonly NewCell[]): Promise<void> {
  if (cells.length === 0) return;
  const sqlite = sqliteHandleOf(q);
  if (sqlite) {
    const stmt = cachedStatement(
      sqlite,
      `insert into target_cells (${CELL_COLUMNS}) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    // Most cells are split by at most the product line: their other dimensions are bound as
    // constants of a second statement (fewer parameters to bind for millions of rows).
    const plain = cachedStatement(
      sqlite,
      `insert into target_cells (${CELL_COLUMNS}) values (?, ?, ?, ?, ?, ?, 0, 0, 0, '', ?, ?, ?, null)`,
    );
    const run = () => {
      for (const c of cells) {
        const k = c.key;
        if (
          k.regionId === 0 &&
          k.segmentId === 0 &&
          k.channelId === 0 &&
          k.lifecycle === '' &&
          (c.note ?? null) === null
        ) {
          plain.run(
            c.versionId,
            c.metricId,
            k.ownerType,
            k.ownerId,
            k.period,
            k.productLineId,
            c.value,
            c.locked ? 1 : 0,
            c.splitId,
          );
          continue;
        }
        stmt.run(
          c.versionId,
          c.metricId,
          k.ownerType,
          k.ownerId,
          k.period,
          k.productLineId,
          k.regionId,
          k.segmentId,
          k.channelId,
          k.lifecycle,
          c.value,
          c.locked ? 1 : 0,
          c.splitId,
          c.note ?? null,
        );
      }
    };
    // Inside a Kysely transaction the handle is already in one; otherwise make the batch atomic.
    if (sqlite.inTransaction) run();
    else sqlite.transaction(run)();
    return;
  }
  for (let i = 0; i < cells.length; i += PG_UNNEST_CHUNK) {
    const part = cells.slice(i, i + PG_UNNEST_CHUNK);
    const col = <T>(f: (c: NewCell) => T): T[] => part.map(f);
    await sql`insert into target_cells (${sql.raw(CELL_COLUMNS)})
      select * from unnest(
        ${col((c) => c.versionId)}::integer[], ${col((c) => c.metricId)}::integer[],
        ${col((c) => c.key.ownerType)}::text[], ${col((c) => c.key.ownerId)}::integer[],
        ${col((c) => c.key.period)}::text[], ${col((c) => c.key.productLineId)}::integer[],
        ${col((c) => c.key.regionId)}::integer[], ${col((c) => c.key.segmentId)}::integer[],
        ${col((c) => c.key.channelId)}::integer[], ${col((c) => c.key.lifecycle)}::text[],
        ${col((c) => c.value)}::bigint[], ${col((c) => (c.locked ? 1 : 0))}::integer[],
        ${col((c) => c.splitId)}::integer[], ${col((c) => c.note ?? null)}::text[])`.execute(q);
  }
}

/** Inserts one cell and returns it (used for single writes such as the committed root cell). */
export async function insertCell(q: Q, c: NewCell): Promise<CellRow> {
  return q.insertInto('target_cells').values(insertRow(c)).returningAll().executeTakeFirstOrThrow();
}

export interface CellUpdate {
  id: number;
  value: number;
  locked?: boolean;
  splitId?: number | null;
}

/**
 * What a cell edit read and what it writes: the draft's `cells_rev` the client read its cells at,
 * and the revision this edit stamps on every cell it writes (migration 0012).
 */
export interface CellStamp {
  readRev: number;
  rev: number;
}

/**
 * A cell edit may write only cells nobody edited since its client read them: a cell stamped after
 * `readRev` was written by a concurrent edit (the same cell, a sibling it re-balanced, a cell it
 * re-spread below), so this edit was decided on numbers that are gone — VERSION_CONFLICT. Cells of
 * disjoint subtrees carry no such stamp, so edits there both go through.
 */
export function assertUnchangedSince(
  rows: readonly Pick<CellRow, 'rev'>[],
  stamp: CellStamp | undefined,
): void {
  if (!stamp) return;
  // A cell stamped with this edit's own revision was written by an earlier edit of the same batch.
  for (const r of rows)
    if (r.rev > stamp.readRev && r.rev !== stamp.rev)
      throw new AppError('VERSION_CONFLICT', { current: stamp.rev - 1, given: stamp.readRev });
}

/**
 * Set-based update of many cells: one `UPDATE … SET value = CASE id WHEN … END` per chunk, portable
 * to both dialects (the cast keeps PostgreSQL from typing the parameters as text). `rev` stamps
 * the cells with a cell edit's revision.
 */
export async function updateCells(
  q: Q,
  updates: readonly CellUpdate[],
  rev?: number,
): Promise<void> {
  const chunk = 300;
  for (let i = 0; i < updates.length; i += chunk) {
    const part = updates.slice(i, i + chunk);
    const ids = part.map((u) => u.id);
    const valueCase = sql`case id ${sql.join(
      part.map((u) => sql`when ${u.id} then cast(${u.value} as bigint)`),
      sql` `,
    )} end`;
    const set: Record<string, unknown> = { value: valueCase };
    if (part.some((u) => u.locked !== undefined)) {
      set.locked = sql`case id ${sql.join(
        part.map((u) =>
          u.locked === undefined
            ? sql`when ${u.id} then locked`
            : sql`when ${u.id} then cast(${u.locked ? 1 : 0} as integer)`,
        ),
        sql` `,
      )} end`;
    }
    if (part.some((u) => u.splitId !== undefined)) {
      set.split_id = sql`case id ${sql.join(
        part.map((u) =>
          u.splitId === undefined
            ? sql`when ${u.id} then split_id`
            : sql`when ${u.id} then cast(${u.splitId} as integer)`,
        ),
        sql` `,
      )} end`;
    }
    if (rev !== undefined) set.rev = rev;
    await q.updateTable('target_cells').set(set).where('id', 'in', ids).execute();
  }
}

export async function cellById(q: Q, id: number): Promise<CellRow> {
  const row = await q
    .selectFrom('target_cells')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'target_cell' });
  return row;
}

/** The cell with exactly this key in a version and metric, if any. */
export async function cellByKey(
  q: Q,
  versionId: number,
  metricId: number,
  k: CellKey,
): Promise<CellRow | undefined> {
  const c = keyColumns(k);
  return q
    .selectFrom('target_cells')
    .selectAll()
    .where('version_id', '=', versionId)
    .where('metric_id', '=', metricId)
    .where('owner_type', '=', c.owner_type)
    .where('owner_id', '=', c.owner_id)
    .where('period', '=', c.period)
    .where('product_line_id', '=', c.product_line_id)
    .where('region_id', '=', c.region_id)
    .where('segment_id', '=', c.segment_id)
    .where('channel_id', '=', c.channel_id)
    .where('lifecycle', '=', c.lifecycle)
    .executeTakeFirst();
}

/**
 * The existing cells among `keys`, by key text (a child may already exist, made by an earlier
 * split): one query per 500 owners over the keys' periods, filtered by exact key in memory.
 */
export async function cellsByKeys(
  q: Q,
  versionId: number,
  metricId: number,
  keys: readonly CellKey[],
): Promise<Map<string, CellRow>> {
  const out = new Map<string, CellRow>();
  if (keys.length === 0) return out;
  const owners = [...new Set(keys.map((k) => k.ownerId))];
  const periods = [...new Set(keys.map((k) => k.period))];
  const wanted = new Set(keys.map(keyText));
  for (let i = 0; i < owners.length; i += 500) {
    const rows = await q
      .selectFrom('target_cells')
      .selectAll()
      .where('version_id', '=', versionId)
      .where('metric_id', '=', metricId)
      .where('owner_id', 'in', owners.slice(i, i + 500))
      .where('period', 'in', periods)
      .execute();
    for (const r of rows) {
      const t = keyText(keyOfRow(r));
      if (wanted.has(t)) out.set(t, r);
    }
  }
  return out;
}

/** The cells with these ids, in chunks (rows the caller is about to write, read again in its transaction). */
export async function cellsById(q: Q, ids: readonly number[]): Promise<CellRow[]> {
  const out: CellRow[] = [];
  for (let i = 0; i < ids.length; i += CELL_CHUNK)
    out.push(
      ...(await q
        .selectFrom('target_cells')
        .selectAll()
        .where('id', 'in', ids.slice(i, i + CELL_CHUNK))
        .execute()),
    );
  return out;
}

/** Cells of the given splits, in id order (the order they were written = the split's tie-break order). */
export async function cellsOfSplits(q: Q, splitIds: readonly number[]): Promise<CellRow[]> {
  const out: CellRow[] = [];
  for (let i = 0; i < splitIds.length; i += CELL_CHUNK) {
    const part = splitIds.slice(i, i + CELL_CHUNK);
    out.push(
      ...(await q
        .selectFrom('target_cells')
        .selectAll()
        .where('split_id', 'in', part)
        .orderBy('id')
        .execute()),
    );
  }
  return out;
}

/** Deletes cells by id, in chunks. */
export async function deleteCells(q: Q, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += CELL_CHUNK) {
    await q
      .deleteFrom('target_cells')
      .where('id', 'in', ids.slice(i, i + CELL_CHUNK))
      .execute();
  }
}

/** A month 'YYYY-MM' (or a day) before `frozenBefore` belongs to the frozen past of a revision. */
export function isFrozenPeriod(period: string, frozenBefore: string | null): boolean {
  if (!frozenBefore) return false;
  return /^\d{4}-\d{2}/.test(period) && period.slice(0, 7) < frozenBefore;
}
