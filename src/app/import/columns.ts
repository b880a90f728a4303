import { isAppError, type Problem } from '../../domain/errors.ts';
import { headerKey } from '../../domain/text-keys.ts';
import {
  cellParser,
  fold,
  isBlank,
  type DateOrderTally,
  type MoneyRoundingTally,
  type MoneyScale,
} from './parse-cell.ts';

export { headerKey };
import type { RawCell, RawTable } from './read-table.ts';

interface ColumnBase {
  /** Header spellings users write, Chinese first: the first one names the column in messages. */
  readonly aliases: readonly string[];
  readonly required?: boolean;
}

export type ColumnDef =
  | (ColumnBase & {
      /**
       * string: trimmed text · integer / number: plain numbers · money: fen · percent: basis
       * points · date: 'YYYY-MM-DD' · boolean: 是/否, yes/no, true/false, 1/0.
       */
      readonly type: 'string' | 'integer' | 'number' | 'money' | 'percent' | 'date' | 'boolean';
    })
  | (ColumnBase & {
      readonly type: 'enum';
      /** Stored value → the words users write for it (matched case-insensitively, as is the key). */
      readonly values: Readonly<Record<string, readonly string[]>>;
    });

export type Columns = Readonly<Record<string, ColumnDef>>;

export type ColumnValue<D extends ColumnDef> = D extends { type: 'enum'; values: infer V }
  ? Extract<keyof V, string>
  : D['type'] extends 'string' | 'date'
    ? string
    : D['type'] extends 'boolean'
      ? boolean
      : number;

/** Every field is null when its cell is empty, its column is absent, or its cell is invalid. */
export type RowValues<C extends Columns> = { -readonly [K in keyof C]: ColumnValue<C[K]> | null };

export interface MappedRecord<C extends Columns> {
  rowNumber: number;
  values: RowValues<C>;
}

export interface MapTableOptions {
  /**
   * A saved mapping from header text (as in the file) to field, overriding aliases. null ignores
   * the column. Entries naming a field that is not (or no longer) defined are ignored.
   */
  mapping?: Readonly<Record<string, string | null>>;
  /** Columns matching no field: reported (default) or skipped. */
  unknownColumns?: 'error' | 'ignore';
  /** Amounts finer than a fen: refused (default) or rounded, counted in the tally. */
  money?: MoneyRoundingTally;
  /** The file's date format ('auto' learns it in the tally); without it, year-first dates only. */
  dates?: DateOrderTally;
}

export interface MappedTable<C extends Columns> {
  /** One record per data row, bad rows included (with null in the bad cells). */
  records: MappedRecord<C>[];
  /** Every problem found; an importer applies nothing unless this is empty. */
  problems: Problem[];
  /** The header each field was read from, as written in the file; absent when not in the file. */
  headerOf: Partial<Record<keyof C & string, string>>;
}

/**
 * Declares the columns an importer reads. Inference keeps the literal types, so `mapTable` knows
 * that a date column yields a string and an enum column the union of its keys. Two fields sharing
 * an alias is a programming error and throws at once.
 */
export function defineColumns<const C extends Columns>(columns: C): C {
  aliasIndex(columns);
  return columns;
}

/**
 * Matches the table's headers to the declared columns and types every cell. It never stops at the
 * first problem: a user fixing a file wants the whole list, each with its row and header.
 */
export function mapTable<const C extends Columns>(
  table: RawTable,
  columns: C,
  opts: MapTableOptions = {},
): MappedTable<C> {
  const mapper = bindColumns(table.headers, table.headerRowNumber ?? 1, columns, opts, (index) =>
    table.rows.some((r) => !isBlank(r.cells[index])),
  );
  const problems = mapper.problems;
  const records = table.rows.map(({ rowNumber, cells }) => ({
    rowNumber,
    values: mapper.map(cells, rowNumber, problems),
  }));
  return { records, problems, headerOf: mapper.headerOf };
}

/** The headers bound to the columns: types one row at a time (`mapTable` without the table). */
export interface RowMapper<C extends Columns> {
  /** The header each field was read from, as written in the file; absent when not in the file. */
  headerOf: Partial<Record<keyof C & string, string>>;
  /**
   * Problems with the file itself (unknown, duplicate or missing columns). A column without a
   * header is reported here when `map` first meets a cell of it holding data, unless the binding
   * was told up front.
   */
  problems: Problem[];
  /** Types one row's cells; every problem goes to `problems` with the row and header. */
  map(cells: readonly RawCell[], rowNumber: number, problems: Problem[]): RowValues<C>;
}

/**
 * Binds the headers to the columns once per file: each bound column gets its parser (an enum's
 * aliases folded once, repeated texts parsed once), and every record starts as a copy of one
 * all-null template, so records share one shape.
 */
export function bindColumns<const C extends Columns>(
  headers: readonly string[],
  headerRow: number,
  columns: C,
  opts: MapTableOptions = {},
  /** Whether a column without a header holds data; unknown (checked row by row) when omitted. */
  hasData?: (index: number) => boolean,
): RowMapper<C> {
  const problems: Problem[] = [];
  const bound = bindHeaders(headers, columns, opts, headerRow, problems, hasData);
  for (const [field, def] of Object.entries(columns)) {
    if (def.required && !bound.some((b) => b.field === field)) {
      problems.push(missingColumn(def, field));
    }
  }
  const headerOf: Partial<Record<string, string>> = {};
  for (const b of bound) headerOf[b.field] = b.header;

  const template: Record<string, unknown> = {};
  for (const f of Object.keys(columns)) template[f] = null;
  const parsers = bound.map((b) =>
    cellParser(b.def, b.scale, { money: opts.money, dates: opts.dates }),
  );
  // Headerless columns still to watch for data (only when not told up front).
  const unheaded =
    hasData || opts.unknownColumns === 'ignore'
      ? []
      : headers.flatMap((h, i) => (h.trim() === '' ? [i] : []));
  const width = headers.length;

  return {
    headerOf,
    problems,
    map(cells, rowNumber, rowProblems) {
      const values = { ...template };
      if (cells.length > width) {
        let lastFilled = cells.length - 1;
        while (lastFilled >= width && isBlank(cells[lastFilled])) lastFilled--;
        if (lastFilled >= width) {
          rowProblems.push({
            row: rowNumber,
            code: 'IMPORT_ROW_TOO_LONG',
            params: { row: rowNumber, expected: width, actual: lastFilled + 1 },
          });
          // Its cells are shifted (an unquoted "¥31,000" split in two): reading them would only
          // add errors about the wrong columns.
          return values as RowValues<C>;
        }
      }
      for (let i = 0; i < unheaded.length; i++) {
        const index = unheaded[i]!;
        if (isBlank(cells[index])) continue;
        const letter = columnLetter(index);
        problems.push({
          row: headerRow,
          column: letter,
          code: 'IMPORT_UNKNOWN_COLUMN',
          params: { column: letter },
        });
        unheaded.splice(i--, 1);
      }
      for (let b = 0; b < bound.length; b++) {
        const { index, field, header, def } = bound[b]!;
        const raw = cells[index];
        if (raw === undefined || raw === null || isBlank(raw)) {
          if (def.required) rowProblems.push({ row: rowNumber, column: header, code: 'REQUIRED' });
          continue;
        }
        try {
          values[field] = parsers[b]!(raw);
        } catch (e) {
          if (!isAppError(e)) throw e;
          rowProblems.push({ row: rowNumber, column: header, code: e.code, params: e.params });
        }
      }
      return values as RowValues<C>;
    },
  };
}

/**
 * A required column the file lacks, named in both languages: `column` (the Chinese alias, as
 * the problem's column) and `columnEn` (the English alias, the second by convention) for an
 * English message.
 */
export function missingColumn(def: ColumnDef, field: string): Problem {
  const name = def.aliases[0] ?? field;
  const en = def.aliases.find((a) => /^[\x20-\x7e]+$/.test(a)) ?? field;
  return {
    column: name,
    code: 'IMPORT_REQUIRED_COLUMN_MISSING',
    params: { column: name, columnEn: en },
  };
}

/**
 * Reports every repeat of a key (a member code, an order number) on the row that repeats it,
 * pointing to the first row that has it. Empty keys are left to the REQUIRED check.
 */
export function checkUniqueKey<C extends Columns>(
  records: readonly MappedRecord<C>[],
  field: keyof C & string,
  header: string,
): Problem[] {
  const firstRow = new Map<string, number>();
  const problems: Problem[] = [];
  for (const { rowNumber, values } of records) {
    const value = values[field];
    if (value === null) continue;
    const key = String(value);
    const other = firstRow.get(key);
    if (other === undefined) firstRow.set(key, rowNumber);
    else
      problems.push({
        row: rowNumber,
        column: header,
        code: 'IMPORT_DUPLICATE_KEY',
        params: { code: key, other },
      });
  }
  return problems;
}

interface BoundColumn {
  index: number;
  field: string;
  header: string;
  def: ColumnDef;
  scale: MoneyScale;
}

function bindHeaders(
  headers: readonly string[],
  columns: Columns,
  opts: MapTableOptions,
  headerRow: number,
  problems: Problem[],
  hasData: ((index: number) => boolean) | undefined,
): BoundColumn[] {
  const byAlias = aliasIndex(columns);
  const mapping = new Map<string, string | null>();
  for (const [header, field] of Object.entries(opts.mapping ?? {})) {
    if (field === null || Object.hasOwn(columns, field)) mapping.set(headerKey(header).key, field);
  }

  const bound: BoundColumn[] = [];
  headers.forEach((header, index) => {
    if (header.trim() === '') {
      // Without `hasData` the row mapper reports it when it meets the data.
      if (hasData?.(index) && opts.unknownColumns !== 'ignore') {
        const letter = columnLetter(index);
        problems.push({
          row: headerRow,
          column: letter,
          code: 'IMPORT_UNKNOWN_COLUMN',
          params: { column: letter },
        });
      }
      return;
    }
    const { key, suffix } = headerKey(header);
    const field = mapping.has(key) ? mapping.get(key) : byAlias.get(key);
    if (field === null) return;
    const def = field === undefined ? undefined : columns[field];
    if (field === undefined || def === undefined) {
      if (opts.unknownColumns !== 'ignore') {
        problems.push({
          row: headerRow,
          column: header,
          code: 'IMPORT_UNKNOWN_COLUMN',
          params: { column: header },
        });
      }
      return;
    }
    const earlier = bound.find((b) => b.field === field);
    if (earlier) {
      problems.push({
        row: headerRow,
        column: header,
        code: 'IMPORT_DUPLICATE_COLUMN',
        params: { column: header, other: earlier.header },
      });
      return;
    }
    const scale = def.type === 'money' ? moneyScale(suffix) : '';
    if (scale === undefined) {
      problems.push({
        row: headerRow,
        column: header,
        code: 'IMPORT_UNIT_UNSUPPORTED',
        params: { column: header, unit: suffix },
      });
      return;
    }
    bound.push({ index, field, header, def, scale });
  });
  return bound;
}

/** 元 (or no unit) → ''; 万元 / 亿元 → that scale; any other unit cannot be read exactly. */
function moneyScale(suffix: string): MoneyScale | undefined {
  const unit = fold(suffix);
  if (unit.includes('万')) return '万';
  if (unit.includes('亿')) return '亿';
  if (/千|百|usd|\$|美元|港币|hkd|eur|€/.test(unit)) return undefined;
  return '';
}

function aliasIndex(columns: Columns): Map<string, string> {
  const index = new Map<string, string>();
  for (const [field, def] of Object.entries(columns)) {
    for (const alias of [field, ...def.aliases]) {
      const { key } = headerKey(alias);
      const owner = index.get(key);
      if (owner !== undefined && owner !== field) {
        throw new Error(`Columns "${owner}" and "${field}" both claim the header "${alias}"`);
      }
      index.set(key, field);
    }
  }
  return index;
}

/** 0 → 'A', 25 → 'Z', 26 → 'AA': how Excel names a column without a header. */
export function columnLetter(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    letters = String.fromCharCode(65 + rem) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}
