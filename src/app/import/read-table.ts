import { AppError } from '../../domain/errors.ts';
import { decodeText } from './decode-text.ts';
import { csvRows } from './read-csv.ts';
import { readXlsx } from './read-xlsx.ts';

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
}

export const DEFAULT_MAX_ROWS = 50_000;
export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

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
  reader.eachRow((cells, rowNumber) => rows.push({ rowNumber, cells }));
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
 * a workbook is, because the xlsx reader loads it whole anyway.
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
   * not called beyond the limit. Call it once.
   */
  eachRow(each: (cells: RawCell[], rowNumber: number) => void): number;
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
  const source = await readAnyFormat(buffer, fileName, options.sheetName);
  return {
    headers: source.headers,
    headerRowNumber: source.headerRowNumber,
    sheetName: source.sheetName,
    encoding: source.encoding,
    eachRow(each) {
      let seen = 0;
      const count = source.eachRow((cells, rowNumber) => {
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
    eachRow(each) {
      if (table.rows.length === 0) throw new AppError('IMPORT_EMPTY');
      for (const row of table.rows) each(row.cells, row.rowNumber);
      return table.rows.length;
    },
  };
}

async function readAnyFormat(
  bytes: Buffer,
  fileName: string,
  sheetName: string | undefined,
): Promise<TableReader> {
  const kind = sniffFormat(bytes, fileName);
  if (kind === 'xlsx') return tableReader(await readXlsx(bytes, sheetName));
  if (kind === 'ole') {
    // .xls (BIFF) and password-protected .xlsx are both OLE compound files.
    throw new AppError('IMPORT_FORMAT', {
      reason:
        'old .xls or password-protected workbook; save it as .xlsx or CSV (另存为 .xlsx 或 CSV)',
    });
  }
  if (kind === 'empty') return tableReader({ headers: [], rows: [] });
  const { text, encoding } = decodeText(bytes);
  // Some CRM and ERP systems export an HTML table or Excel 2003 XML and name it .xls.
  if (/^\s*<(?:!doctype|html|table|\?xml)/i.test(text)) {
    throw new AppError('IMPORT_FORMAT', {
      reason:
        'an HTML/XML page named as a spreadsheet; open it in Excel and save as .xlsx (另存为 .xlsx)',
    });
  }
  const csv = csvRows(text);
  return {
    headers: csv.headers,
    headerRowNumber: csv.headerRowNumber,
    encoding,
    eachRow: (each) => csv.eachRow(each),
  };
}

type Format = 'xlsx' | 'ole' | 'text' | 'empty';

function sniffFormat(bytes: Buffer, fileName: string): Format {
  if (bytes.length === 0) return 'empty';
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04)
    return 'xlsx';
  if (bytes.subarray(0, 8).equals(OLE_MAGIC)) return 'ole';
  if (/\.xlsx$/i.test(fileName)) {
    throw new AppError('IMPORT_FORMAT', {
      reason: 'the file is named .xlsx but is not an Excel workbook',
    });
  }
  return 'text';
}

const OLE_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

function toMb(bytes: number): number {
  return Math.round((bytes / 1024 / 1024) * 10) / 10;
}
