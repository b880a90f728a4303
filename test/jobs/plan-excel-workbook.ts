import ExcelJS from 'exceljs';

/**
 * Test helpers that edit a grid workbook the way a planner does in Excel: change a number, and
 * (optionally) let Excel recompute every formula — here a tiny evaluator of the SUM formulas the
 * export writes (cell refs, ranges, nested SUMs).
 */
export interface Book {
  wb: ExcelJS.Workbook;
  ws: ExcelJS.Worksheet;
  /** Excel row number of the row with this code (the first one). */
  rowOf(code: string): number;
  /** Column number of the header that starts with `prefix` ('2026-01', '全年', 'Year'). */
  colOf(prefix: string): number;
  set(code: string, header: string, value: ExcelJS.CellValue): void;
  get(code: string, header: string): number;
  recompute(): void;
  save(): Promise<Buffer>;
}

export async function openBook(buffer: Buffer): Promise<Book> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as unknown as ExcelJS.Buffer);
  const ws = wb.worksheets[0]!;
  const headerRow = ws.getRow(2);
  const rowOf = (code: string) => {
    for (let r = 3; r <= ws.rowCount; r++) if (ws.getRow(r).getCell(1).value === code) return r;
    throw new Error(`no row ${code}`);
  };
  const colOf = (prefix: string) => {
    for (let c = 1; c <= ws.columnCount; c++)
      if (String(headerRow.getCell(c).value ?? '').startsWith(prefix)) return c;
    throw new Error(`no column ${prefix}`);
  };
  const numberAt = (row: number, col: number, memo: Map<string, number>): number => {
    const k = `${row}:${col}`;
    const m = memo.get(k);
    if (m !== undefined) return m;
    const v = ws.getRow(row).getCell(col).value;
    let out = 0;
    if (typeof v === 'number') out = v;
    else if (v && typeof v === 'object' && 'formula' in v && v.formula)
      out = evaluate(v.formula, memo);
    memo.set(k, out);
    return out;
  };
  const evaluate = (formula: string, memo: Map<string, number>): number => {
    const inner = /^SUM\((.*)\)$/.exec(formula)?.[1];
    if (inner === undefined) throw new Error(`cannot evaluate ${formula}`);
    let total = 0;
    for (const arg of splitArgs(inner)) {
      if (arg.startsWith('SUM(')) total += evaluate(arg, memo);
      else {
        const [a, b] = arg.split(':');
        const p = ref(a!);
        const q = b ? ref(b) : p;
        for (let r = p.row; r <= q.row; r++)
          for (let c = p.col; c <= q.col; c++) total += numberAt(r, c, memo);
      }
    }
    return Number(total.toPrecision(15));
  };
  const book: Book = {
    wb,
    ws,
    rowOf,
    colOf,
    set: (code, header, value) => {
      ws.getRow(rowOf(code)).getCell(colOf(header)).value = value;
    },
    get: (code, header) => numberAt(rowOf(code), colOf(header), new Map()),
    recompute: () => {
      const memo = new Map<string, number>();
      ws.eachRow((row) => {
        row.eachCell((cell) => {
          const v = cell.value;
          if (v && typeof v === 'object' && 'formula' in v && v.formula)
            cell.value = { formula: v.formula, result: evaluate(v.formula, memo) };
        });
      });
    },
    save: async () => Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer),
  };
  return book;
}

function splitArgs(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of s) {
    if (ch === '(') depth++;
    if (ch === ')') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  if (cur) out.push(cur);
  return out;
}

function ref(a: string): { row: number; col: number } {
  const m = /^([A-Z]+)(\d+)$/.exec(a);
  if (!m) throw new Error(`bad ref ${a}`);
  let col = 0;
  for (const ch of m[1]!) col = col * 26 + ch.charCodeAt(0) - 64;
  return { row: Number(m[2]), col };
}
