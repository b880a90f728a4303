import { AppError } from '../../domain/errors.ts';
import { decodeText } from './decode-text.ts';
import { csvRowsYielding } from './read-csv.ts';
import { DEFAULT_XLSX_LIMITS, readXlsx } from './read-xlsx.ts';

export type RawCell = string | number | null;

export interface RawRow {
  /** 1-based row number as the user sees it in Excel (the header row is usually 1). */
  rowNumber: number;
  /** At least one cell per header; a CSV row may have more, which validation reports. */
  cells: RawCell[];
}

export interface RawTable {
  /** Header texts as written in the file (trimmed); '' for a column without a header. */
  headers: string[];
  /** Non-empty data rows only; blank rows are skipped but still counted in `rowNumber`. */
  rows: RawRow[];
  /** Row number of the header row; 1 unless the file starts with blank or title rows. */
  headerRowNumber?: number;
  sheetName?: string;
  encoding?: string;
}

export interface ReadTableOptions {
  /** Worksheet to read from a workbook; default the first visible one. */
  sheetName?: string;
  /** Most data rows accepted (default 50 000). */
  maxRows?: number;
  /** Largest file accepted, in bytes (default 20 MB). */
  maxBytes?: number;
  /** Most columns of a workbook (default 256, the old Excel's IV). */
  maxColumns?: number;
}

export const DEFAULT_MAX_ROWS = 50_000;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
/** Rows between two turns of the event loop while rows are handed out (≈ a few ms of checks). */
export const YIELD_ROWS = 1_000;

/** Lets other requests run: a macrotask turn, not a microtask (those never let I/O in). */
export function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Reads an uploaded spreadsheet into header texts and raw cells. The format is sniffed from the
 * bytes rather than trusted from the name, because users rename files (an .xlsx saved as
 * "客户.csv" is common). Typing and validation of cells is `mapTable`'s job.
 */
export async function readTable(
  buffer: Buffer,
  fileName: string,
  options: ReadTableOptions = {},
): Promise<RawTable> {
  const reader = await openTable(buffer, fileName, options);
  const rows: RawRow[] = [];
  await reader.eachRow((cells, rowNumber) => rows.push({ rowNumber, cells }));
  const { headers, headerRowNumber, sheetName, encoding } = reader;
  return {
    headers,
    rows,
    ...(headerRowNumber !== undefined ? { headerRowNumber } : {}),
    ...(sheetName !== undefined ? { sheetName } : {}),
    ...(encoding !== undefined ? { encoding } : {}),
  };
}

/**
 * A table read row by row: the headers at once, the data rows when asked for. A CSV is never
 * materialised as rows (an importer that keeps only what it needs from each row stays small);
 * a workbook's rows with values are (a merged range's value is known only at the sheet's end),
 * within the row and column limits enforced while it is read.
 */
export interface TableReader {
  headers: string[];
  headerRowNumber?: number;
  sheetName?: string;
  encoding?: string;
  /**
   * Calls `each` with every data row in order (blank rows skipped, still counted in row numbers)
   * and returns how many there were. Throws IMPORT_EMPTY when there are none and
   * IMPORT_TOO_MANY_ROWS, after counting them all, when there are more than allowed; `each` is
   * not called beyond the limit. Every YIELD_ROWS rows it lets the event loop turn, so a large
   * file read and checked in line never stalls other requests. Call it once.
   */
  eachRow(each: (cells: RawCell[], rowNumber: number) => void): Promise<number>;
}

/** `readTable`'s checks and format sniffing, without reading the rows yet. */
export async function openTable(
  buffer: Buffer,
  fileName: string,
  options: ReadTableOptions = {},
): Promise<TableReader> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (buffer.length > maxBytes) {
    throw new AppError('IMPORT_TOO_LARGE', { size: toMb(buffer.length), max: toMb(maxBytes) });
  }
  const source = await readAnyFormat(buffer, fileName, {
    sheetName: options.sheetName,
    maxRows,
    maxColumns: options.maxColumns ?? DEFAULT_XLSX_LIMITS.maxColumns,
  });
  return {
    headers: source.headers,
    headerRowNumber: source.headerRowNumber,
    sheetName: source.sheetName,
    encoding: source.encoding,
    async eachRow(each) {
      let seen = 0;
      const count = await source.eachRow((cells, rowNumber) => {
        if (++seen <= maxRows) each(cells, rowNumber);
      });
      if (count === 0) throw new AppError('IMPORT_EMPTY');
      if (count > maxRows) throw new AppError('IMPORT_TOO_MANY_ROWS', { count, max: maxRows });
      return count;
    },
  };
}

/** A table already in memory (a JSON batch, a parsed workbook) as a reader. */
export function tableReader(table: RawTable): TableReader {
  return {
    headers: table.headers,
    headerRowNumber: table.headerRowNumber,
    sheetName: table.sheetName,
    encoding: table.encoding,
    async eachRow(each) {
      if (table.rows.length === 0) throw new AppError('IMPORT_EMPTY');
      let n = 0;
      for (const row of table.rows) {
        each(row.cells, row.rowNumber);
        if (++n % YIELD_ROWS === 0) await yieldToEventLoop();
      }
      return table.rows.length;
    },
  };
}

async function readAnyFormat(
  bytes: Buffer,
  fileName: string,
  opts: { sheetName: string | undefined; maxRows: number; maxColumns: number },
): Promise<TableReader> {
  const kind = sniffFormat(bytes, fileName);
  if (kind === 'xlsx') {
    const limits = { ...DEFAULT_XLSX_LIMITS, maxRows: opts.maxRows, maxColumns: opts.maxColumns };
    return tableReader(await readXlsx(bytes, opts.sheetName, limits));
  }
  // .xls (BIFF) and password-protected .xlsx are both OLE compound files.
  if (kind === 'ole') throw new AppError('IMPORT_FORMAT', { reason: 'xls_or_encrypted' });
  if (kind === 'empty') return tableReader({ headers: [], rows: [] });
  const { text, encoding } = decodeText(bytes);
  // Some CRM and ERP systems export an HTML table or Excel 2003 XML and name it .xls.
  if (/^\s*<(?:!doctype|html|table|\?xml)/i.test(text)) {
    throw new AppError('IMPORT_FORMAT', { reason: 'html_or_xml' });
  }
  const csv = await csvRowsYielding(text);
  return {
    headers: csv.headers,
    headerRowNumber: csv.headerRowNumber,
    encoding,
    eachRow: (each) => csv.eachRowYielding(each, YIELD_ROWS),
  };
}

type Format = 'xlsx' | 'ole' | 'text' | 'empty';

function sniffFormat(bytes: Buffer, fileName: string): Format {
  if (bytes.length === 0) return 'empty';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    return 'xlsx';
  if (bytes.subarray(0, 8).equals(OLE_MAGIC)) return 'ole';
  if (/\.xlsx$/i.test(fileName)) throw new AppError('IMPORT_FORMAT', { reason: 'named_xlsx' });
  return 'text';
}

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function toMb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}
