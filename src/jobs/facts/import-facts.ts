import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError, type Problem } from '../../domain/errors.ts';
import { bindColumns, type Columns, type RowValues } from '../import/columns.ts';
import { isBlank } from '../import/parse-cell.ts';
import {
  openTable,
  tableReader,
  type RawCell,
  type RawRow,
  type RawTable,
  type TableReader,
} from '../import/read-table.ts';
import type { Actor, Lang } from '../import-master/kind.ts';
import { badRowsCsv } from './bad-rows.ts';
import type { FactKind, FactKindName, FactValues, Q } from './kind.ts';
import { factKindOf } from './kinds.ts';
import { orderLinesOf, primaryLines, recomputePrimaryLines } from './primary-lines.ts';
import { FactRefs, type CreateMissing } from './refs.ts';
import { applyRollupDeltas, RollupDeltas, type OrderLineValues } from './rollup-deltas.ts';
import { bulkInsert, selectWhereIn } from '../../db/sqlite-bulk.ts';
import { StageClock } from './stage-clock.ts';
import {
  addFirstsOfNewLines,
  refreshCustomerFirsts,
  type FirstCandidate,
} from '../../db/customer-firsts.ts';

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
  /** Filled with milliseconds per stage (read, lookups, insert, rollups, commit…) for the benches. */
  stageMs?: Map<string, number>;
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

/** Rows a PostgreSQL insert statement carries (one array per column, so no parameter limit). */
const PG_INSERT_ROWS = 10_000;
/** Rows between two progress reports while writing. */
const PROGRESS_EVERY = 2_000;
/** The importer ignores the column the bad-rows file adds, so a fixed file imports as is. */
const IGNORED_HEADERS = { 问题: null, Problem: null };

/**
 * Imports one CSV/xlsx file of facts. See `importFactTable`; a CSV is read row by row and never
 * materialised as a table.
 */
export async function importFacts(
  db: Db,
  kind: string,
  buffer: Buffer,
  fileName: string,
  opts: ImportFactsOptions,
): Promise<FactImportResult> {
  const clock = new StageClock(opts.stageMs);
  const reader = await openTable(buffer, fileName);
  const source = fileSource(buffer, fileName);
  clock.lap('open + decode + hash');
  return importFromReader(db, kind, reader, source, opts, clock);
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
  return importFromReader(
    db,
    kindName,
    tableReader(table),
    source,
    opts,
    new StageClock(opts.stageMs),
    (index) => table.rows.some((r) => !isBlank(r.cells[index])),
  );
}

/**
 * One pass over the rows types, checks and builds each row once, keeping only the stored column
 * values of the good rows (and the cells of the bad ones, for the bad-rows file); the write then
 * runs over those values in one transaction. Nothing is written before every row is checked, so
 * all-or-nothing never holds the database while reading a file it will refuse.
 */
async function importFromReader(
  db: Db,
  kindName: string,
  reader: TableReader,
  source: FactSource,
  opts: ImportFactsOptions,
  clock: StageClock,
  hasData?: (index: number) => boolean,
): Promise<FactImportResult> {
  const kind = factKindOf(kindName);
  if (opts.actor.role !== 'admin' && opts.actor.role !== 'manager') throw new AppError('FORBIDDEN');
  const mode = opts.mode ?? 'all-or-nothing';
  const headerRow = reader.headerRowNumber ?? 1;
  const mapper = bindColumns(
    reader.headers,
    headerRow,
    kind.columns,
    { mapping: { ...IGNORED_HEADERS, ...opts.mapping } },
    hasData,
  );
  const headerOf = mapper.headerOf as Record<string, string | undefined>;
  const header = (field: string) => headerOf[field] ?? kind.columns[field]?.aliases[0] ?? field;
  const extIdHeader = header('extId');
  const refs = await FactRefs.load(db, opts.actor, opts.createMissing);
  clock.lap('reference data');

  // What the pass keeps: the good rows' values with their row numbers, the bad rows' cells (all
  // rows' cells for a manager, whose stored-scope check comes after the pass).
  const rowProblems: Problem[] = [];
  const values: FactValues[] = [];
  const rowOf: number[] = [];
  const pending: { index: number; row: number; record: RowValues<Columns> }[] = [];
  const kept: RawRow[] = [];
  const keepAll = opts.actor.role !== 'admin';
  const firstRow = new Map<string, number>();
  const rowCount = reader.eachRow((cells, row) => {
    const before = rowProblems.length;
    const record = mapper.map(cells, row, rowProblems);
    if (record.extId !== null) {
      const key = String(record.extId);
      const other = firstRow.get(key);
      if (other === undefined) firstRow.set(key, row);
      else
        rowProblems.push({
          row,
          column: extIdHeader,
          code: 'IMPORT_DUPLICATE_KEY',
          params: { code: key, other },
        });
    }
    const pendingBefore = refs.pendingLookups;
    const built = buildRow(kind, row, record, refs, header, rowProblems);
    if (keepAll || rowProblems.length > before) kept.push({ rowNumber: row, cells });
    if (built === null || rowProblems.length > before) return;
    if (refs.pendingLookups !== pendingBefore) pending.push({ index: values.length, row, record });
    values.push(built);
    rowOf.push(row);
  });
  if (opts.actor.role !== 'admin')
    await checkStoredScope(db, kind, values, rowOf, refs, extIdHeader, rowProblems);
  clock.lap('read + type + check + build rows');

  const problems = [...mapper.problems, ...rowProblems];
  const fileLevel = problems.filter((p) => p.row === undefined || p.row === headerRow);
  if (problems.length > 0 && (mode === 'all-or-nothing' || fileLevel.length > 0)) {
    const list = mode === 'all-or-nothing' ? problems : fileLevel;
    throw new AppError('IMPORT_INVALID', { count: list.length }, sortProblems(list));
  }
  const byRow = new Map<number, Problem[]>();
  for (const p of problems) {
    const list = byRow.get(p.row!);
    if (list) list.push(p);
    else byRow.set(p.row!, [p]);
  }
  // The good rows (the stored-scope check may have refused some after they were built).
  const pendingAt = new Map(pending.map((p) => [p.index, p]));
  const good: FactValues[] = [];
  const goodPending: typeof pending = [];
  for (let i = 0; i < values.length; i++) {
    if (byRow.has(rowOf[i]!)) continue;
    const p = pendingAt.get(i);
    if (p) goodPending.push({ ...p, index: good.length });
    good.push(values[i]!);
  }

  const result: FactImportResult = {
    kind: kind.name,
    batchId: null,
    rows: rowCount,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: rowCount - good.length,
    created: { customers: [], products: [] },
    problems: sortProblems(problems),
    badRows:
      byRow.size > 0
        ? badRowsCsv({ headers: reader.headers, rows: kept }, byRow, opts.lang ?? 'zh-CN')
        : null,
    dryRun: opts.dryRun ?? false,
  };

  try {
    await db.transaction().execute(async (trx) => {
      // Only what the applied rows name is created: list those again, create, then resolve the
      // rows that named them (every other row was built once, above).
      refs.toCreate.customers.clear();
      refs.toCreate.products.clear();
      for (const p of goodPending) buildRow(kind, p.row, p.record, refs, header, []);
      result.created = await refs.createPending(trx, opts.now);
      for (const p of goodPending)
        good[p.index] = buildRow(kind, p.row, p.record, refs, header, [])!;

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
      clock.lap('create missing + batch record');
      await writeFacts(trx, kind, good, batch.id, result, opts.onProgress, clock);
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
      clock.lap('batch summary + audit');
    });
    clock.lap('commit');
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
  values: readonly FactValues[],
  rowOfIndex: readonly number[],
  refs: FactRefs,
  column: string,
  problems: Problem[],
): Promise<void> {
  const rowOf = new Map<string, number>();
  values.forEach((v, i) => rowOf.set(v.ext_id as string, rowOfIndex[i]!));
  const stored = await selectWhereIn<{ ext_id: string; org_unit_id: number }>(
    q as unknown as Kysely<any>,
    kind.table,
    'ext_id',
    [...rowOf.keys()],
    ['ext_id', 'org_unit_id'],
  );
  for (const s of stored) {
    if (!refs.writable(s.org_unit_id))
      problems.push({ row: rowOf.get(s.ext_id)!, column, code: 'FORBIDDEN' });
  }
}

/**
 * One record → stored column values, or null when the row has a problem (recorded in `problems`).
 * The kind's own object is completed in place, so every row of a kind has the same keys in the
 * same order.
 */
function buildRow(
  kind: FactKind,
  row: number,
  values: RowValues<Columns>,
  refs: FactRefs,
  header: (field: string) => string,
  problems: Problem[],
): FactValues | null {
  const v = values as Record<string, string | number | boolean | null>;
  const before = problems.length;
  const date = textOf(v.date);
  const credit = refs.credit(textOf(v.ownerCode), textOf(v.unitCode), date, row, header, problems);
  const hasCustomer = 'customer' in kind.columns;
  const customer = hasCustomer
    ? refs.customer(textOf(v.customer), row, header('customer'), problems)
    : null;
  const own = kind.build(values as never, {
    row,
    refs,
    problems,
    header,
    customer: customer ?? NO_CUSTOMER,
  });
  const extId = textOf(v.extId);
  if (problems.length > before || !credit || extId === null || date === null) return null;
  own.ext_id = extId;
  own[kind.dateColumn] = date;
  own.member_id = credit.memberId;
  own.org_unit_id = credit.unitId;
  if (customer) own.customer_id = customer.id;
  return own;
}

const NO_CUSTOMER = { id: 0, regionId: 0, segmentId: 0 };

/** A typed cell as text (ids and codes may arrive as numbers), null when empty or absent. */
function textOf(value: string | number | boolean | null | undefined): string | null {
  return value === null || value === undefined ? null : String(value);
}

/**
 * Inserts new external ids, updates changed ones (which then belong to this batch), leaves equal
 * ones alone. Orders also keep their primary-line flags and the rollups (`writeOrderLines`).
 */
async function writeFacts(
  trx: Q,
  kind: FactKind,
  values: FactValues[],
  batchId: number,
  result: FactImportResult,
  onProgress: ((done: number, total: number) => void) | undefined,
  clock: StageClock,
): Promise<void> {
  const anyTrx = trx as unknown as Kysely<any>;
  const stored = new Map<string, Record<string, unknown>>();
  for (const row of await selectWhereIn(
    anyTrx,
    kind.table,
    'ext_id',
    values.map((v) => v.ext_id as string),
  ))
    stored.set(row.ext_id, row);
  const inserts: FactValues[] = [];
  const updates: FactValues[] = [];
  for (const v of values) {
    const old = stored.get(v.ext_id as string);
    if (!old) inserts.push(v);
    else if (differs(old, v)) updates.push(v);
    else result.unchanged++;
  }
  clock.lap('look up stored rows by external id');
  result.inserted = inserts.length;
  result.updated = updates.length;
  const progress = new Progress(values.length, onProgress);
  progress.start(result.unchanged);

  if (kind.table === 'order_lines') {
    await writeOrderLines(trx, inserts, updates, stored, batchId, progress, clock);
    return;
  }
  for (const v of inserts) v.batch_id = batchId;
  await insertRows(anyTrx, kind.table, inserts, progress);
  await updateRows(anyTrx, kind.table, updates, batchId, progress);
  progress.done();
  clock.lap('write rows');
}

/**
 * Order lines, with the primary-line flags and the rollups. The stored lines of every order the
 * batch touches — by its new or its old order number — are read first. An order with no stored
 * line (every order of a normal export) is made only of this batch's lines: its flags are
 * computed here, the lines are inserted with them, and they go into the rollups as they are.
 * Orders that had stored lines are re-flagged after the writes (`recomputePrimaryLines`) and move
 * the rollups by after − before, which covers changed amounts, moved dates or owners, and
 * primary-line flips in one sum.
 */
async function writeOrderLines(
  trx: Q,
  inserts: FactValues[],
  updates: FactValues[],
  stored: ReadonlyMap<string, Record<string, unknown>>,
  batchId: number,
  progress: Progress,
  clock: StageClock,
): Promise<void> {
  const anyTrx = trx as unknown as Kysely<any>;
  const affected = new Set<string>();
  for (const v of inserts) affected.add(v.order_no as string);
  for (const u of updates) {
    affected.add(u.order_no as string);
    affected.add(stored.get(u.ext_id as string)!.order_no as string);
  }
  const before = await orderLinesOf(trx, [...affected]);
  const existing = new Set(before.map((l) => l.order_no));
  clock.lap('look up stored lines by order');

  const fresh: FactValues[] = [];
  for (const v of inserts) if (!existing.has(v.order_no as string)) fresh.push(v);
  for (const u of updates) if (!existing.has(u.order_no as string)) fresh.push(u);
  const primary = primaryLines(
    fresh as unknown as { order_no: string; ext_id: string; amount: number }[],
  );
  for (const v of fresh) v.is_primary = primary.get(v.order_no as string) === v.ext_id ? 1 : 0;
  for (const v of inserts) {
    v.batch_id = batchId;
    // Lines of orders that had stored lines are flagged by the recompute below.
    if (v.is_primary === undefined) v.is_primary = 0;
  }

  await insertRows(anyTrx, 'order_lines', inserts, progress);
  await updateRows(anyTrx, 'order_lines', updates, batchId, progress);
  progress.done();
  clock.lap('write rows');
  if (affected.size === 0) return;

  const deltas = new RollupDeltas();
  deltas.addAll(before, -1);
  if (existing.size > 0) deltas.addAll(await recomputePrimaryLines(trx, [...existing]), 1);
  for (const v of fresh) deltas.addLine(v as unknown as OrderLineValues, 1);
  clock.lap('rollups: member deltas');
  await applyRollupDeltas(trx, deltas, clock);

  // New customers: lines of brand-new orders can only bring a customer's first deal forward;
  // anything else (a changed line, an order that had lines) recomputes its customers.
  if (before.length === 0 && updates.length === 0)
    await addFirstsOfNewLines(trx, fresh as unknown as FirstCandidate[]);
  else
    await refreshCustomerFirsts(trx, [
      ...before.map((l) => l.customer_id),
      ...inserts.map((v) => v.customer_id as number),
      ...updates.map((v) => v.customer_id as number),
    ]);
  clock.lap('new customers');
}

async function insertRows(
  q: Kysely<any>,
  table: string,
  rows: readonly FactValues[],
  progress: Progress,
): Promise<void> {
  if (rows.length === 0) return;
  // Every row was built by the same code, so the first row's keys are every row's.
  const columns = Object.keys(rows[0]!);
  const slice = PROGRESS_EVERY * 5;
  for (let i = 0; i < rows.length; i += slice) {
    const part = rows.slice(i, i + slice);
    await bulkInsert(q, table, part, PG_INSERT_ROWS, columns);
    progress.add(part.length);
  }
}

async function updateRows(
  q: Kysely<any>,
  table: string,
  rows: readonly FactValues[],
  batchId: number,
  progress: Progress,
): Promise<void> {
  for (const u of rows) {
    await q
      .updateTable(table)
      .set({ ...u, batch_id: batchId })
      .where('ext_id', '=', u.ext_id)
      .execute();
    progress.add(1);
  }
}

/** Progress of the write, reported every PROGRESS_EVERY rows and at the end. */
class Progress {
  private count = 0;
  private reported = 0;
  constructor(
    private readonly total: number,
    private readonly report: ((done: number, total: number) => void) | undefined,
  ) {}
  start(done: number): void {
    this.count = this.reported = done;
    this.report?.(done, this.total);
  }
  add(n: number): void {
    this.count += n;
    if (this.count - this.reported >= PROGRESS_EVERY || this.count === this.total) {
      this.reported = this.count;
      this.report?.(this.count, this.total);
    }
  }
  done(): void {
    this.report?.(this.total, this.total);
  }
}

/** Whether any wanted value differs from the stored row. */
function differs(old: Record<string, unknown>, wanted: FactValues): boolean {
  for (const k in wanted) if (!same(old[k], wanted[k]!)) return true;
  return false;
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
