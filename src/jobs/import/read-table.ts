import { AppError } from '../../domain/errors.ts';
import { decodeText } from './decode-text.ts';
import { readCsv } from './read-csv.ts';
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
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxRows = options.maxRows ?? DEFAULT_MAX_ROWS;
  if (buffer.length > maxBytes) {
    throw new AppError('IMPORT_TOO_LARGE', { size: toMb(buffer.length), max: toMb(maxBytes) });
  }

  const table = await readAnyFormat(buffer, fileName, options.sheetName);
  if (table.rows.length === 0) throw new AppError('IMPORT_EMPTY');
  if (table.rows.length > maxRows) {
    throw new AppError('IMPORT_TOO_MANY_ROWS', { count: table.rows.length, max: maxRows });
  }
  return table;
}

async function readAnyFormat(
  bytes: Buffer,
  fileName: string,
  sheetName: string | undefined,
): Promise<RawTable> {
  const kind = sniffFormat(bytes, fileName);
  if (kind === 'xlsx') return readXlsx(bytes, sheetName);
  if (kind === 'ole') {
    // .xls (BIFF) and password-protected .xlsx are both OLE compound files.
    throw new AppError('IMPORT_FORMAT', {
      reason:
        'old .xls or password-protected workbook; save it as .xlsx or CSV (另存为 .xlsx 或 CSV)',
    });
  }
  if (kind === 'empty') return { headers: [], rows: [] };
  const { text, encoding } = decodeText(bytes);
  // Some CRM and ERP systems export an HTML table or Excel 2003 XML and name it .xls.
  if (/^\s*<(?:!doctype|html|table|\?xml)/i.test(text)) {
    throw new AppError('IMPORT_FORMAT', {
      reason:
        'an HTML/XML page named as a spreadsheet; open it in Excel and save as .xlsx (另存为 .xlsx)',
    });
  }
  return { ...readCsv(text), encoding };
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
