import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../api/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError, type Problem } from '../../domain/errors.ts';
import { checkUniqueKey, mapTable, type MappedRecord } from '../import/columns.ts';
import { readTable, type RawCell, type RawTable } from '../import/read-table.ts';
import type { Actor, Lang } from '../import-master/kind.ts';
import { badRowsCsv } from './bad-rows.ts';
import type { FactKind, FactKindName, FactValues, Q } from './kind.ts';
import { factKindOf } from './kinds.ts';
import { orderLinesOf, recomputePrimaryLines } from './primary-lines.ts';
import { FactRefs, type CreateMissing } from './refs.ts';
import { applyRollupDeltas, RollupDeltas } from './rollup-deltas.ts';
import { bulkInsert } from '../../db/sqlite-bulk.ts';

export type ImportMode = 'all-or-nothing' | 'apply-valid';

export interface ImportFactsOptions {
  actor: Actor;
  now: Date;
  today: string;
  /** Saved header → field mapping (a CRM export's own headers); null ignores a column. */
  mapping?: Record<string, string | null>;
  /** Create customers / products that rows name but that do not exist, instead of refusing the rows. */
  createMissing?: CreateMissing;
  /** all-or-nothing (default): any problem refuses the whole file. apply-valid: apply the good rows, return the bad ones. */
  mode?: ImportMode;
  /** Check and count everything, then roll back. */
  dryRun?: boolean;
  /** Language of the bad-rows file's Problem column. */
  lang?: Lang;
  onProgress?: (done: number, total: number) => void;
}

export interface FactImportResult {
  kind: FactKindName;
  batchId: number | null;
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Rows not applied (apply-valid only; all-or-nothing throws instead). */
  rejected: number;
  created: { customers: string[]; products: string[] };
  /** The rejected rows' problems, each with row and column. */
  problems: Problem[];
  /** The rejected rows as CSV (same headers + 问题/Problem), or null when every row was applied. */
  badRows: Buffer | null;
  dryRun: boolean;
}

export interface FactSource {
  fileName: string;
  sha256: string;
  source: 'file' | 'api';
}

/** Where a file's facts came from, for the batch record. */
export function fileSource(buffer: Buffer, fileName: string): FactSource {
  return { fileName, sha256: sha256(buffer), source: 'file' };
}

class DryRunRollback extends Error {}

const WRITE_CHUNK = 200;
const READ_CHUNK = 500;
/** The importer ignores the column the bad-rows file adds, so a fixed file imports as is. */
const IGNORED_HEADERS = { 问题: null, Problem: null };

/** Imports one CSV/xlsx file of facts. See `importFactTable`. */
export async function importFacts(
  db: Db,
  kind: string,
  buffer: Buffer,
  fileName: string,
  opts: ImportFactsOptions,
): Promise<FactImportResult> {
  const table = await readTable(buffer, fileName);
  return importFactTable(db, kind, table, fileSource(buffer, fileName), opts);
}

/**
 * The JSON door for integrations: `rows` are objects keyed by field name (extId, date, ownerCode,
 * amount, …) or by any header alias. Values are read exactly like spreadsheet cells — money as 元
 * ("1299.00" or 1299), dates as 'YYYY-MM-DD' — so one set of rules covers both doors. Problems
 * name the 1-based position of the row in `rows`.
 */
export async function importFactRows(
  db: Db,
  kind: string,
  rows: readonly Record<string, unknown>[],
  opts: ImportFactsOptions & { name?: string },
): Promise<FactImportResult> {
  if (rows.length === 0) throw new AppError('IMPORT_EMPTY');
  const table = rowsToTable(rows);
  const json = Buffer.from(JSON.stringify(rows));
  return importFactTable(
    db,
    kind,
    table,
    { fileName: opts.name ?? 'api', sha256: sha256(json), source: 'api' },
    opts,
  );
}

/** Rows in the order their fields first appear; nested values are kept as JSON text. */
export function rowsToTable(rows: readonly Record<string, unknown>[]): RawTable {
  const headers: string[] = [];
  const seen = new Set<string>();
  for (const r of rows) {
    for (const k of Object.keys(r)) {
      if (seen.has(k)) continue;
      seen.add(k);
      headers.push(k);
    }
  }
  const cell = (v: unknown): RawCell =>
    v === null || v === undefined
      ? null
      : typeof v === 'number' || typeof v === 'string'
        ? v
        : typeof v === 'object'
          ? JSON.stringify(v)
          : String(v);
  return {
    headers,
    rows: rows.map((r, i) => ({ rowNumber: i + 1, cells: headers.map((h) => cell(r[h])) })),
    headerRowNumber: 0,
  };
}

/**
 * Reads, checks and applies one table of facts.
 *
 * Every row is checked before anything is written, and every problem is collected with its row
 * and column: a bad cell, an unknown member, unit, customer, product or channel, a member with no
 * membership on the fact's date, a duplicated external id, a row credited outside the caller's
 * writable scope (FORBIDDEN). In all-or-nothing mode any problem throws IMPORT_INVALID with the
 * full list and nothing is written; in apply-valid mode the good rows are applied and the bad
 * ones come back as problems plus a CSV to fix. Problems with the file itself (a missing or
 * unknown column) refuse the file in both modes.
 *
 * Rows are keyed by external id: a new id is inserted, a known one updated when anything differs
 * and counted unchanged otherwise. Facts, primary-line flags, rollup deltas, the batch record and
 * its audit entry are written in one transaction.
 */
export async function importFactTable(
  db: Db,
  kindName: string,
  table: RawTable,
  source: FactSource,
  opts: ImportFactsOptions,
): Promise<FactImportResult> {
  const kind = factKindOf(kindName);
  if (opts.actor.role !== 'admin' && opts.actor.role !== 'manager') throw new AppError('FORBIDDEN');
  const mode = opts.mode ?? 'all-or-nothing';
  const mapped = mapTable(table, kind.columns, {
    mapping: { ...IGNORED_HEADERS, ...opts.mapping },
  });
  const header = (field: string) =>
    mapped.headerOf[field] ?? kind.columns[field]?.aliases[0] ?? field;
  const headerRow = table.headerRowNumber ?? 1;

  const problems: Problem[] = [
    ...mapped.problems,
    ...checkUniqueKey(mapped.records, 'extId', header('extId')),
  ];
  const refs = await FactRefs.load(db, opts.actor, opts.createMissing);
  const built = mapped.records.map((record) => ({
    record,
    values: buildRow(kind, record, refs, header, problems),
  }));
  if (opts.actor.role !== 'admin')
    await checkStoredScope(db, kind, built, refs, header('extId'), problems);

  const fileLevel = problems.filter((p) => p.row === undefined || p.row === headerRow);
  if (problems.length > 0 && (mode === 'all-or-nothing' || fileLevel.length > 0)) {
    const list = mode === 'all-or-nothing' ? problems : fileLevel;
    throw new AppError('IMPORT_INVALID', { count: list.length }, sortProblems(list));
  }
  const byRow = new Map<number, Problem[]>();
  for (const p of problems) byRow.set(p.row!, [...(byRow.get(p.row!) ?? []), p]);
  const good = mapped.records.filter((r) => !byRow.has(r.rowNumber));

  const result: FactImportResult = {
    kind: kind.name,
    batchId: null,
    rows: mapped.records.length,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: mapped.records.length - good.length,
    created: { customers: [], products: [] },
    problems: sortProblems(problems),
    badRows: byRow.size > 0 ? badRowsCsv(table, byRow, opts.lang ?? 'zh-CN') : null,
    dryRun: opts.dryRun ?? false,
  };

  try {
    await db.transaction().execute(async (trx) => {
      // Only what the applied rows name is created: list those again, create, then resolve.
      refs.toCreate.customers.clear();
      refs.toCreate.products.clear();
      for (const r of good) buildRow(kind, r, refs, header, []);
      result.created = await refs.createPending(trx, opts.now);
      const values = good.map((r) => buildRow(kind, r, refs, header, [])!);

      const batch = await trx
        .insertInto('fact_batches')
        .values({
          kind: kind.name,
          file_name: source.fileName,
          file_sha256: source.sha256,
          source: source.source,
          user_id: opts.actor.userId,
          created_at: opts.now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await writeFacts(trx, kind, values, batch.id, result, opts.onProgress);
      await trx
        .updateTable('fact_batches')
        .set({
          row_count: result.rows,
          inserted_count: result.inserted,
          updated_count: result.updated,
          unchanged_count: result.unchanged,
          summary: JSON.stringify({ mode, rejected: result.rejected, created: result.created }),
        })
        .where('id', '=', batch.id)
        .execute();
      await audit(trx, opts.now, {
        userId: opts.actor.userId,
        action: 'import',
        entity: 'fact_batch',
        entityId: batch.id,
        after: {
          kind: kind.name,
          fileName: source.fileName,
          source: source.source,
          mode,
          rows: result.rows,
          inserted: result.inserted,
          updated: result.updated,
          unchanged: result.unchanged,
          rejected: result.rejected,
          created: result.created,
        },
      });
      if (opts.dryRun) throw new DryRunRollback();
      result.batchId = batch.id;
    });
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  return result;
}

/**
 * A manager may not take over a fact that is credited outside their subtrees by reusing its
 * external id: the stored row must be writable too, not only the new one.
 */
async function checkStoredScope(
  q: Q,
  kind: FactKind,
  built: { record: MappedRecord<FactKind['columns']>; values: FactValues | null }[],
  refs: FactRefs,
  column: string,
  problems: Problem[],
): Promise<void> {
  const rowOf = new Map<string, number>();
  for (const b of built) if (b.values) rowOf.set(b.values.ext_id as string, b.record.rowNumber);
  const ids = [...rowOf.keys()];
  for (let i = 0; i < ids.length; i += READ_CHUNK) {
    const stored = await (q as unknown as Kysely<any>)
      .selectFrom(kind.table)
      .select(['ext_id', 'org_unit_id'])
      .where('ext_id', 'in', ids.slice(i, i + READ_CHUNK))
      .execute();
    for (const s of stored) {
      if (!refs.writable(s.org_unit_id))
        problems.push({ row: rowOf.get(s.ext_id)!, column, code: 'FORBIDDEN' });
    }
  }
}

/** One record → stored column values, or null when the row has a problem (recorded in `problems`). */
function buildRow(
  kind: FactKind,
  { rowNumber: row, values }: MappedRecord<FactKind['columns']>,
  refs: FactRefs,
  header: (field: string) => string,
  problems: Problem[],
): FactValues | null {
  const v = values as Record<string, string | number | boolean | null>;
  const text = (f: string) => (v[f] === null || v[f] === undefined ? null : String(v[f]));
  const before = problems.length;
  const date = text('date');
  const credit = refs.credit(text('ownerCode'), text('unitCode'), date, row, header, problems);
  const customer =
    'customer' in kind.columns
      ? refs.customer(text('customer'), row, header('customer'), problems)
      : null;
  const own = kind.build(values as never, {
    row,
    refs,
    problems,
    header,
    customer: customer ?? { id: 0, regionId: 0, segmentId: 0 },
  });
  const extId = text('extId');
  if (problems.length > before || !credit || extId === null || date === null) return null;
  return {
    ext_id: extId,
    [kind.dateColumn]: date,
    member_id: credit.memberId,
    org_unit_id: credit.unitId,
    ...(customer ? { customer_id: customer.id } : {}),
    ...own,
  };
}

/**
 * Inserts new external ids, updates changed ones (which then belong to this batch), leaves equal
 * ones alone. For orders, the lines of every order the batch touches — by its new or its old
 * order number — are read before and after the writes; the rollups move by after − before, which
 * covers changed amounts, moved dates or owners, and primary-line flips in one sum.
 */
async function writeFacts(
  trx: Q,
  kind: FactKind,
  values: FactValues[],
  batchId: number,
  result: FactImportResult,
  onProgress: ((done: number, total: number) => void) | undefined,
): Promise<void> {
  const anyTrx = trx as unknown as Kysely<any>;
  const stored = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < values.length; i += READ_CHUNK) {
    const ids = values.slice(i, i + READ_CHUNK).map((v) => v.ext_id as string);
    for (const row of await anyTrx
      .selectFrom(kind.table)
      .selectAll()
      .where('ext_id', 'in', ids)
      .execute())
      stored.set(row.ext_id, row);
  }
  const inserts: FactValues[] = [];
  const updates: FactValues[] = [];
  for (const v of values) {
    const old = stored.get(v.ext_id as string);
    if (!old) inserts.push(v);
    else if (Object.entries(v).some(([k, x]) => !same(old[k], x))) updates.push(v);
    else result.unchanged++;
  }
  result.inserted = inserts.length;
  result.updated = updates.length;
  let done = result.unchanged;
  onProgress?.(done, values.length);

  const isOrders = kind.table === 'order_lines';
  const affected = isOrders ? [...inserts, ...updates].map((v) => v.order_no as string) : [];
  if (isOrders)
    for (const u of updates) affected.push(stored.get(u.ext_id as string)!.order_no as string);
  const before = isOrders ? await orderLinesOf(trx, affected) : [];

  // Progress is reported per slice; each slice is one bulk insert (prepared statements on SQLite).
  const slice = WRITE_CHUNK * 10;
  for (let i = 0; i < inserts.length; i += slice) {
    const chunk = inserts
      .slice(i, i + slice)
      .map((v) => ({ ...v, batch_id: batchId, ...(isOrders ? { is_primary: 0 } : {}) }));
    await bulkInsert(anyTrx, kind.table, chunk, WRITE_CHUNK);
    onProgress?.((done += chunk.length), values.length);
  }
  for (const u of updates) {
    await anyTrx
      .updateTable(kind.table)
      .set({ ...u, batch_id: batchId })
      .where('ext_id', '=', u.ext_id)
      .execute();
    if (++done % WRITE_CHUNK === 0) onProgress?.(done, values.length);
  }
  onProgress?.(values.length, values.length);

  if (isOrders && affected.length > 0) {
    const after = await recomputePrimaryLines(trx, affected);
    const deltas = new RollupDeltas();
    deltas.addAll(before, -1);
    deltas.addAll(after, 1);
    await applyRollupDeltas(trx, deltas);
  }
}

function same(stored: unknown, wanted: unknown): boolean {
  if (stored === null || stored === undefined || wanted === null)
    return (stored ?? null) === wanted;
  return typeof wanted === 'number' ? Number(stored) === wanted : String(stored) === wanted;
}

function sortProblems(list: Problem[]): Problem[] {
  return [...list].sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
}

function sha256(buffer: Buffer): string {
  return createHash('sha256').update(buffer).digest('hex');
}
