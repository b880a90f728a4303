import type { DateFormat } from '../../domain/dates.ts';
import type { DateOrderTally } from '../import/parse-cell.ts';
import type { MoneyRounding } from '../../domain/money.ts';
import { roundedAmounts, type RoundedAmounts } from './rounded-amounts.ts';
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { audit } from '../../db/audit.ts';
import { emitEvent } from '../../db/outbox.ts';
import type { Db } from '../../db/connect.ts';
import { AppError, type Problem } from '../../domain/errors.ts';
import { factDateRange } from '../../domain/fact-dates.ts';
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
import { checkWriteScope } from './check-write-scope.ts';
import type { FactKind, FactKindName, FactValues, Q } from './kind.ts';
import { factKindOf } from './kinds.ts';
import {
  orderLinesOf,
  primaryLines,
  recomputePrimaryLines,
  type OrderLineSnapshot,
} from './primary-lines.ts';
import { FactRefs, readGeneration, referenceSnapshot, type CreateMissing } from './refs.ts';
import { preparePool, type PrepareMessage } from './prepare-pool.ts';
import {
  buildRow,
  DateFormatDecided,
  decodeValues,
  FactPreparer,
  headerFunction,
  settleDateFormat,
  type FutureDated,
  type PendingRow,
  type PreparedChunk,
} from './prepare.ts';
import {
  RollupDeltas,
  rollupRows,
  withUnits,
  writeRollupRows,
  type DeltaRow,
  type OrderLineValues,
  type RollupRows,
} from './rollup-deltas.ts';
import { loadUnitAncestors } from '../../db/unit-rollups.ts';
import { bulkInsert, isPostgres, selectWhereIn } from '../../db/sqlite-bulk.ts';
import { pgInsertNew } from '../../db/pg-bulk.ts';
import { StageClock } from './stage-clock.ts';
import { isWriteConflict, lockFactKind } from '../../db/write-conflicts.ts';
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
  /**
   * Amounts finer than a fen (957.5775): refused ('none', default) or rounded half-up or
   * half-even to the fen; the result counts them.
   */
  rounding?: MoneyRounding;
  /**
   * The order of day-and-month-first dates (11/8/2016): 'auto' (default) learns it from the
   * file's other dates and otherwise refuses the two-way ones naming both readings; 'MDY', 'DMY';
   * 'YMD' accepts year-first dates only.
   */
  dateFormat?: DateFormat;
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
  /**
   * Run the row pass in the import worker, overlapping the writes (`importFacts` and
   * `importFactFiles`; admins only: managers' imports always run in line). Default: for a file of
   * WORKER_MIN_BYTES or more; TARGETFLOW_IMPORT_WORKER=off never, =on for every file.
   */
  worker?: boolean;
  /** Rows per chunk in the worker (tests: small chunks cross chunk borders on small files). */
  chunkRows?: number;
  /**
   * Cancels the import: checked before the transaction and between chunks of writes; once
   * aborted, the transaction rolls back and the import throws IMPORT_CANCELLED.
   */
  signal?: AbortSignal;
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
  /** Amounts the rounding choice rounded to the fen (0 and '0' with 'none'). */
  rounded: RoundedAmounts;
  /** Applied rows dated after today in China: a warning, not a problem (the first few rows named). */
  futureDated: FutureDated;
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
/** Files from this size (≈ 5,000 order lines) run their row pass in the import worker. */
export const WORKER_MIN_BYTES = 512 * 1024;

/**
 * Imports one CSV/xlsx file of facts. See `importFactTable`; a CSV is read row by row and never
 * materialised as a table. A large file's row pass runs in the import worker, chunk by chunk,
 * while this thread writes the chunks before (`importInWorker`).
 */
export async function importFacts(
  db: Db,
  kind: string,
  buffer: Buffer,
  fileName: string,
  opts: ImportFactsOptions,
): Promise<FactImportResult> {
  return decidingDates(opts, (opts) =>
    retryOnConflict(async () => {
      const clock = new StageClock(opts.stageMs);
      if (useWorker(buffer, opts)) return importInWorker(db, kind, buffer, fileName, opts, clock);
      const reader = await openTable(buffer, fileName);
      const source = fileSource(buffer, fileName);
      clock.lap('open + decode + hash');
      return importFromReader(db, kind, reader, source, opts, clock);
    }),
  );
}

/**
 * Runs an 'auto' date-format import again in the format its file's dates decided (see
 * `settleDateFormat`): the first run refused nothing and wrote nothing that stays.
 */
async function decidingDates<T>(
  opts: ImportFactsOptions,
  run: (opts: ImportFactsOptions) => Promise<T>,
): Promise<T> {
  try {
    return await run(opts);
  } catch (e) {
    if (!(e instanceof DateFormatDecided) || (opts.dateFormat ?? 'auto') !== 'auto') throw e;
    return run({ ...opts, dateFormat: e.format });
  }
}

/**
 * Runs an import again, once, when another writer got to the same rows first (see
 * `isWriteConflict`): on PostgreSQL imports of one kind take turns (`lockFactKind`), but what the
 * import read before its transaction (the customers and products to create) may be stale by the
 * time it holds the lock; the second run reads it again and finds the other import's work. A
 * second conflict, or SQLite's file still locked by another process, is IMPORT_CONFLICT.
 */
async function retryOnConflict<T>(run: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run();
    } catch (e) {
      if (!isWriteConflict(e)) throw e;
      if (attempt >= 2 || String((e as { code?: unknown }).code).startsWith('SQLITE_BUSY'))
        throw new AppError('IMPORT_CONFLICT');
    }
  }
}

/** Throws IMPORT_CANCELLED once the caller's signal has fired (the transaction then rolls back). */
function checkCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new AppError('IMPORT_CANCELLED');
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
 * membership on the fact's date, a duplicated external id, a date outside `factDateRange`, a row
 * credited outside the caller's writable scope (FORBIDDEN), and for a manager a row that would
 * change a number outside their scope (`checkWriteScope`). In all-or-nothing mode any problem throws IMPORT_INVALID with the
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
  return decidingDates(opts, (opts) =>
    retryOnConflict(() =>
      importFromReader(
        db,
        kindName,
        tableReader(table),
        source,
        opts,
        new StageClock(opts.stageMs),
        (index) => table.rows.some((r) => !isBlank(r.cells[index])),
      ),
    ),
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
  assertImporter(opts.actor);
  checkCancelled(opts.signal);
  const refs = await FactRefs.load(db, opts.actor, opts.createMissing);
  clock.lap('reference data');
  // A manager's rows are kept whole: the scope check after the pass may still refuse some.
  const prep = new FactPreparer(kind, reader.headers, reader.headerRowNumber ?? 1, refs, {
    mapping: opts.mapping,
    rounding: opts.rounding,
    dateFormat: opts.dateFormat,
    today: opts.today,
    keepAll: opts.actor.role !== 'admin',
    hasData,
    dateRange: factDateRange(opts.today),
  });
  const rowCount = await reader.eachRow((cells, row) => prep.row(cells, row));
  const chunk = prep.take();
  clock.lap('read + type + check + build rows');
  const headerRow = reader.headerRowNumber ?? 1;
  // Every row is checked before anything is written: all-or-nothing refuses here, holding nothing
  // — except a manager's file, whose rows are checked against what is stored in the import's
  // transaction (`checkWriteScope`), so that the refusal lists those problems too.
  const scoped = opts.actor.role !== 'admin';
  const mixed = settleDateFormat(prep.dates);
  if (mixed) prep.fileProblems.push(mixed);
  const problems = [...prep.fileProblems, ...chunk.problems];
  const mode = opts.mode ?? 'all-or-nothing';
  if (
    problems.length > 0 &&
    ((mode === 'all-or-nothing' && !scoped) ||
      problems.some((p) => p.row === undefined || p.row === headerRow))
  )
    refuse(problems, mode, headerRow, opts.lang);
  let sent = false;
  const headerOf = prep.headerOf;
  return applyChunks(db, kind, refs, opts, clock, {
    headers: reader.headers,
    headerRow,
    header: prep.header,
    next: async () => (sent ? null : ((sent = true), chunk)),
    end: () => ({
      rowCount,
      fileProblems: prep.fileProblems,
      source,
      rounded: roundedAmounts(prep.rounded),
      future: prep.future,
    }),
    check: scoped
      ? (trx, c) =>
          checkWriteScope(trx, kind, c, refs, prep.header, headerOf, opts.actor.scope.unitPaths)
      : undefined,
  });
}

/**
 * `importFacts` with the row pass in the import worker (prepare-pool.ts): the worker reads and
 * checks the file chunk by chunk while this thread writes each chunk as it arrives, all in one
 * transaction. In all-or-nothing mode the first problem stops the writing; the rest of the file is
 * still checked, so the refusal lists every problem, and the transaction rolls back. Managers'
 * imports stay in line (their scope check, `checkWriteScope`, reads the whole file's stored
 * orders and first deals before the first write).
 */
async function importInWorker(
  db: Db,
  kindName: string,
  buffer: Buffer,
  fileName: string,
  opts: ImportFactsOptions,
  clock: StageClock,
): Promise<FactImportResult> {
  const write = await startInWorker(db, kindName, buffer, fileName, opts);
  return write(clock);
}

/**
 * Hands the file to the import worker and returns the write, to run when the caller is ready:
 * `importFactFiles` starts the next file's row pass while this one is written. The worker resolves
 * the rows against the reference snapshot of now; the write resolves the rows naming something to
 * create against the snapshot of its own start, so a customer an earlier file created is found,
 * not created twice.
 */
async function startInWorker(
  db: Db,
  kindName: string,
  buffer: Buffer,
  fileName: string,
  opts: ImportFactsOptions,
): Promise<(clock: StageClock) => Promise<FactImportResult>> {
  const kind = factKindOf(kindName);
  const snapshot = await referenceSnapshot(db);
  const stream = preparePool().prepare(
    {
      kind: kind.name,
      buffer,
      fileName,
      mapping: opts.mapping,
      rounding: opts.rounding,
      dateFormat: opts.dateFormat,
      today: opts.today,
      actor: opts.actor,
      createMissing: opts.createMissing ?? {},
      snapshotId: snapshot.id,
      dateRange: factDateRange(opts.today),
      chunkRows: opts.chunkRows,
    },
    snapshot.rows,
  );
  return async (clock) => {
    const refs = FactRefs.of(
      opts.actor,
      opts.createMissing ?? {},
      (await referenceSnapshot(db)).data,
    );
    const head = await stream.next();
    if (head.type !== 'head') throw new Error(`import worker: ${head.type} before the headers`);
    clock.lap('reference data + worker reads the first rows');
    let end: Extract<PrepareMessage, { type: 'end' }> | null = null;
    return applyChunks(db, kind, refs, opts, clock, {
      headers: head.headers,
      headerRow: head.headerRowNumber ?? 1,
      header: headerFunction(kind, head.headerOf),
      rowsEstimate: head.rowsEstimate,
      next: async () => {
        if (end) return null;
        const m = await stream.next();
        clock.lap('wait for the worker');
        if (m.type === 'chunk') {
          const c = m.chunk;
          const values = decodeValues(c.values);
          clock.lap('decode rows from the worker');
          return { ...c, values };
        }
        if (m.type !== 'end') throw new Error(`import worker: unexpected ${m.type}`);
        end = m;
        return null;
      },
      end: () => {
        const r = end!.rollups;
        return {
          rowCount: end!.rowCount,
          fileProblems: end!.fileProblems,
          rounded: end!.rounded,
          dates: end!.dates,
          future: end!.future,
          source: { fileName, sha256: end!.sha256, source: 'file' },
          rollups: r && {
            rows: {
              days: decodeValues(r.days) as DeltaRow[],
              months: decodeValues(r.months) as DeltaRow[],
              unitDays: decodeValues(r.unitDays) as DeltaRow[],
              unitMonths: decodeValues(r.unitMonths) as DeltaRow[],
            },
            generation: snapshot.generation,
          },
        };
      },
    });
  };
}

/** One file of a multi-file import: read when its turn comes. */
export interface FactFile {
  fileName: string;
  read(): Promise<Buffer>;
}

/**
 * Imports files one after another, each its own batch and transaction exactly as `importFacts`
 * would, yielding each file's result as it is written (stop iterating to stop importing; a file
 * that throws ends the run, the files before it staying imported). While one file is written the
 * import worker already reads and checks the next, so a run of large files costs little more
 * than their writes.
 */
export async function* importFactFiles(
  db: Db,
  kind: string,
  files: readonly FactFile[],
  opts: ImportFactsOptions,
): AsyncGenerator<FactImportResult> {
  type Write = (clock: StageClock) => Promise<FactImportResult>;
  // A file that cannot even start fails at its turn, after the files before it.
  const start = async (f: FactFile): Promise<Write> => {
    try {
      const buffer = await f.read();
      if (!useWorker(buffer, opts))
        return () => importFacts(db, kind, buffer, f.fileName, { ...opts, worker: false });
      const write = await startInWorker(db, kind, buffer, f.fileName, opts);
      // The worker's rows are spent by the first try: a retry (see `retryOnConflict`) reads anew.
      let first = true;
      return (clock) =>
        decidingDates(opts, (decided) =>
          retryOnConflict(() => {
            if (!first || decided !== opts)
              return importFacts(db, kind, buffer, f.fileName, decided);
            first = false;
            return write(clock);
          }),
        );
    } catch (e) {
      return () => Promise.reject(e);
    }
  };
  let next = files.length > 0 ? await start(files[0]!) : null;
  for (let i = 0; i < files.length; i++) {
    const write = next!;
    next = i + 1 < files.length ? await start(files[i + 1]!) : null;
    yield await write(new StageClock(opts.stageMs));
  }
}

/** Admins' large files go to the worker; managers' imports always stay in line (see `importInWorker`). */
function useWorker(buffer: Buffer, opts: ImportFactsOptions): boolean {
  if (opts.actor.role !== 'admin') return false;
  if (opts.worker !== undefined) return opts.worker;
  const env = process.env.TARGETFLOW_IMPORT_WORKER;
  return env === 'on' || (env !== 'off' && buffer.length >= WORKER_MIN_BYTES);
}

function assertImporter(actor: Actor): void {
  if (actor.role !== 'admin' && actor.role !== 'manager') throw new AppError('FORBIDDEN');
}

/** Throws IMPORT_INVALID: every problem (all-or-nothing) or the file's own (apply-valid). */
function refuse(
  problems: Problem[],
  mode: ImportMode,
  headerRow: number,
  lang: Lang | undefined,
): never {
  const list =
    mode === 'all-or-nothing'
      ? problems
      : problems.filter((p) => p.row === undefined || p.row === headerRow);
  throw new AppError(
    'IMPORT_INVALID',
    { count: list.length },
    sortProblems(list.map((p) => columnIn(p, lang))),
  );
}

/**
 * A missing column is named by the alias of the request's language: the problem carries both
 * (`missingColumn`), its `column` is the Chinese one, so an English request gets `columnEn`.
 */
function columnIn(p: Problem, lang: Lang | undefined): Problem {
  const en = p.params?.columnEn;
  return lang === 'en' && typeof en === 'string' ? { ...p, column: en } : p;
}

/** The checked rows of one file, a chunk at a time, and what is known once they are all read. */
interface ChunkStream {
  headers: string[];
  headerRow: number;
  header: (field: string) => string;
  /** About how many rows the file has, before they are all read (for the progress). */
  rowsEstimate?: number;
  /** The next chunk, or null after the last. */
  next(): Promise<PreparedChunk | null>;
  /**
   * A manager's check of a chunk against what is stored (`checkWriteScope`), in the import's
   * transaction before the chunk is written: adds the chunk's problems.
   */
  check?: (trx: Q, chunk: PreparedChunk) => Promise<void>;
  /** After `next` returned null. */
  end(): {
    rowCount: number;
    fileProblems: Problem[];
    source: FactSource;
    rounded: RoundedAmounts;
    /** The worker's dates tally, settled after the last chunk (in line: settled before). */
    dates?: DateOrderTally;
    future: FutureDated;
    /** The worker's rollup rows for the file (see `FactWriter.finish`). */
    rollups?: { rows: RollupRows; generation: number };
  };
}

/**
 * Writes the chunks' good rows in one transaction: the batch record, each chunk's rows (creating
 * first what its rows name and the caller allowed to create), then, once for the whole file, the
 * rollups and new customers, the batch's counts and its audit entry. A problem in any chunk stops
 * the writing in all-or-nothing mode (the rest is still checked for the refusal's list); a
 * problem with the file itself refuses it in both modes; either rolls everything back.
 */
async function applyChunks(
  db: Db,
  kind: FactKind,
  refs: FactRefs,
  opts: ImportFactsOptions,
  clock: StageClock,
  stream: ChunkStream,
): Promise<FactImportResult> {
  const mode = opts.mode ?? 'all-or-nothing';
  const result: FactImportResult = {
    kind: kind.name,
    batchId: null,
    rows: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    rejected: 0,
    created: { customers: [], products: [] },
    problems: [],
    rounded: { count: 0, differenceFen: '0' },
    futureDated: { count: 0, rows: [] },
    badRows: null,
    dryRun: opts.dryRun ?? false,
  };
  const rowProblems: Problem[] = [];
  const kept: RawRow[] = [];
  let good = 0;
  checkCancelled(opts.signal);
  try {
    await db.transaction().execute(async (trx) => {
      // Imports of one kind take turns on PostgreSQL: the second sees the first's rows.
      await lockFactKind(trx, kind.name);
      checkCancelled(opts.signal);
      const batch = await trx
        .insertInto('fact_batches')
        .values({
          kind: kind.name,
          file_name: '',
          file_sha256: '',
          source: 'file',
          user_id: opts.actor.userId,
          created_at: opts.now.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const writer = new FactWriter(trx, kind, batch.id, result, opts.onProgress, clock);
      for (let chunk = await stream.next(); chunk; chunk = await stream.next()) {
        checkCancelled(opts.signal);
        if (stream.check) await stream.check(trx, chunk);
        rowProblems.push(...chunk.problems);
        const refused = mode === 'all-or-nothing' && rowProblems.length > 0;
        if (refused) continue;
        kept.push(...chunk.kept);
        const rows = goodRows(chunk);
        good += rows.values.length;
        // While chunks still arrive, the progress counts against the worker's estimate.
        writer.expect(Math.max(good, stream.rowsEstimate ?? 0));
        // Only what the applied rows name is created: list those again, create, then resolve the
        // rows that named them (every other row was built once, in the pass).
        if (rows.pending.length > 0) {
          writer.resolvedHere();
          refs.toCreate.customers.clear();
          refs.toCreate.products.clear();
          for (const p of rows.pending) buildRow(kind, p.row, p.record, refs, stream.header, []);
          const created = await refs.createPending(trx, opts.now);
          result.created.customers.push(...created.customers);
          result.created.products.push(...created.products);
          for (const p of rows.pending)
            rows.values[p.index] = buildRow(kind, p.row, p.record, refs, stream.header, [])!;
        }
        clock.lap('create missing + batch record');
        await writer.write(rows.values);
      }
      const { rowCount, fileProblems, source, rollups, rounded, dates, future } = stream.end();
      writer.expect(good);
      // Throws DateFormatDecided (rolling back) when the file's dates decide its format.
      const mixed = dates ? settleDateFormat(dates) : null;
      const problems = [...fileProblems, ...(mixed ? [mixed] : []), ...rowProblems];
      if (
        problems.length > 0 &&
        (mode === 'all-or-nothing' ||
          problems.some((p) => p.row === undefined || p.row === stream.headerRow))
      )
        refuse(problems, mode, stream.headerRow, opts.lang);
      checkCancelled(opts.signal);
      await writer.finish(rollups);
      checkCancelled(opts.signal);
      result.rows = rowCount;
      result.rejected = rowCount - good;
      result.rounded = rounded;
      result.futureDated = futureRows(future, good, rowProblems);
      result.problems = sortProblems(problems);
      if (problems.length > 0) {
        const byRow = new Map<number, Problem[]>();
        for (const p of problems) {
          const list = byRow.get(p.row!);
          if (list) list.push(p);
          else byRow.set(p.row!, [p]);
        }
        const bad = kept.filter((r) => byRow.has(r.rowNumber));
        result.badRows = badRowsCsv(
          { headers: stream.headers, rows: bad },
          byRow,
          opts.lang ?? 'zh-CN',
        );
      }
      await trx
        .updateTable('fact_batches')
        .set({
          file_name: source.fileName,
          file_sha256: source.sha256,
          source: source.source,
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
      // Announced in the same transaction: subscribers (alerts, webhooks) hear of it only if it commits.
      if (!result.dryRun)
        await emitEvent(
          trx,
          'facts.imported',
          {
            batchId: batch.id,
            kind: kind.name,
            userId: opts.actor.userId,
            rows: result.rows,
            inserted: result.inserted,
            updated: result.updated,
          },
          opts.now,
        );
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
 * The future-dated rows the preparer counted, less those a later check refused (a manager's
 * scope check): only rows that went in are warned about.
 */
function futureRows(future: FutureDated, good: number, rowProblems: Problem[]): FutureDated {
  if (rowProblems.length === 0 || future.count === 0) return future;
  const bad = new Set(rowProblems.map((p) => p.row));
  const rows = future.rows.filter((r) => !bad.has(r));
  // The count is exact only when every counted row is still named; otherwise bound it by `good`.
  const count = future.count <= future.rows.length ? rows.length : Math.min(future.count, good);
  return { count, rows };
}

/** A chunk's rows without a problem (the scope check may have refused some after they were built). */
function goodRows(chunk: PreparedChunk): { values: FactValues[]; pending: PendingRow[] } {
  if (chunk.problems.length === 0) return { values: chunk.values, pending: chunk.pending };
  const bad = new Set(chunk.problems.map((p) => p.row));
  const pendingAt = new Map(chunk.pending.map((p) => [p.index, p]));
  const values: FactValues[] = [];
  const pending: PendingRow[] = [];
  for (let i = 0; i < chunk.values.length; i++) {
    if (bad.has(chunk.rowOf[i])) continue;
    const p = pendingAt.get(i);
    if (p) pending.push({ ...p, index: values.length });
    values.push(chunk.values[i]!);
  }
  return { values, pending };
}

/**
 * Writes a file's rows chunk by chunk inside the import's transaction: new external ids are
 * inserted, changed ones updated (they then belong to this batch), equal ones left alone. Order
 * lines also keep their primary-line flags, and their rollup deltas and new-customer candidates
 * are summed over the chunks and written once by `finish`.
 */
class FactWriter {
  /** What each chunk changed in the rollups, summed by `finish` unless the worker's rows serve. */
  private readonly parts: {
    before: OrderLineSnapshot[];
    recomputed: OrderLineSnapshot[];
    fresh: FactValues[];
  }[] = [];
  /**
   * Whether every row so far is a new line of an order with no line stored before this file:
   * then the file's rollup rows are the worker's (`finish`).
   */
  private pureAppend = true;
  /** Orders whose lines all came from this file so far. */
  private readonly fileOrders = new Set<string>();
  /** Lines of brand-new orders (candidates for a customer's first deal). */
  private readonly fresh: FactValues[] = [];
  /** Customers of lines that were stored, updated or joined stored orders: recomputed. */
  private readonly touched: number[] = [];
  private anyAffected = false;
  private readonly progress: Progress;

  constructor(
    private readonly trx: Q,
    private readonly kind: FactKind,
    private readonly batchId: number,
    private readonly result: FactImportResult,
    onProgress: ((done: number, total: number) => void) | undefined,
    private readonly clock: StageClock,
  ) {
    this.progress = new Progress(onProgress);
  }

  /** The rows known so far, for the progress reports. */
  expect(total: number): void {
    this.progress.expect(total);
  }

  /** Rows were resolved here after a creation: the worker's rollup rows do not hold them. */
  resolvedHere(): void {
    this.pureAppend = false;
  }

  async write(values: FactValues[]): Promise<void> {
    if (values.length === 0) return;
    if (isPostgres(this.trx as unknown as Kysely<any>)) return this.writeInsertFirst(values);
    const { trx, kind, result, progress, clock } = this;
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
    result.inserted += inserts.length;
    result.updated += updates.length;
    if (inserts.length !== values.length) this.pureAppend = false;
    progress.add(values.length - inserts.length - updates.length);

    if (kind.table === 'order_lines') {
      await this.writeOrderLines(inserts, updates, stored);
      return;
    }
    for (const v of inserts) v.batch_id = this.batchId;
    await insertRows(anyTrx, kind.table, inserts, progress);
    await updateRows(anyTrx, kind.table, updates, this.batchId, progress);
    clock.lap('write rows');
  }

  /**
   * `write` on PostgreSQL, where every statement is a round trip and a lookup of 10,000 keys costs
   * what their insert does: the rows are inserted first, a row whose external id is stored being
   * skipped (`ON CONFLICT DO NOTHING`), and only the skipped ones are read back and compared. The
   * same statement tells which of the chunk's orders had lines before it; an export's chunk is all
   * new lines of new orders, so then nothing is read at all. New lines go in flagged as if their
   * orders were new (primary line over the chunk); those of orders that had lines are re-flagged
   * by the recompute in `writeOrderLines`, exactly as on the other path.
   */
  private async writeInsertFirst(values: FactValues[]): Promise<void> {
    const { trx, kind, result, progress, clock } = this;
    const anyTrx = trx as unknown as Kysely<any>;
    const orders = kind.table === 'order_lines';
    if (orders) {
      const primary = primaryLines(
        values as unknown as { order_no: string; ext_id: string; amount: number }[],
      );
      for (const v of values) v.is_primary = primary.get(v.order_no as string) === v.ext_id ? 1 : 0;
    }
    for (const v of values) v.batch_id = this.batchId;
    const { inserted, existing } = await pgInsertNew(
      anyTrx,
      kind.table,
      Object.keys(values[0]!),
      values,
      PG_INSERT_ROWS,
      'ext_id',
      orders
        ? { column: 'order_no', values: [...new Set(values.map((v) => v.order_no as string))] }
        : undefined,
    );
    clock.lap('insert new rows (stored external ids skipped)');
    const inserts: FactValues[] = [];
    const rest: FactValues[] = [];
    for (const v of values) {
      if (inserted.has(v.ext_id as string)) inserts.push(v);
      else {
        // Not inserted: compared with the stored row as the file has it.
        delete v.batch_id;
        delete v.is_primary;
        rest.push(v);
      }
    }
    result.inserted += inserts.length;
    progress.add(inserts.length);
    const stored = new Map<string, Record<string, unknown>>();
    if (rest.length > 0)
      for (const row of await selectWhereIn(
        anyTrx,
        kind.table,
        'ext_id',
        rest.map((v) => v.ext_id as string),
      ))
        stored.set(row.ext_id, row);
    const updates: FactValues[] = [];
    for (const v of rest) {
      if (differs(stored.get(v.ext_id as string)!, v)) updates.push(v);
      else result.unchanged++;
    }
    clock.lap('look up stored rows by external id');
    result.updated += updates.length;
    if (inserts.length !== values.length) this.pureAppend = false;
    progress.add(rest.length - updates.length);
    if (orders) {
      await this.writeOrderLines(inserts, updates, stored, { inserted, existing });
      return;
    }
    await updateRows(anyTrx, kind.table, updates, this.batchId, progress);
    clock.lap('write rows');
  }

  /**
   * Order lines, with the primary-line flags and the rollup deltas. The stored lines of every
   * order the chunk touches — by its new or its old order number — are read first. An order with
   * no stored line (every order of a normal export) is made only of this chunk's lines: its flags
   * are computed here, the lines are inserted with them, and they go into the rollups as they
   * are. Orders that had stored lines (an earlier chunk's too) are re-flagged after the writes
   * (`recomputePrimaryLines`) and move the rollups by after − before, which covers changed
   * amounts, moved dates or owners, and primary-line flips in one sum; the sums of all chunks
   * telescope to the file's.
   */
  private async writeOrderLines(
    inserts: FactValues[],
    updates: FactValues[],
    stored: ReadonlyMap<string, Record<string, unknown>>,
    /** `writeInsertFirst`: the lines are in, and these orders had lines before them. */
    insertedFirst?: { inserted: ReadonlySet<string>; existing: ReadonlySet<string> },
  ): Promise<void> {
    const { trx, progress, clock } = this;
    const anyTrx = trx as unknown as Kysely<any>;
    const affected = new Set<string>();
    for (const v of inserts) affected.add(v.order_no as string);
    for (const u of updates) {
      affected.add(u.order_no as string);
      affected.add(stored.get(u.ext_id as string)!.order_no as string);
    }
    let before: OrderLineSnapshot[];
    if (!insertedFirst) before = await orderLinesOf(trx, [...affected]);
    else {
      // Only orders that had lines before the insert, or that updated lines leave or join.
      const look = new Set(insertedFirst.existing);
      for (const u of updates) {
        look.add(u.order_no as string);
        look.add(stored.get(u.ext_id as string)!.order_no as string);
      }
      before =
        look.size === 0
          ? []
          : (await orderLinesOf(trx, [...look])).filter(
              (l) => !insertedFirst.inserted.has(l.ext_id),
            );
    }
    const existing = new Set(before.map((l) => l.order_no));
    for (const o of existing) if (!this.fileOrders.has(o)) this.pureAppend = false;
    clock.lap('look up stored lines by order');

    const fresh: FactValues[] = [];
    for (const v of inserts) if (!existing.has(v.order_no as string)) fresh.push(v);
    for (const u of updates) if (!existing.has(u.order_no as string)) fresh.push(u);
    const primary = primaryLines(
      fresh as unknown as { order_no: string; ext_id: string; amount: number }[],
    );
    for (const v of fresh) v.is_primary = primary.get(v.order_no as string) === v.ext_id ? 1 : 0;
    for (const v of inserts) {
      v.batch_id = this.batchId;
      // Lines of orders that had stored lines are flagged by the recompute below.
      if (v.is_primary === undefined) v.is_primary = 0;
    }

    if (!insertedFirst) await insertRows(anyTrx, 'order_lines', inserts, progress);
    await updateRows(anyTrx, 'order_lines', updates, this.batchId, progress);
    clock.lap('write rows');
    if (affected.size === 0) return;
    this.anyAffected = true;

    const recomputed = existing.size > 0 ? await recomputePrimaryLines(trx, [...existing]) : [];
    this.parts.push({ before, recomputed, fresh });
    for (const v of fresh) this.fileOrders.add(v.order_no as string);
    clock.lap('re-flag orders that had lines');

    for (const l of before) this.touched.push(l.customer_id);
    for (const u of updates) this.touched.push(u.customer_id as number);
    for (const v of inserts)
      if (existing.has(v.order_no as string)) this.touched.push(v.customer_id as number);
    for (const v of fresh) this.fresh.push(v);
  }

  /**
   * The rollups and new customers of every chunk written, once. `fromWorker`: the import worker's
   * rollup rows for the file, computed against the reference data of `generation`; they are
   * exactly what the chunks sum to when every row was a new line of an order with no line stored
   * before (each order's lines are then the file's, flagged over the whole file, as the chunks'
   * re-flagging left them), and the unit rows hold while the org tree is as the worker saw it.
   */
  async finish(fromWorker?: { rows: RollupRows; generation: number }): Promise<void> {
    this.progress.done();
    if (!this.anyAffected) return;
    const { trx, clock } = this;
    let rows: RollupRows;
    if (fromWorker && this.pureAppend) {
      if (fromWorker.generation === (await readGeneration(trx))) {
        rows = fromWorker.rows;
        clock.lap('rollups: the worker’s rows');
      } else {
        const { days, months } = fromWorker.rows;
        rows = withUnits(days, months, await loadUnitAncestors(trx));
        clock.lap('rollups: the worker’s member rows, unit rows here');
      }
    } else {
      const deltas = new RollupDeltas();
      for (const p of this.parts) {
        deltas.addAll(p.before, -1);
        deltas.addAll(p.recomputed, 1);
        for (const v of p.fresh) deltas.addLine(v as unknown as OrderLineValues, 1);
      }
      clock.lap('rollups: member deltas');
      rows = await rollupRows(deltas, () => loadUnitAncestors(trx));
      clock.lap('rollups: unit deltas');
    }
    await writeRollupRows(trx, rows, clock);
    // New customers: a customer with a changed line or a line of an order that had lines is
    // recomputed from the lines; for every other customer, lines of brand-new orders can only
    // bring the first deal forward, so the earliest of them is compared with the stored one.
    const touched = new Set(this.touched);
    if (touched.size > 0) await refreshCustomerFirsts(this.trx, [...touched]);
    await addFirstsOfNewLines(
      this.trx,
      (touched.size > 0
        ? this.fresh.filter((v) => !touched.has(v.customer_id as number))
        : this.fresh) as unknown as FirstCandidate[],
    );
    this.clock.lap('new customers');
  }
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

/** Progress of the writes, reported every PROGRESS_EVERY rows and at the end. */
class Progress {
  private count = 0;
  private reported = 0;
  private total = 0;
  constructor(private readonly report: ((done: number, total: number) => void) | undefined) {}
  /** The rows to write, as far as they are known (a worker's chunks are still arriving). */
  expect(total: number): void {
    this.total = total;
  }
  add(n: number): void {
    this.count += n;
    if (this.count - this.reported >= PROGRESS_EVERY || this.count === this.total) {
      this.reported = this.count;
      this.report?.(this.count, Math.max(this.total, this.count));
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
