import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { AppError } from '../../domain/errors.ts';
import type { RawCell, RawRow, RawTable } from './read-table.ts';
import { entryText, ZipBroken, zipEntries, type ZipEntry } from './zip-entries.ts';

export interface XlsxLimits {
  /** Most data rows (the caller checks the exact count; this stops the reading well past it). */
  maxRows: number;
  /** Most columns: a value beyond this column refuses the file at once. */
  maxColumns: number;
  /** Most bytes the sheet's XML may inflate to. */
  maxSheetBytes: number;
  /** Most bytes the shared strings may inflate to (they are kept in memory). */
  maxSharedStringBytes: number;
}

export const DEFAULT_XLSX_LIMITS: XlsxLimits = {
  maxRows: 50_000,
  maxColumns: 256,
  maxSheetBytes: 128 * 1024 * 1024,
  maxSharedStringBytes: 64 * 1024 * 1024,
};

/**
 * Rows past the row limit that the reading tolerates before it gives up: title, header and blank
 * rows above the data are not data rows. The exact count is checked once the header is known.
 */
const HEADER_SLACK = 100;
/** Cells a sheet's merged ranges may fill in all (a merge copies its top-left value). */
const MAX_MERGED_CELLS = 1_000_000;
/** Parsed characters between two turns of the event loop for other requests. */
const YIELD_EVERY = 256 * 1024;

interface Range {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

interface SheetRef {
  name: string;
  visible: boolean;
  path: string | undefined;
}

/**
 * Reads one worksheet of an .xlsx workbook: the one named `sheetName`, else the first visible one
 * (hidden sheets usually hold lookup lists for drop-downs, not data).
 *
 * The workbook is read as a stream — the zip's entries are inflated piece by piece and the XML
 * parsed as it comes, yielding to the event loop every few hundred kilobytes — and the limits
 * are enforced while reading: the sheet's used range (`<dimension>`) first, then every value's
 * column and the count of rows with values, then the inflated size. A file over a limit is
 * refused as soon as that is known, never after loading it whole. Only cells with values are
 * kept, so a stray value in column XFD costs one cell, not 16,384 per row.
 */
export async function readXlsx(
  bytes: Buffer,
  sheetName?: string,
  limits: XlsxLimits = DEFAULT_XLSX_LIMITS,
): Promise<RawTable> {
  try {
    return await readWorkbook(bytes, sheetName, limits);
  } catch (e) {
    if (e instanceof ZipBroken || e instanceof XmlBroken) {
      // The parser's own words are for the log, not for the user (it is English and technical).
      throw new AppError('IMPORT_FORMAT', { reason: 'xlsx_broken' });
    }
    throw e;
  }
}

class XmlBroken extends Error {}

async function readWorkbook(
  bytes: Buffer,
  sheetName: string | undefined,
  limits: XlsxLimits,
): Promise<RawTable> {
  const entries = zipEntries(bytes);
  const workbookEntry = entries.get('xl/workbook.xml');
  if (!workbookEntry) throw new AppError('IMPORT_FORMAT', { reason: 'zip_not_workbook' });
  const small = (entry: ZipEntry | undefined) =>
    entry ? xmlElements(bytes, entry, limits.maxSharedStringBytes) : undefined;

  // Worksheets only: a chart sheet is a sheet of the workbook but holds no cells.
  const worksheets = new Map<string, string>();
  let sharedStringsPath = 'xl/sharedStrings.xml';
  let stylesPath = 'xl/styles.xml';
  for await (const el of small(entries.get('xl/_rels/workbook.xml.rels')) ?? []) {
    if (el.name !== 'Relationship') continue;
    const target = resolveTarget(el.attributes.Target ?? '');
    const type = el.attributes.Type ?? '';
    if (type.endsWith('/worksheet')) worksheets.set(el.attributes.Id ?? '', target);
    if (type.endsWith('/sharedStrings')) sharedStringsPath = target;
    if (type.endsWith('/styles')) stylesPath = target;
  }
  const sheets: SheetRef[] = [];
  let date1904 = false;
  for await (const el of small(workbookEntry) ?? []) {
    if (el.name === 'workbookPr') date1904 = isTrue(el.attributes.date1904);
    if (el.name !== 'sheet') continue;
    const state = el.attributes.state;
    const rid = el.attributes['r:id'] ?? relId(el.attributes);
    if (rid === undefined || !worksheets.has(rid)) continue;
    sheets.push({
      name: el.attributes.name ?? '',
      visible: state === undefined || state === 'visible',
      path: worksheets.get(rid),
    });
  }
  const sheet = pickSheet(sheets, sheetName);
  const sheetEntry = sheet.path === undefined ? undefined : entries.get(sheet.path);
  if (!sheetEntry) throw new AppError('IMPORT_FORMAT', { reason: 'zip_not_workbook' });

  // The used range sits at the top of the sheet: checked before anything else is unpacked.
  checkDimension(await sheetDimension(bytes, sheetEntry), sheet.name, limits);
  const dateStyles = await readDateStyles(small(entries.get(stylesPath)));
  const strings = await readSharedStrings(bytes, entries.get(sharedStringsPath), limits);
  const grid = await readSheetRows(bytes, sheetEntry, sheet.name, limits, {
    strings,
    dateStyles,
    date1904,
  });
  return toTable(grid, sheet.name);
}

function pickSheet(sheets: SheetRef[], sheetName: string | undefined): SheetRef {
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
  const visible = sheets.find((s) => s.visible);
  if (!visible) throw new AppError('IMPORT_FORMAT', { reason: 'no_visible_sheet' });
  return visible;
}

interface Element {
  name: string;
  attributes: Record<string, string>;
}

/** The opening tags of a small XML part (prefixes dropped), for the workbook, its rels and styles. */
async function* xmlElements(bytes: Buffer, entry: ZipEntry, maxBytes: number) {
  const found: Element[] = [];
  const parser = xmlParser();
  parser.on('opentag', (tag) =>
    found.push({ name: localName(tag.name), attributes: tag.attributes }),
  );
  for await (const text of entryText(bytes, entry, maxBytes, unpackedTooLarge)) {
    write(parser, text);
    yield* found.splice(0);
  }
  close(parser);
  yield* found.splice(0);
}

/**
 * Styles whose number format is a date: numbers in such cells are dates (Excel stores a date as
 * its day number). Built-in formats 14–22, 27–36, 45–47 and 50–58 are dates and times (the
 * Chinese built-ins among them); a custom format is one if it has date or time letters outside
 * quotes and brackets.
 */
async function readDateStyles(elements: AsyncIterable<Element> | undefined): Promise<Set<number>> {
  const custom = new Map<number, string>();
  const dates = new Set<number>();
  if (!elements) return dates;
  let inXfs = false;
  let index = 0;
  for await (const el of elements) {
    if (el.name === 'numFmt')
      custom.set(Number(el.attributes.numFmtId), el.attributes.formatCode ?? '');
    // cellXfs follows numFmts and cellStyleXfs; its xf elements are what cells' s attributes index.
    if (el.name === 'cellXfs') inXfs = true;
    else if (el.name === 'cellStyles' || el.name === 'dxfs') inXfs = false;
    if (el.name === 'xf' && inXfs) {
      const id = Number(el.attributes.numFmtId ?? 0);
      const format = custom.get(id);
      if (format !== undefined ? isDateFormat(format) : isBuiltinDate(id)) dates.add(index);
      index++;
    }
  }
  return dates;
}

function isBuiltinDate(id: number): boolean {
  return (
    (id >= 14 && id <= 22) ||
    (id >= 27 && id <= 36) ||
    (id >= 45 && id <= 47) ||
    (id >= 50 && id <= 58)
  );
}

function isDateFormat(format: string): boolean {
  const bare = format.replace(/\[[^\]]*]/g, '').replace(/"[^"]*"/g, '');
  return /[ymdhsb]/i.test(bare.replace(/General/gi, ''));
}

/** Shared strings in order: a rich text's runs joined, phonetic guides (rPh) left out. */
async function readSharedStrings(
  bytes: Buffer,
  entry: ZipEntry | undefined,
  limits: XlsxLimits,
): Promise<string[]> {
  const strings: string[] = [];
  if (!entry) return strings;
  const parser = xmlParser();
  let text: string | null = null;
  let inT = false;
  let phonetic = 0;
  parser.on('opentag', (tag) => {
    const name = localName(tag.name);
    if (name === 'si') text = '';
    else if (name === 'rPh') phonetic++;
    else if (name === 't' && phonetic === 0) inT = !tag.isSelfClosing;
  });
  parser.on('text', (t) => {
    if (inT && text !== null) text += t;
  });
  parser.on('closetag', (tag) => {
    const name = localName(tag.name);
    if (name === 't') inT = false;
    else if (name === 'rPh') phonetic--;
    else if (name === 'si') {
      strings.push(text ?? '');
      text = null;
    }
  });
  let since = 0;
  for await (const t of entryText(bytes, entry, limits.maxSharedStringBytes, unpackedTooLarge)) {
    write(parser, t);
    since += t.length;
    if (since >= YIELD_EVERY) {
      since = 0;
      await turn();
    }
  }
  close(parser);
  return strings;
}

interface CellContext {
  strings: string[];
  dateStyles: Set<number>;
  date1904: boolean;
}

interface Grid {
  /** Rows with at least one value, in file order; cells by 0-based column (sparse). */
  rows: { rowNumber: number; cells: RawCell[] }[];
  merges: Range[];
  /** The widest column with a value. */
  width: number;
}

async function readSheetRows(
  bytes: Buffer,
  entry: ZipEntry,
  sheetName: string,
  limits: XlsxLimits,
  ctx: CellContext,
): Promise<Grid> {
  const grid: Grid = { rows: [], merges: [], width: 0 };
  const parser = xmlParser();
  const maxRows = limits.maxRows + HEADER_SLACK;
  let row: { rowNumber: number; cells: RawCell[]; any: boolean } | null = null;
  let lastRow = 0;
  let cell: { col: number; type: string; style: number; value: string | null } | null = null;
  let lastCol = 0;
  let text: 'v' | 't' | null = null;
  let phonetic = 0;
  let failure: unknown = null;

  const onOpen = (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const a = tag.attributes;
    switch (name) {
      case 'dimension':
        checkDimension(a.ref, sheetName, limits);
        break;
      case 'row': {
        const r = a.r === undefined ? lastRow + 1 : Number(a.r);
        if (!Number.isInteger(r) || r < 1) throw new XmlBroken('row number');
        lastRow = r;
        lastCol = 0;
        row = { rowNumber: r, cells: [], any: false };
        break;
      }
      case 'c': {
        const col = a.r === undefined ? lastCol + 1 : cellColumn(a.r);
        lastCol = col;
        cell = { col, type: a.t ?? 'n', style: Number(a.s ?? 0), value: null };
        break;
      }
      case 'v':
        if (cell) text = 'v';
        break;
      case 'rPh':
        phonetic++;
        break;
      case 't':
        // Inline strings: <is><t>…</t></is>, or rich runs <is><r><t>…</t></r></is>.
        if (cell && phonetic === 0) text = 't';
        break;
      case 'mergeCell': {
        const range = parseRange(a.ref ?? '');
        if (range) grid.merges.push(range);
        break;
      }
    }
  };
  const onText = (t: string) => {
    if (text && cell) cell.value = (cell.value ?? '') + t;
  };
  const onClose = (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    if (name === 'v' || name === 't') text = null;
    else if (name === 'rPh') phonetic--;
    else if (name === 'c' && cell && row) {
      const value = cellValue(cell, ctx);
      if (hasText(value)) {
        if (cell.col > limits.maxColumns)
          throw new AppError('IMPORT_TOO_MANY_COLUMNS', {
            cell: `${columnLetters(cell.col)}${row.rowNumber}`,
            max: limits.maxColumns,
            last: columnLetters(limits.maxColumns),
          });
        row.any = true;
      }
      if (value !== null && cell.col <= limits.maxColumns) {
        row.cells[cell.col - 1] = value;
        if (cell.col > grid.width) grid.width = cell.col;
      }
      cell = null;
    } else if (name === 'row' && row) {
      // A row of blank cells is dropped here; a merge that covers it brings it back (applyMerges).
      if (row.any) {
        grid.rows.push({ rowNumber: row.rowNumber, cells: row.cells });
        if (grid.rows.length > maxRows)
          throw new AppError('IMPORT_ROWS_OVER_LIMIT', { max: limits.maxRows, row: row.rowNumber });
      }
      row = null;
    }
  };
  // A throw inside a handler would leave saxes half-way; keep the first one and stop feeding.
  const guard =
    <A extends unknown[]>(f: (...args: A) => void) =>
    (...args: A) => {
      if (failure !== null) return;
      try {
        f(...args);
      } catch (e) {
        failure = e;
      }
    };
  parser.on('opentag', guard(onOpen));
  parser.on('text', guard(onText));
  parser.on('closetag', guard(onClose));

  let since = 0;
  for await (const t of entryText(bytes, entry, limits.maxSheetBytes, unpackedTooLarge)) {
    write(parser, t);
    if (failure !== null) throw failure;
    since += t.length;
    if (since >= YIELD_EVERY) {
      since = 0;
      await turn();
    }
  }
  close(parser);
  if (failure !== null) throw failure;
  applyMerges(grid, sheetName, limits);
  grid.rows.sort((a, b) => a.rowNumber - b.rowNumber);
  grid.rows = grid.rows.filter((r) => r.cells.some(hasText));
  return grid;
}

/** The `<dimension ref>` of a sheet, from the first piece of its XML (where Excel writes it). */
async function sheetDimension(bytes: Buffer, entry: ZipEntry): Promise<string | undefined> {
  let head = '';
  for await (const text of entryText(bytes, entry, Infinity, unpackedTooLarge)) {
    head += text;
    const m = /<(?:\w+:)?dimension\s[^>]*?ref="([^"]*)"/.exec(head);
    if (m) return m[1];
    // The dimension comes before the rows; once they start, there is none.
    if (/<(?:\w+:)?sheetData[\s>/]/.test(head) || head.length > CHUNK_HEAD) return undefined;
  }
  return undefined;
}

const CHUNK_HEAD = 64 * 1024;

/**
 * A used range wider or longer than the limits refuses the sheet before its rows are read. The
 * range is Excel's own (what Ctrl+End reaches), so a sheet with formatted but empty cells far out
 * is refused too; the message says to delete those rows and columns.
 */
function checkDimension(ref: string | undefined, sheet: string, limits: XlsxLimits): void {
  const range =
    ref === undefined ? undefined : parseRange(ref.includes(':') ? ref : `${ref}:${ref}`);
  if (!range) return;
  if (range.right > limits.maxColumns || range.bottom - range.top > limits.maxRows + HEADER_SLACK) {
    throw new AppError('IMPORT_SHEET_TOO_LARGE', {
      sheet,
      range: ref!,
      maxRows: limits.maxRows,
      maxColumns: limits.maxColumns,
    });
  }
}

/**
 * Cells inside a merged range read as its top-left cell's value, so a region merged down over
 * many data rows reads as that region on every row, as the user sees it. Ranges are cut to the
 * rows and columns that hold values.
 */
function applyMerges(grid: Grid, sheet: string, limits: XlsxLimits): void {
  if (grid.merges.length === 0) return;
  const byNumber = new Map(grid.rows.map((r) => [r.rowNumber, r]));
  const lastRow = grid.rows.reduce(
    (m, r) => (r.cells.length > 0 ? Math.max(m, r.rowNumber) : m),
    0,
  );
  let filled = 0;
  for (const m of grid.merges) {
    const value = byNumber.get(m.top)?.cells[m.left - 1] ?? null;
    if (value === null) continue;
    const right = Math.min(m.right, limits.maxColumns);
    const bottom = Math.min(m.bottom, lastRow);
    filled += (bottom - m.top + 1) * (right - m.left + 1);
    if (filled > MAX_MERGED_CELLS)
      throw new AppError('IMPORT_SHEET_TOO_LARGE', {
        sheet,
        range: `${columnLetters(m.left)}${m.top}:${columnLetters(m.right)}${m.bottom}`,
        maxRows: limits.maxRows,
        maxColumns: limits.maxColumns,
      });
    for (let r = m.top; r <= bottom; r++) {
      let row = byNumber.get(r);
      if (!row) {
        row = { rowNumber: r, cells: [] };
        byNumber.set(r, row);
        grid.rows.push(row);
      }
      for (let c = m.left; c <= right; c++) row.cells[c - 1] = value;
    }
    if (right > grid.width) grid.width = right;
  }
}

function hasText(cell: RawCell | undefined): boolean {
  return cell !== null && cell !== undefined && String(cell).trim() !== '';
}

function cellValue(
  cell: { type: string; style: number; value: string | null },
  ctx: CellContext,
): RawCell {
  const v = cell.value;
  if (v === null) return null;
  switch (cell.type) {
    case 's':
      return nonEmpty(ctx.strings[Number(v)] ?? null);
    case 'inlineStr':
    case 'str':
      return nonEmpty(v);
    case 'b':
      return v.trim() === '0' ? 'FALSE' : 'TRUE';
    case 'e':
      return nonEmpty(v);
    case 'd':
      return /^\d{4}-\d{2}-\d{2}/.test(v) ? v.slice(0, 10) : nonEmpty(v);
    default: {
      if (v.trim() === '') return null;
      const n = Number(v);
      if (!Number.isFinite(n)) return null;
      if (ctx.dateStyles.has(cell.style)) return excelDate(n, ctx.date1904);
      return n;
    }
  }
}

function nonEmpty(s: string | null): RawCell {
  return s === null || s === '' ? null : s;
}

/**
 * Excel stores dates as day numbers without a time zone; the UTC parts of the day number read as
 * UTC are the date the user typed, whatever the server's time zone.
 */
function excelDate(serial: number, date1904: boolean): RawCell {
  const d = new Date(Math.round((serial - 25569 + (date1904 ? 1462 : 0)) * 86_400_000));
  if (isNaN(d.getTime())) return null;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
}

/** The header, title rows and two-level headers as the user sees them; blank rows skipped. */
function toTable(grid: Grid, sheetName: string): RawTable {
  const width = grid.width;
  const dense = grid.rows.map((r) => ({
    rowNumber: r.rowNumber,
    cells: Array.from({ length: width }, (_, i) => r.cells[i] ?? null),
  }));
  const headerAt = findHeaderIndex(dense);
  const first = dense[headerAt];
  if (!first) return { headers: [], rows: [], headerRowNumber: 1, sheetName };

  // A header cell merged downwards means a two-level header (e.g. 工号 over two rows, 联系人 over
  // 姓名 | 电话). Each column's header joins the distinct texts above it: "联系人-电话".
  const depth = headerDepth(first.rowNumber, grid.merges);
  const headerRows = dense
    .slice(headerAt, headerAt + depth)
    .filter((r) => r.rowNumber < first.rowNumber + depth);
  const headers = Array.from({ length: width }, (_, i) =>
    joinHeader(headerRows.map((r) => r.cells[i] ?? null)),
  );
  const rows: RawRow[] = dense.slice(headerAt + headerRows.length);
  while (
    headers.length > 0 &&
    headers.at(-1) === '' &&
    rows.every((r) => r.cells[headers.length - 1] === null)
  ) {
    headers.pop();
    for (const r of rows) r.cells.pop();
  }
  return { headers, rows, headerRowNumber: first.rowNumber, sheetName };
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
  const m = /^\$?([A-Z]{1,3})\$?(\d{1,7}):\$?([A-Z]{1,3})\$?(\d{1,7})$/.exec(range);
  if (!m) return undefined;
  return {
    left: columnNumber(m[1]!),
    top: Number(m[2]),
    right: columnNumber(m[3]!),
    bottom: Number(m[4]),
  };
}

function cellColumn(ref: string): number {
  const m = /^\$?([A-Z]{1,3})\$?\d+$/.exec(ref);
  if (!m) throw new XmlBroken('cell reference');
  return columnNumber(m[1]!);
}

function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

/** 1 → A, 27 → AA, 16384 → XFD. */
export function columnLetters(n: number): string {
  let s = '';
  for (let k = n; k > 0; k = Math.floor((k - 1) / 26))
    s = String.fromCharCode(65 + ((k - 1) % 26)) + s;
  return s;
}

function resolveTarget(target: string): string {
  if (target.startsWith('/')) return target.slice(1);
  const parts = ['xl'];
  for (const p of target.split('/')) {
    if (p === '..') parts.pop();
    else if (p !== '.' && p !== '') parts.push(p);
  }
  return parts.join('/');
}

/** The r:id attribute under whatever prefix the writer bound the relationships namespace to. */
function relId(attributes: Record<string, string>): string | undefined {
  for (const [k, v] of Object.entries(attributes)) if (k.endsWith(':id')) return v;
  return undefined;
}

function isTrue(v: string | undefined): boolean {
  return v === '1' || v === 'true';
}

function localName(name: string): string {
  const i = name.indexOf(':');
  return i === -1 ? name : name.slice(i + 1);
}

function xmlParser(): SaxesParser {
  return new SaxesParser({ xmlns: false });
}

function write(parser: SaxesParser, text: string): void {
  try {
    parser.write(text);
  } catch {
    throw new XmlBroken('xml');
  }
}

function close(parser: SaxesParser): void {
  try {
    parser.close();
  } catch {
    throw new XmlBroken('xml');
  }
}

function unpackedTooLarge(): AppError {
  return new AppError('IMPORT_UNPACKED_TOO_LARGE');
}

function turn(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
