import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../../src/app/import/read-table.ts';
import { displayWidth, writeCsv, writeXlsx } from '../../../src/app/import/write-table.ts';

describe('writeXlsx', () => {
  it('given two sheets, when written and read back, then headers, text and numbers survive', async () => {
    const bytes = await writeXlsx([
      {
        name: '问题行',
        headers: ['行号', '工号', '问题'],
        rows: [
          [3, 'E002', '日期格式不正确：“2024-13-01”'],
          [5, null, '必填项为空'],
        ],
      },
      { name: 'Other', headers: ['x'], rows: [['y']] },
    ]);
    const table = await readTable(bytes, 'out.xlsx');
    expect(table.sheetName).toBe('问题行');
    expect(table.headers).toEqual(['行号', '工号', '问题']);
    expect(table.rows).toEqual([
      { rowNumber: 2, cells: [3, 'E002', '日期格式不正确：“2024-13-01”'] },
      { rowNumber: 3, cells: [5, null, '必填项为空'] },
    ]);
    expect((await readTable(bytes, 'out.xlsx', { sheetName: 'Other' })).rows[0]?.cells).toEqual([
      'y',
    ]);
  });

  it('given a header row, when written, then it is bold and frozen and CJK columns are wider', async () => {
    const bytes = await writeXlsx([
      {
        name: 'S',
        headers: ['code', '客户名称'],
        rows: [['A1', '上海某某贸易有限公司华东分公司']],
      },
    ]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    const ws = workbook.worksheets[0]!;
    expect(ws.getCell('A1').font?.bold).toBe(true);
    expect(ws.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(ws.getColumn(1).width).toBe(8);
    expect(ws.getColumn(2).width).toBe(displayWidth('上海某某贸易有限公司华东分公司') + 2);
  });

  it('given invalid or repeated sheet names, when written, then Excel-safe unique names are used', async () => {
    const sheet = (name: string) => ({ name, headers: ['a'], rows: [['b']] });
    const bytes = await writeXlsx([sheet('2024/Q1: 目标?'), sheet('2024/Q1: 目标?'), sheet('')]);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(bytes as unknown as ExcelJS.Buffer);
    expect(workbook.worksheets.map((w) => w.name)).toEqual([
      '2024_Q1_ 目标_',
      '2024_Q1_ 目标__2',
      'Sheet',
    ]);
  });
});

describe('displayWidth', () => {
  it('counts CJK and full-width characters double', () => {
    expect(displayWidth('abc')).toBe(3);
    expect(displayWidth('销售目标')).toBe(8);
    expect(displayWidth('ＡＢ，12')).toBe(8);
  });
});

describe('writeCsv', () => {
  it('given defaults, when written, then it starts with a UTF-8 BOM and ends lines with CRLF', () => {
    const bytes = writeCsv(['工号', '备注'], [['E1', '含,逗号']]);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.subarray(3).toString('utf8')).toBe('工号,备注\r\nE1,"含,逗号"\r\n');
    expect(writeCsv(['a'], [], { bom: false }).toString('utf8')).toBe('a\r\n');
  });

  it('given text Excel would run as a formula, when written, then it is defused but numbers are not', () => {
    const bytes = writeCsv(
      ['v'],
      [['=HYPERLINK("http://x")'], ['@SUM(A1)'], ['-12.5'], ['+86 138'], [-3]],
      {
        bom: false,
      },
    );
    expect(bytes.toString('utf8')).toBe(
      'v\r\n"\'=HYPERLINK(""http://x"")"\r\n\'@SUM(A1)\r\n-12.5\r\n\'+86 138\r\n-3\r\n',
    );
  });

  it('property: writeCsv → readTable returns the same cells', async () => {
    const char = fc.constantFrom(
      'a',
      'Z',
      '7',
      ' ',
      ',',
      ';',
      '\t',
      '"',
      "'",
      '\n',
      '\r\n',
      '中',
      '文',
      '，',
      '€',
      '😀',
    );
    const text = fc.oneof(
      fc.string({ unit: char, maxLength: 12 }),
      fc.string({ unit: 'grapheme', maxLength: 6 }),
    );
    const header = text.filter((s) => s.trim() !== '');
    const table = fc.integer({ min: 1, max: 5 }).chain((width) =>
      fc.record({
        headers: fc.array(header, { minLength: width, maxLength: width }),
        rows: fc.array(
          fc.array(fc.option(text, { nil: null }), { minLength: width, maxLength: width }),
          {
            minLength: 1,
            maxLength: 8,
          },
        ),
        bom: fc.boolean(),
      }),
    );

    await fc.assert(
      fc.asyncProperty(table, async ({ headers, rows, bom }) => {
        const blank = (c: string | null) => c === null || c.trim() === '';
        fc.pre(rows.some((row) => !row.every(blank)));
        const read = await readTable(
          writeCsv(headers, rows, { bom, escapeFormulas: false }),
          'p.csv',
        );

        expect(read.headers).toEqual(headers.map((h) => h.trim()));
        const expected = rows
          .map((cells, i) => ({ rowNumber: i + 2, cells: cells.map((c) => (c === '' ? null : c)) }))
          .filter((row) => !row.cells.every(blank));
        expect(read.rows).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });
});
