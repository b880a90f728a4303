import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { readTable } from '../../../src/app/import/read-table.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { translate } from '../../../src/i18n/translate.ts';
import {
  customersWorkbook,
  handBuiltXlsx,
  rowXml,
  xfdWorkbook,
  zipOf,
} from '../../support/hostile-files.ts';

async function refusal(bytes: Buffer, fileName: string): Promise<{ error: AppError; ms: number }> {
  const start = performance.now();
  const error: unknown = await readTable(bytes, fileName).then(
    () => undefined,
    (e: unknown) => e,
  );
  const ms = performance.now() - start;
  expect(error).toBeInstanceOf(AppError);
  return { error: error as AppError, ms };
}

/** Rows of a sheet as hand-written XML: a header and `n` data rows. */
function sheetRows(
  n: number,
  extra: (row: number) => Record<string, string | number> = () => ({}),
) {
  const rows = [rowXml(1, { A: '客户编码', B: '客户名称' })];
  for (let r = 2; r <= n + 1; r++) rows.push(rowXml(r, { A: `C${r}`, B: r, ...extra(r) }));
  return rows.join('');
}

// A loaded CI machine is slow; these bounds only catch "reads the whole thing" (the issue's
// XFD file took minutes and ran out of memory), the printed times say how fast it really is.
const QUICK_MS = 3_000;

// Writing a 60,000-row workbook with exceljs takes a while; the reading is what is timed.
describe('hostile workbooks are refused while they are read', { timeout: 120_000 }, () => {
  it('given the issue workbook (3,000 rows and a value in column XFD), when read, then its used range refuses it at once, naming the limits', async () => {
    const bytes = await xfdWorkbook();
    const { error, ms } = await refusal(bytes, 'xfd.xlsx');
    console.log(`XFD workbook (${bytes.length} bytes) refused in ${ms.toFixed(0)} ms`);
    expect(error.code).toBe('IMPORT_SHEET_TOO_LARGE');
    expect(error.params).toEqual({
      sheet: '数据',
      range: 'A1:XFD3001',
      maxRows: 50_000,
      maxColumns: 256,
    });
    expect(translate(error.code, error.params, 'zh-CN')).toContain('最多 50000 行数据、256 列');
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('given a value in column XFD and no used range, when read, then the first such cell refuses the file, naming the cell and the last column', async () => {
    const bytes = handBuiltXlsx({
      sheetData: sheetRows(3000, (r): Record<string, string> => (r === 5 ? { XFD: 'x' } : {})),
    });
    const { error, ms } = await refusal(bytes, 'xfd.xlsx');
    console.log(`XFD workbook without a used range refused in ${ms.toFixed(0)} ms`);
    expect(error.code).toBe('IMPORT_TOO_MANY_COLUMNS');
    expect(error.params).toEqual({ cell: 'XFD5', max: 256, last: 'IV' });
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('given blank cells far out in a row (formatting only), when read, then they cost nothing and the rows read', async () => {
    const bytes = handBuiltXlsx({
      sheetData:
        rowXml(1, { A: '客户编码' }) +
        '<row r="2"><c r="A2" t="inlineStr"><is><t>C1</t></is></c><c r="XFD2" s="0"/></row>',
    });
    const table = await readTable(bytes, 'a.xlsx');
    expect(table.headers).toEqual(['客户编码']);
    expect(table.rows).toEqual([{ rowNumber: 2, cells: ['C1'] }]);
  });

  it('given a 60,000-row workbook (limit 50,000), when read, then its used range refuses it before any row is read', async () => {
    const bytes = await customersWorkbook(60_000);
    const { error, ms } = await refusal(bytes, 'big.xlsx');
    console.log(`60,000-row workbook (${bytes.length} bytes) refused in ${ms.toFixed(0)} ms`);
    expect(error.code).toBe('IMPORT_SHEET_TOO_LARGE');
    expect(error.params).toMatchObject({ range: 'A1:B60001', maxRows: 50_000 });
    expect(ms).toBeLessThan(QUICK_MS);
  });

  it('given 60,000 rows and no used range, when read, then the reading stops just past the limit instead of reading on', async () => {
    const bytes = handBuiltXlsx({ sheetData: sheetRows(60_000) });
    const { error } = await refusal(bytes, 'big.xlsx');
    expect(error.code).toBe('IMPORT_ROWS_OVER_LIMIT');
    // The limit, plus the few rows a title and header may take; not the 60,001st row.
    expect(error.params.max).toBe(50_000);
    expect(Number(error.params.row)).toBeGreaterThan(50_001);
    expect(Number(error.params.row)).toBeLessThan(50_200);
  });

  it('given exactly 50,000 data rows, when read, then all are read', async () => {
    const bytes = await customersWorkbook(50_000);
    const start = performance.now();
    const table = await readTable(bytes, 'ok.xlsx');
    console.log(`50,000-row workbook read in ${(performance.now() - start).toFixed(0)} ms`);
    expect(table.rows).toHaveLength(50_000);
    expect(table.rows.at(-1)).toEqual({ rowNumber: 50_001, cells: ['C49999', '客户49999'] });
  });

  it('given a small workbook whose shared strings inflate past the limit (a zip bomb), when read, then it is refused without unpacking it all', async () => {
    const si = `<si><t>${'炸'.repeat(1000)}</t></si>`;
    // ≈ 70 MB of XML (the limit is 64 MB) in a file of well under a megabyte.
    const strings = Buffer.from(
      `<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${si.repeat(23_000)}</sst>`,
    );
    const bytes = handBuiltXlsx({
      sheetData: rowXml(1, { A: '编码' }) + '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
      sharedStrings: strings,
    });
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const { error, ms } = await refusal(bytes, 'bomb.xlsx');
    console.log(`shared-strings bomb (${bytes.length} bytes) refused in ${ms.toFixed(0)} ms`);
    expect(error.code).toBe('IMPORT_UNPACKED_TOO_LARGE');
  });

  it('given a file over the byte limit, when read, then it is refused before it is parsed', async () => {
    const bytes = Buffer.alloc(20 * 1024 * 1024 + 1, 0x41);
    const { error } = await refusal(bytes, 'huge.csv');
    expect(error.code).toBe('IMPORT_TOO_LARGE');
    expect(error.params).toEqual({ size: 20, max: 20 });
  });
});

describe('the hand-built reader keeps what the users rely on', () => {
  it('given shared, rich and inline strings, booleans, errors, dates and a phonetic guide, when read, then each reads as before', async () => {
    const bytes = handBuiltXlsx({
      sharedStrings:
        '<si><t>客户编码</t></si><si><r><t>重点</t></r><r><rPr><b/></rPr><t>客户</t></r><rPh sb="0" eb="1"><t>ZHONG</t></rPh></si>',
      sheetData:
        '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>备注</t></is></c><c r="C1" t="inlineStr"><is><t>在职</t></is></c><c r="D1" t="inlineStr"><is><t>合计</t></is></c></row>' +
        '<row r="3"><c r="A3" t="s"><v>1</v></c><c r="B3" t="str"><f>A3</f><v>x&amp;y</v></c><c r="C3" t="b"><v>1</v></c><c r="D3" t="e"><v>#DIV/0!</v></c></row>',
    });
    const table = await readTable(bytes, 'a.xlsx');
    expect(table.headers).toEqual(['客户编码', '备注', '在职', '合计']);
    expect(table.rows).toEqual([{ rowNumber: 3, cells: ['重点客户', 'x&y', 'TRUE', '#DIV/0!'] }]);
  });

  it('given a stored (uncompressed) workbook with prefixed element names, when read, then it reads', async () => {
    const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const bytes = zipOf(
      {
        'xl/workbook.xml': `<x:workbook xmlns:x="${NS}" xmlns:rel="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><x:sheets><x:sheet name="S" sheetId="1" rel:id="rId1"/></x:sheets></x:workbook>`,
        'xl/_rels/workbook.xml.rels':
          '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Target="/xl/worksheets/sheet1.xml" Type="x/worksheet"/></Relationships>',
        'xl/worksheets/sheet1.xml': `<x:worksheet xmlns:x="${NS}"><x:sheetData><x:row><x:c t="inlineStr"><x:is><x:t>code</x:t></x:is></x:c></x:row><x:row><x:c><x:v>7</x:v></x:c></x:row></x:sheetData></x:worksheet>`,
      },
      true,
    );
    const table = await readTable(bytes, 'a.xlsx');
    expect(table.sheetName).toBe('S');
    expect(table.rows).toEqual([{ rowNumber: 2, cells: [7] }]);
  });

  it('given a chart sheet before the data sheet, when read without a name, then the first worksheet is read', async () => {
    const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
    const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
    const bytes = zipOf({
      'xl/workbook.xml': `<workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="图表" sheetId="1" r:id="rId1"/><sheet name="数据" sheetId="2" r:id="rId2"/></sheets></workbook>`,
      'xl/_rels/workbook.xml.rels': `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/chartsheet" Target="chartsheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>`,
      'xl/chartsheets/sheet1.xml': `<chartsheet xmlns="${NS}"/>`,
      'xl/worksheets/sheet1.xml': `<worksheet xmlns="${NS}"><sheetData>${rowXml(1, { A: '编码' })}${rowXml(2, { A: 'C1' })}</sheetData></worksheet>`,
    });
    const table = await readTable(bytes, 'a.xlsx');
    expect(table.sheetName).toBe('数据');
    expect(table.rows).toEqual([{ rowNumber: 2, cells: ['C1'] }]);
  });

  it('given a date in a 1904 workbook and custom date formats, when read, then the dates are the typed ones', async () => {
    const wb = new ExcelJS.Workbook();
    wb.properties.date1904 = true;
    const ws = wb.addWorksheet('S');
    {
      ws.addRow(['日期', '金额']);
      ws.addRow([new Date(Date.UTC(2026, 2, 5)), 12.5]);
      ws.getCell('A2').numFmt = 'yyyy"年"m"月"d"日"';
      ws.getCell('B2').numFmt = '#,##0.00';
    }
    const bytes = Buffer.from((await wb.xlsx.writeBuffer()) as ArrayBuffer);
    expect((await readTable(bytes, 'a.xlsx')).rows[0]?.cells).toEqual(['2026-03-05', 12.5]);
  });
});

/**
 * Words of four or more Latin letters that a Chinese message may hold: file types and Excel,
 * nothing from a parser.
 */
const ALLOWED = new Set(['xlsx', 'Excel']);

function englishWords(message: string): string[] {
  return (message.match(/[A-Za-z]{4,}/g) ?? []).filter((w) => !ALLOWED.has(w));
}

describe('file-level refusals speak the reader’s language, not the parser’s', () => {
  const truncated = async () => {
    const whole = await customersWorkbook(50);
    return whole.subarray(0, Math.floor(whole.length / 2));
  };
  const cases: [string, () => Buffer | Promise<Buffer>, string][] = [
    ['not a zip, named .xlsx', () => Buffer.from('just some text\n'), 'a.xlsx'],
    ['a zip that is not a workbook', () => zipOf({ 'readme.txt': 'hello' }), 'a.xlsx'],
    ['a truncated workbook', truncated, 'a.xlsx'],
    ['a workbook whose sheet is not XML', () => handBuiltXlsx({ sheetData: '<row><c' }), 'a.xlsx'],
    ['a CSV with an unterminated quote', () => Buffer.from('a,b\n1,"open\n2,3\n'), 'a.csv'],
    ['bytes in no text encoding', () => Buffer.from([0, 1, 2, 3, 0, 0xff, 0xfe, 0]), 'a.csv'],
    ['an empty file', () => Buffer.alloc(0), 'a.csv'],
    ['a header and no rows', () => Buffer.from('客户编码,客户名称\n'), 'a.csv'],
    ['an old .xls', () => Buffer.from('d0cf11e0a1b11ae1' + '00'.repeat(504), 'hex'), 'a.xls'],
    ['an HTML table named .xls', () => Buffer.from('<html><table></table></html>'), 'a.xls'],
    [
      'a workbook with only hidden sheets',
      () =>
        zipOf({
          'xl/workbook.xml':
            '<workbook xmlns:r="r"><sheets><sheet name="S" state="hidden" r:id="rId1"/></sheets></workbook>',
        }),
      'a.xlsx',
    ],
  ];

  it.each(cases)(
    'given %s, when refused, then the Chinese message has no English words and the English one is there',
    async (_name, make, fileName) => {
      const { error } = await refusal(await make(), fileName);
      const zh = translate(error.code, error.params, 'zh-CN');
      const en = translate(error.code, error.params, 'en');
      expect(englishWords(zh), zh).toEqual([]);
      expect(zh).not.toMatch(/\{\{/);
      expect(en).not.toMatch(/\{\{/);
      expect(en).toMatch(/[A-Za-z]{4,}/);
      expect(en).not.toBe(zh);
    },
  );

  it('given a CSV with an unterminated quote, when refused, then the message names the row the file ends in', async () => {
    const { error } = await refusal(Buffer.from('a,b\n1,"open\n2,3\n'), 'a.csv');
    expect(error.params).toEqual({ reason: 'csv_quote_not_closed', row: 3 });
    expect(translate(error.code, error.params, 'zh-CN')).toBe(
      '无法读取文件：有一个单元格的引号没有闭合，直到文件末尾（第 3 行）仍在引号内',
    );
  });
});
