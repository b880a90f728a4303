import ExcelJS from 'exceljs';
import { AppError } from '../../domain/errors.ts';
import type { RawCell, RawRow, RawTable } from './read-table.ts';

type Worksheet = ExcelJS.Worksheet;
interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/**
 * Reads one worksheet of an .xlsx workbook: the one named `sheetName`, else the first visible one
 * (hidden sheets usually hold lookup lists for drop-downs, not data).
 */
export async function readXlsx(bytes: Buffer, sheetName?: string): Promise<RawTable> {
  const workbook = new ExcelJS.Workbook();
  try {
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new AppError('IMPORT_FORMAT', {
      reason: `not a readable .xlsx workbook (${e instanceof Error ? e.message : String(e)})`,
    });
  }
  const sheet = pickSheet(workbook, sheetName);
  return readSheet(sheet);
}

function pickSheet(workbook: ExcelJS.Workbook, sheetName: string | undefined): Worksheet {
  const sheets = workbook.worksheets;
  if (sheetName !== undefined) {
    const wanted = sheetName.trim().toLowerCase();
    const found = sheets.find((s) => s.name.trim().toLowerCase() === wanted);
    if (!found) {
      throw new AppError('IMPORT_SHEET_NOT_FOUND', {
        sheet: sheetName,
        available: sheets.map((s) => s.name).join('、'),
      });
    }
    return found;
  }
  const visible = sheets.find((s) => s.state === undefined || s.state === 'visible');
  if (!visible)
    throw new AppError('IMPORT_FORMAT', { reason: 'the workbook has no visible worksheet' });
  return visible;
}

function readSheet(sheet: Worksheet): RawTable {
  const width = sheet.columnCount;
  const merges = sheet.model.merges.map(parseRange).filter((r) => r !== undefined);
  const grid: { rowNumber: number; cells: RawCell[] }[] = [];
  sheet.eachRow({ includeEmpty: false }, (row, rowNumber) => {
    // Cells inside a merged range report the value of its top-left cell, so a region merged down
    // over many data rows reads as that region on every row, as the user sees it.
    const cells: RawCell[] = [];
    for (let c = 1; c <= width; c++) cells.push(toRawCell(row.getCell(c).value));
    if (cells.some((cell) => cell !== null && String(cell).trim() !== ''))
      grid.push({ rowNumber, cells });
  });

  const headerAt = findHeaderIndex(grid);
  const first = grid[headerAt];
  if (!first) return { headers: [], rows: [], headerRowNumber: 1, sheetName: sheet.name };

  // A header cell merged downwards means a two-level header (e.g. 工号 over two rows, 联系人 over
  // 姓名 | 电话). Each column's header joins the distinct texts above it: "联系人-电话".
  const depth = headerDepth(first.rowNumber, merges);
  const headerRows = grid
    .slice(headerAt, headerAt + depth)
    .filter((r) => r.rowNumber < first.rowNumber + depth);
  const headers = Array.from({ length: width }, (_, i) =>
    joinHeader(headerRows.map((r) => r.cells[i] ?? null)),
  );
  const rows: RawRow[] = grid.slice(headerAt + headerRows.length);
  while (
    headers.length > 0 &&
    headers.at(-1) === '' &&
    rows.every((r) => r.cells[headers.length - 1] === null)
  ) {
    headers.pop();
    for (const r of rows) r.cells.pop();
  }
  return { headers, rows, headerRowNumber: first.rowNumber, sheetName: sheet.name };
}

/**
 * The header is the first non-empty row, except that a title above the table ("2025年销售目标",
 * often merged across the table's width) is skipped: a row with a single value followed by a
 * wider row.
 */
function findHeaderIndex(grid: { cells: RawCell[] }[]): number {
  let i = 0;
  while (
    i + 1 < grid.length &&
    distinctValues(grid[i]!.cells) === 1 &&
    distinctValues(grid[i + 1]!.cells) > 1
  ) {
    i++;
  }
  return i;
}

function distinctValues(cells: RawCell[]): number {
  return new Set(cells.filter((c) => c !== null)).size;
}

function headerDepth(headerRow: number, merges: Range[]): number {
  let bottom = headerRow;
  for (const m of merges) if (m.top === headerRow && m.bottom > bottom) bottom = m.bottom;
  return bottom - headerRow + 1;
}

function joinHeader(parts: RawCell[]): string {
  const texts: string[] = [];
  for (const part of parts) {
    const text = part === null ? '' : String(part).trim();
    if (text !== '' && texts.at(-1) !== text) texts.push(text);
  }
  return texts.join('-');
}

function parseRange(range: string): Range | undefined {
  const m = /^\$?([A-Z]+)\$?(\d+):\$?([A-Z]+)\$?(\d+)$/.exec(range);
  if (!m) return undefined;
  return {
    left: columnNumber(m[1]!),
    top: Number(m[2]),
    right: columnNumber(m[3]!),
    bottom: Number(m[4]),
  };
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** Flattens an exceljs cell value into what an importer needs: text, a number, or nothing. */
export function toRawCell(value: ExcelJS.CellValue): RawCell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
  if (value instanceof Date) return isNaN(value.getTime()) ? null : isoDate(value);
  if ('richText' in value) return toRawCell(value.richText.map((run) => run.text).join(''));
  if ('hyperlink' in value) return toRawCell(value.text as ExcelJS.CellValue);
  if ('formula' in value || 'sharedFormula' in value) return toRawCell(value.result ?? null);
  if ('error' in value) return value.error;
  return null;
}

/**
 * Excel stores dates as day numbers without a time zone and exceljs hands them over as Date at
 * UTC midnight, so the UTC parts are the date the user typed, whatever the server's time zone.
 */
function isoDate(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}
