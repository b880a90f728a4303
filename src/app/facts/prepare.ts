import type { Problem } from '../../domain/errors.ts';
import { inFactDateRange } from '../../domain/fact-dates.ts';
import {
  bindColumns,
  missingColumn,
  type Columns,
  type RowMapper,
  type RowValues,
} from '../import/columns.ts';
import type { DateFormat } from '../../domain/dates.ts';
import type { MoneyRounding } from '../../domain/money.ts';
import {
  dateOrderTally,
  roundingTally,
  type DateOrderTally,
  type MoneyRoundingTally,
} from '../import/parse-cell.ts';
import type { RawCell, RawRow } from '../import/read-table.ts';
import type { FactKind, FactValues } from './kind.ts';
import type { FactRefs } from './refs.ts';

/** The importer ignores the column the bad-rows file adds, so a fixed file imports as is. */
const IGNORED_HEADERS = { 问题: null, Problem: null };

/** A row that named a customer or product to be created: built again once those exist. */
export interface PendingRow {
  /** Its position in the chunk's `values`. */
  index: number;
  row: number;
  record: RowValues<Columns>;
}

/**
 * What the row pass keeps of a run of rows: the good rows' stored column values with their row
 * numbers, every problem with its row and column, the cells of the rows that have problems (of
 * every row when `keepAll`, for checks that come later), and the rows waiting for a creation.
 */
export interface PreparedChunk {
  values: FactValues[];
  rowOf: number[];
  problems: Problem[];
  kept: RawRow[];
  pending: PendingRow[];
}

export interface PrepareOptions {
  /** Saved header → field mapping (a CRM export's own headers); null ignores a column. */
  mapping?: Record<string, string | null>;
  /** Keep every row's cells, not only the bad ones'. */
  keepAll?: boolean;
  /** Whether a column without a header holds data (known up front for a materialised table). */
  hasData?: (index: number) => boolean;
  /** The dates a row may be credited on (`factDateRange`); a date outside is the row's problem. */
  dateRange?: { min: string; max: string };
  /** Amounts finer than a fen: refused (default) or rounded to the fen. */
  rounding?: MoneyRounding;
  /** The order of day-and-month-first dates (default 'auto': learnt from the file). */
  dateFormat?: DateFormat;
  /** The import's day in China: good rows dated after it are accepted and counted (`future`). */
  today?: string;
}

/** Rows dated after the import's day: accepted, but the result warns (how many, the first rows). */
export interface FutureDated {
  count: number;
  rows: number[];
}

/** How many of the future-dated rows the result names. */
const FUTURE_ROWS_NAMED = 5;

/**
 * The row pass of a fact import: types, checks and builds each row once, against the headers
 * bound once per file and a reference snapshot, with no database in reach — so it runs in the
 * import's worker as well as in line. Rows go into the current chunk; `take` hands it over and
 * starts the next. A duplicated external id is caught across chunks (the later row gets the
 * problem, as in one pass).
 */
export class FactPreparer {
  readonly header: (field: string) => string;
  private readonly mapper: RowMapper<Columns>;
  private readonly extIdHeader: string;
  private readonly firstRow = new Map<string, number>();
  /** The amounts rounded so far (every row read, rejected ones included). */
  readonly rounded: MoneyRoundingTally;
  /** What the dates read so far say about the file's date format. */
  readonly dates: DateOrderTally;
  /** Good rows dated after `today`. */
  readonly future: FutureDated = { count: 0, rows: [] };
  private chunk: PreparedChunk = emptyChunk();
  private count = 0;

  constructor(
    private readonly kind: FactKind,
    headers: readonly string[],
    headerRow: number,
    private readonly refs: FactRefs,
    private readonly opts: PrepareOptions = {},
  ) {
    this.rounded = roundingTally(opts.rounding);
    this.dates = dateOrderTally(opts.dateFormat);
    this.mapper = bindColumns(
      headers,
      headerRow,
      kind.columns,
      { mapping: { ...IGNORED_HEADERS, ...opts.mapping }, money: this.rounded, dates: this.dates },
      opts.hasData,
    );
    this.header = headerFunction(kind, this.mapper.headerOf);
    // Rows are credited to their owner, or to a unit: a file with neither column says so once.
    const { ownerCode, unitCode } = kind.columns;
    if (
      ownerCode &&
      unitCode &&
      !this.mapper.headerOf.ownerCode &&
      !this.mapper.headerOf.unitCode
    ) {
      const owner = missingColumn(ownerCode, 'ownerCode');
      const unit = missingColumn(unitCode, 'unitCode');
      this.mapper.problems.push({
        column: owner.column,
        code: 'IMPORT_MISSING_OWNER_COLUMN',
        params: { ...owner.params, unit: unit.params!.column!, unitEn: unit.params!.columnEn! },
      });
    }
    this.extIdHeader = this.header('extId');
  }

  /** The header each field was read from. */
  get headerOf(): Partial<Record<string, string>> {
    return this.mapper.headerOf;
  }

  /** Problems with the file itself; final only after the last row (a headerless column with data). */
  get fileProblems(): Problem[] {
    return this.mapper.problems;
  }

  /** Rows in the current chunk. */
  get size(): number {
    return this.count;
  }

  row(cells: RawCell[], row: number): void {
    this.count++;
    const c = this.chunk;
    const problems = c.problems;
    const before = problems.length;
    const record = this.mapper.map(cells, row, problems);
    // A row longer than the header has shifted cells: its one problem says so, nothing more.
    if (problems[before]?.code === 'IMPORT_ROW_TOO_LONG') {
      c.kept.push({ rowNumber: row, cells });
      return;
    }
    if (record.extId !== null) {
      const key = String(record.extId);
      const other = this.firstRow.get(key);
      if (other === undefined) this.firstRow.set(key, row);
      else
        problems.push({
          row,
          column: this.extIdHeader,
          code: 'IMPORT_DUPLICATE_KEY',
          params: { code: key, other },
        });
    }
    const range = this.opts.dateRange;
    if (range && typeof record.date === 'string' && !inFactDateRange(record.date, range)) {
      problems.push({
        row,
        column: this.header('date'),
        code: 'FACT_DATE_OUT_OF_RANGE',
        params: { value: record.date, min: range.min, max: range.max },
      });
      // As an unreadable date: nothing is credited on it (no "no membership on 1999-12-31").
      (record as Record<string, unknown>).date = null;
    }
    const pendingBefore = this.refs.pendingLookups;
    const built = buildRow(this.kind, row, record, this.refs, this.header, problems);
    if (this.opts.keepAll || problems.length > before) c.kept.push({ rowNumber: row, cells });
    if (built === null || problems.length > before) return;
    if (this.refs.pendingLookups !== pendingBefore)
      c.pending.push({ index: c.values.length, row, record });
    c.values.push(built);
    c.rowOf.push(row);
    const today = this.opts.today;
    if (today !== undefined && typeof record.date === 'string' && record.date > today) {
      this.future.count++;
      if (this.future.rows.length < FUTURE_ROWS_NAMED) this.future.rows.push(row);
    }
  }

  take(): PreparedChunk {
    const c = this.chunk;
    this.chunk = emptyChunk();
    this.count = 0;
    return c;
  }
}

/**
 * Thrown (inside the import's transaction, so nothing stays written) when an 'auto' file had
 * dates that read two ways and its other dates decide the order: the import runs again in it.
 */
export class DateFormatDecided extends Error {
  constructor(readonly format: 'MDY' | 'DMY') {
    super(`date format ${format}`);
  }
}

/**
 * After the last row: a file whose dates are both only-MDY and only-DMY is refused (a problem of
 * the file); one whose two-way dates the others decide throws DateFormatDecided.
 */
export function settleDateFormat(tally: DateOrderTally): Problem | null {
  if (tally.format !== 'auto') return null;
  if (tally.mdy !== undefined && tally.dmy !== undefined)
    return { code: 'DATE_FORMAT_MIXED', params: { mdy: tally.mdy, dmy: tally.dmy } };
  if (tally.ambiguous && tally.mdy !== undefined) throw new DateFormatDecided('MDY');
  if (tally.ambiguous && tally.dmy !== undefined) throw new DateFormatDecided('DMY');
  return null;
}

function emptyChunk(): PreparedChunk {
  return { values: [], rowOf: [], problems: [], kept: [], pending: [] };
}

/** The header a field is named by in problems: as bound, else the column's first alias. */
export function headerFunction(
  kind: FactKind,
  headerOf: Partial<Record<string, string>>,
): (field: string) => string {
  return (field) => headerOf[field] ?? kind.columns[field]?.aliases[0] ?? field;
}

/**
 * One record → stored column values, or null when the row has a problem (recorded in `problems`).
 * The kind's own object is completed in place, so every row of a kind has the same keys in the
 * same order.
 */
export function buildRow(
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
 * A chunk's values for the trip between threads. Rows are objects of one shape; sent as they
 * are, the structured clone copies every property of every object (≈ 100 ms for 50,000 order
 * lines). As columns — numbers in an Int32Array or Float64Array (moved, not copied), anything
 * else as one JSON array — they cost a few milliseconds, and `decodeValues` rebuilds the objects
 * in one shape.
 */
export interface EncodedValues {
  n: number;
  keys: string[];
  columns: (Int32Array | Float64Array | string)[];
}

export function encodeValues(values: readonly FactValues[]): EncodedValues {
  const n = values.length;
  const keys = n > 0 ? Object.keys(values[0]!) : [];
  const columns = keys.map((k) => {
    let numeric = true;
    for (let i = 0; i < n && numeric; i++) numeric = typeof values[i]![k] === 'number';
    if (numeric) {
      // Ids and counts as 32-bit integers: read back, they are small integers to V8 as they
      // were, where a double would make every key built from them (`${id}`) slower.
      let int32 = true;
      for (let i = 0; i < n && int32; i++)
        int32 = ((values[i]![k] as number) | 0) === values[i]![k];
      const a = int32 ? new Int32Array(n) : new Float64Array(n);
      for (let i = 0; i < n; i++) a[i] = values[i]![k] as number;
      return a;
    }
    return JSON.stringify(values.map((v) => v[k] ?? null));
  });
  return { n, keys, columns };
}

export function decodeValues(e: EncodedValues): FactValues[] {
  const columns = e.columns.map((c) =>
    typeof c === 'string' ? (JSON.parse(c) as (string | number | null)[]) : c,
  );
  const make = rowMaker(e.keys);
  const out = new Array<FactValues>(e.n);
  for (let i = 0; i < e.n; i++) out[i] = make(columns, i);
  return out;
}

type RowMaker = (
  columns: readonly (Int32Array | Float64Array | readonly (string | number | null)[])[],
  i: number,
) => FactValues;

const makers = new Map<string, RowMaker>();

/**
 * A function building one row object from the columns with every key in one object literal, so
 * all rows share one hidden class from the start (adding keys one by one makes V8 walk a chain of
 * shapes per row). The keys are the kind's own column names, never user input.
 */
function rowMaker(keys: readonly string[]): RowMaker {
  const id = keys.join('\u0001');
  let make = makers.get(id);
  if (!make) {
    const body = keys.map((k, j) => `${JSON.stringify(k)}: c[${j}][i]`).join(', ');
    make = new Function('c', 'i', `return { ${body} };`) as RowMaker;
    makers.set(id, make);
  }
  return make;
}

/** The Float64Arrays of an encoded chunk, to move rather than copy them. */
export function transferables(e: EncodedValues): ArrayBuffer[] {
  return e.columns.flatMap((c) => (typeof c === 'string' ? [] : [c.buffer as ArrayBuffer]));
}
