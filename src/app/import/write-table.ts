import ExcelJS from 'exceljs';

export type OutCell = string | number | null;

export interface OutSheet {
  name: string;
  headers: string[];
  rows: OutCell[][];
  /** Excel number formats by column (e.g. '#,##0.00' for 元 with two decimals); absent = General. */
  numFmts?: (string | null)[];
  /** Number formats by data row (0 = first row under the header), for sheets whose rows mix units; a column's format wins. */
  rowNumFmts?: (string | null)[];
  /** Formats of single cells (data row and column from 0), over every other format. */
  cellNumFmts?: { row: number; col: number; fmt: string }[];
}

export interface WriteCsvOptions {
  /** Start with a UTF-8 byte order mark (default true): without it, Excel on Chinese Windows reads the file as GBK and shows mojibake. */
  bom?: boolean;
  /**
   * Prefix text that Excel would run as a formula ('=…', '+…', '-…', '@…') with an apostrophe
   * (default true). Exports carry text typed by customers and CRM users, and a cell such as
   * '=HYPERLINK(…)' must not become live when a colleague opens the file. Plain numbers such as
   * '-12.5' are left alone.
   */
  escapeFormulas?: boolean;
}

const MAX_WIDTH = 60;
const MIN_WIDTH = 8;
/** Rows looked at when sizing columns; enough to be representative, cheap on big exports. */
const WIDTH_SAMPLE = 500;

/**
 * An .xlsx workbook with one sheet per entry: bold header row frozen in place, columns sized to
 * their content (CJK characters count double, as they render). Numbers stay numbers so that users
 * can sum them in Excel.
 */
export async function writeXlsx(sheets: OutSheet[]): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const used = new Set<string>();
  for (const sheet of sheets) {
    const ws = workbook.addWorksheet(sheetName(sheet.name, used), {
      views: [{ state: 'frozen', ySplit: 1 }],
    });
    ws.addRow(sheet.headers);
    ws.getRow(1).font = { bold: true };
    for (const row of sheet.rows) ws.addRow(row.map((cell) => cell ?? undefined));
    const width = Math.max(sheet.headers.length, ...sheet.rows.map((r) => r.length));
    for (let i = 0; i < width; i++) ws.getColumn(i + 1).width = columnWidth(sheet, i);
    sheet.rowNumFmts?.forEach((fmt, i) => {
      if (fmt)
        ws.getRow(i + 2).eachCell((cell) => {
          if (typeof cell.value === 'number') cell.numFmt = fmt;
        });
    });
    sheet.numFmts?.forEach((fmt, i) => {
      if (fmt)
        ws.getColumn(i + 1).eachCell((cell, row) => {
          if (row > 1) cell.numFmt = fmt;
        });
    });
    for (const c of sheet.cellNumFmts ?? []) ws.getCell(c.row + 2, c.col + 1).numFmt = c.fmt;
  }
  const data = await workbook.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

/** RFC 4180 CSV with CRLF line ends, as Excel writes it. */
export function writeCsv(headers: string[], rows: OutCell[][], opts: WriteCsvOptions = {}): Buffer {
  const escapeFormulas = opts.escapeFormulas ?? true;
  const line = (cells: OutCell[]) => cells.map((cell) => csvField(cell, escapeFormulas)).join(',');
  const text = [headers, ...rows].map(line).join('\r\n') + '\r\n';
  return Buffer.from(((opts.bom ?? true) ? '\ufeff' : '') + text, 'utf8');
}

function csvField(cell: OutCell, escapeFormulas: boolean): string {
  if (cell === null) return '';
  let text = String(cell);
  if (typeof cell === 'string' && escapeFormulas && looksLikeFormula(text)) text = "'" + text;
  // Semicolons and tabs are quoted too, so that the reader's delimiter sniffing cannot misjudge them.
  return /[",;\t\r\n]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
}

function looksLikeFormula(text: string): boolean {
  return /^[=+\-@\t\r]/.test(text) && !/^[+-]?\d+(?:\.\d+)?%?$/.test(text);
}

/** Excel sheet names: at most 31 characters, none of : \ / ? * [ ], unique, not empty. */
function sheetName(wanted: string, used: Set<string>): string {
  const base =
    wanted
      .replace(/[:\\/?*[\]]/g, '_')
      .trim()
      .slice(0, 31) || 'Sheet';
  let name = base;
  for (let n = 2; used.has(name.toLowerCase()); n++)
    name = `${base.slice(0, 31 - String(n).length - 1)}_${n}`;
  used.add(name.toLowerCase());
  return name;
}

function columnWidth(sheet: OutSheet, index: number): number {
  let widest = displayWidth(sheet.headers[index] ?? '');
  for (const row of sheet.rows.slice(0, WIDTH_SAMPLE)) {
    const cell = row[index];
    if (cell !== null && cell !== undefined) widest = Math.max(widest, displayWidth(String(cell)));
  }
  return Math.min(MAX_WIDTH, Math.max(MIN_WIDTH, widest + 2));
}

/** Width in Excel "characters": East Asian wide and full-width characters take two. */
export function displayWidth(text: string): number {
  let width = 0;
  for (const line of text.split(/\r?\n/)) {
    let w = 0;
    for (const ch of line) w += isWide(ch.codePointAt(0) ?? 0) ? 2 : 1;
    width = Math.max(width, w);
  }
  return width;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) || // Hangul Jamo
    (cp >= 0x2e80 && cp <= 0x303e) || // CJK radicals, punctuation
    (cp >= 0x3041 && cp <= 0x33ff) || // kana, CJK compatibility
    (cp >= 0x3400 && cp <= 0x4dbf) || // CJK extension A
    (cp >= 0x4e00 && cp <= 0x9fff) || // CJK unified ideographs
    (cp >= 0xa000 && cp <= 0xa4cf) || // Yi
    (cp >= 0xac00 && cp <= 0xd7a3) || // Hangul syllables
    (cp >= 0xf900 && cp <= 0xfaff) || // CJK compatibility ideographs
    (cp >= 0xfe30 && cp <= 0xfe4f) || // CJK compatibility forms
    (cp >= 0xff00 && cp <= 0xff60) || // full-width forms
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1faff) || // emoji
    (cp >= 0x20000 && cp <= 0x3fffd) // CJK extensions B+
  );
}
