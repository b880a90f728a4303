import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.ts';
import { readTable } from '../../../src/app/import/read-table.ts';
import { buildXlsx } from './build-xlsx.ts';

const utf8 = (text: string) => Buffer.from(text, 'utf8');
const withBom = (text: string) => Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8(text)]);

async function readError(bytes: Buffer, fileName: string, opts = {}): Promise<AppError> {
  const error: unknown = await readTable(bytes, fileName, opts).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('readTable: CSV encodings', () => {
  const text = '工号,姓名,入职日期\r\nE001,张三,2024-03-01\r\nE002,李四,2024-04-15\r\n';
  const expected = {
    headers: ['工号', '姓名', '入职日期'],
    rows: [
      { rowNumber: 2, cells: ['E001', '张三', '2024-03-01'] },
      { rowNumber: 3, cells: ['E002', '李四', '2024-04-15'] },
    ],
  };

  it.each([
    ['UTF-8', utf8(text), 'utf-8'],
    ['UTF-8 with BOM', withBom(text), 'utf-8'],
    ['GBK (Excel on Chinese Windows)', iconv.encode(text, 'gbk'), 'gb18030'],
    ['GB18030', iconv.encode(text, 'gb18030'), 'gb18030'],
    [
      'UTF-16LE with BOM',
      Buffer.concat([Buffer.from([0xff, 0xfe]), iconv.encode(text, 'utf-16le')]),
      'utf-16le',
    ],
    [
      'UTF-16BE with BOM',
      Buffer.concat([Buffer.from([0xfe, 0xff]), iconv.encode(text, 'utf-16be')]),
      'utf-16be',
    ],
  ])(
    'given a %s file, when read, then the Chinese text comes back intact',
    async (_name, bytes, encoding) => {
      const table = await readTable(bytes, '成员.csv');
      expect(table).toMatchObject(expected);
      expect(table.encoding).toBe(encoding);
    },
  );

  it('given GBK text with rare characters (生僻字), when read, then they round-trip', async () => {
    const name = '王喆、欧阳䶮、龘';
    const table = await readTable(iconv.encode(`姓名\n${name}\n`, 'gb18030'), 'a.csv');
    expect(table.rows[0]?.cells).toEqual([name]);
  });
});

describe('readTable: CSV shape', () => {
  it('given tab-delimited text (Excel "Unicode text" or a grid paste), when read, then tabs split cells', async () => {
    const table = await readTable(
      utf8('code\tname\tamount\nA1\tAcme, Inc.\t1,234.50\n'),
      'export.txt',
    );
    expect(table.headers).toEqual(['code', 'name', 'amount']);
    expect(table.rows[0]?.cells).toEqual(['A1', 'Acme, Inc.', '1,234.50']);
  });

  it('given semicolon-delimited text, when read, then semicolons split cells', async () => {
    const table = await readTable(utf8('code;amount\nA1;12,5\n'), 'eu.csv');
    expect(table.rows[0]?.cells).toEqual(['A1', '12,5']);
  });

  it('given a quoted header containing a comma, when read, then only delimiters outside quotes count', async () => {
    const table = await readTable(utf8('"金额,元";备注\n100;无\n'), 'x.csv');
    expect(table.headers).toEqual(['金额,元', '备注']);
    expect(table.rows[0]?.cells).toEqual(['100', '无']);
  });

  it('given blank lines and a quoted multi-line value, when read, then row numbers are the rows Excel shows', async () => {
    const csv = '\r\n工号,备注\r\nE1,"第一行\n第二行"\r\n\r\n,,\r\nE2,"说""明"""\r\n\r\n\r\n';
    const table = await readTable(utf8(csv), 'a.csv');
    expect(table.headerRowNumber).toBe(2);
    expect(table.rows).toEqual([
      { rowNumber: 3, cells: ['E1', '第一行\n第二行'] },
      { rowNumber: 6, cells: ['E2', '说"明"'] },
    ]);
  });

  it('given rows shorter and longer than the header, when read, then both are kept for validation', async () => {
    const table = await readTable(utf8('a,b,c\n1\n1,2,3,4\n'), 'a.csv');
    expect(table.rows).toEqual([
      { rowNumber: 2, cells: ['1', null, null] },
      { rowNumber: 3, cells: ['1', '2', '3', '4'] },
    ]);
  });

  it('given an .xlsx workbook named .csv, when read, then the bytes decide the format', async () => {
    const bytes = await buildXlsx((add) => add('S').addRows([['code'], ['A1']]));
    expect((await readTable(bytes, 'renamed.csv')).rows[0]?.cells).toEqual(['A1']);
  });
});

describe('readTable: xlsx', () => {
  it('given typed cells, when read, then numbers stay numbers and dates become YYYY-MM-DD', async () => {
    const bytes = await buildXlsx((add) => {
      const ws = add('成员');
      ws.addRow(['工号', '入职日期', '目标', '备注', '官网', '合计', '在职']);
      ws.addRow([
        1001,
        new Date(Date.UTC(2024, 2, 1)),
        1234.5,
        { richText: [{ text: '重点', font: { bold: true } }, { text: '客户' }] },
        { text: '主页', hyperlink: 'https://example.com' },
        { formula: 'C2*2', result: 2469 },
        true,
      ]);
      ws.addRow(['E2', null, { formula: '1/0', result: { error: '#DIV/0!' } }]);
    });
    const table = await readTable(bytes, '成员.xlsx');
    expect(table.sheetName).toBe('成员');
    expect(table.headers).toEqual(['工号', '入职日期', '目标', '备注', '官网', '合计', '在职']);
    expect(table.rows).toEqual([
      { rowNumber: 2, cells: [1001, '2024-03-01', 1234.5, '重点客户', '主页', 2469, 'TRUE'] },
      { rowNumber: 3, cells: ['E2', null, '#DIV/0!', null, null, null, null] },
    ]);
  });

  it('given a date serial stored as a plain number, when read, then the number is kept for the date column to convert', async () => {
    const bytes = await buildXlsx((add) => add('S').addRows([['入职日期'], [45352]]));
    expect((await readTable(bytes, 'a.xlsx')).rows[0]?.cells).toEqual([45352]);
  });

  it('given a hidden first sheet, when read without a name, then the first visible sheet is used', async () => {
    const bytes = await buildXlsx((add) => {
      add('下拉选项', 'hidden').addRows([['职级'], ['资深']]);
      add('数据').addRows([['工号'], ['E1']]);
      add('其他').addRows([['x'], ['y']]);
    });
    expect((await readTable(bytes, 'a.xlsx')).sheetName).toBe('数据');
    expect((await readTable(bytes, 'a.xlsx', { sheetName: '其他' })).rows[0]?.cells).toEqual(['y']);
    const error = await readError(bytes, 'a.xlsx', { sheetName: '不存在' });
    expect(error.code).toBe('IMPORT_SHEET_NOT_FOUND');
    expect(error.params).toEqual({ sheet: '不存在', available: '下拉选项、数据、其他' });
  });

  it('given a merged title, blank rows, a two-level merged header and trailing blank rows, when read, then the header and row numbers are right', async () => {
    const bytes = await buildXlsx((add) => {
      const ws = add('S');
      ws.getCell('A1').value = '2025年华东区成员名单';
      ws.mergeCells('A1:D1');
      ws.getCell('A3').value = '工号';
      ws.mergeCells('A3:A4');
      ws.getCell('B3').value = '联系人';
      ws.mergeCells('B3:C3');
      ws.getCell('B4').value = '姓名';
      ws.getCell('C4').value = '电话';
      ws.getCell('D3').value = '区域';
      ws.mergeCells('D3:D4');
      ws.addRow(['E1', '张三', '13800000000', '华东']);
      ws.addRow(['E2', '李四', null, null]);
      ws.getCell('A10').value = '   ';
    });
    const table = await readTable(bytes, 'a.xlsx');
    expect(table.headerRowNumber).toBe(3);
    expect(table.headers).toEqual(['工号', '联系人-姓名', '联系人-电话', '区域']);
    expect(table.rows).toEqual([
      { rowNumber: 5, cells: ['E1', '张三', '13800000000', '华东'] },
      { rowNumber: 6, cells: ['E2', '李四', null, null] },
    ]);
  });

  it('given a region merged down over several data rows, when read, then every row gets the region', async () => {
    const bytes = await buildXlsx((add) => {
      const ws = add('S');
      ws.addRows([
        ['区域', '工号'],
        ['华东', 'E1'],
        [null, 'E2'],
        ['华南', 'E3'],
      ]);
      ws.mergeCells('A2:A3');
    });
    const table = await readTable(bytes, 'a.xlsx');
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['华东', 'E1'],
      ['华东', 'E2'],
      ['华南', 'E3'],
    ]);
  });
});

describe('readTable: unreadable and empty files', () => {
  it.each([
    ['a zero-byte file', Buffer.alloc(0), 'a.csv'],
    ['a header without rows', utf8('工号,姓名\r\n'), 'a.csv'],
    ['only blank lines', utf8('\r\n , \r\n\r\n'), 'a.csv'],
  ])('given %s, when read, then IMPORT_EMPTY', async (_name, bytes, fileName) => {
    expect((await readError(bytes, fileName)).code).toBe('IMPORT_EMPTY');
  });

  it('given an xlsx with only a header row, when read, then IMPORT_EMPTY', async () => {
    const bytes = await buildXlsx((add) => add('S').addRow(['工号']));
    expect((await readError(bytes, 'a.xlsx')).code).toBe('IMPORT_EMPTY');
  });

  it.each([
    ['random bytes', pseudoRandomBytes(4096), 'data.csv'],
    [
      'a PNG renamed to .csv',
      Buffer.concat([Buffer.from('89504e470d0a1a0a', 'hex'), pseudoRandomBytes(512)]),
      'a.csv',
    ],
    [
      'a truncated zip',
      Buffer.concat([Buffer.from('504b0304', 'hex'), pseudoRandomBytes(100)]),
      'a.xlsx',
    ],
    [
      'an old .xls (OLE) file',
      Buffer.concat([Buffer.from('d0cf11e0a1b11ae1', 'hex'), Buffer.alloc(504)]),
      'a.xls',
    ],
    ['a text file named .xlsx', utf8('工号\nE1\n'), 'a.xlsx'],
    [
      'an HTML table named .xls',
      utf8('<html><body><table><tr><td>工号</td></tr></table></body></html>'),
      'crm.xls',
    ],
    ['a CSV with an unclosed quote', utf8('a,b\n1,"unterminated\n'), 'a.csv'],
    [
      'text full of control characters but no NUL',
      utf8(`a,b\n${'1,\u0001\u0002\u000b\u001b\u007f\ufffd\n'.repeat(50)}`),
      'a.csv',
    ],
  ])('given %s, when read, then IMPORT_FORMAT with a reason', async (_name, bytes, fileName) => {
    const error = await readError(bytes, fileName);
    expect(error.code).toBe('IMPORT_FORMAT');
    expect(String(error.params.reason)).not.toBe('');
  });
});

describe('readTable: text that is not binary', () => {
  it('given a CSV with one stray control character, tabs, form feeds and a DOS end-of-file mark, when read, then its rows come through', async () => {
    const table = await readTable(utf8('a,b\n1,x\u0001y\n2,\tz\f\n\u001a'), 'a.csv');
    expect(table.rows.map((r) => r.cells)).toEqual([
      ['1', 'x\u0001y'],
      ['2', '\tz\f'],
    ]);
  });
});

describe('readTable: limits', () => {
  it('given a file over the byte limit, when read, then IMPORT_TOO_LARGE names both sizes', async () => {
    const error = await readError(utf8('a\n' + 'x\n'.repeat(1024 * 1024)), 'a.csv', {
      maxBytes: 1024 * 1024,
    });
    expect(error.code).toBe('IMPORT_TOO_LARGE');
    expect(error.params).toEqual({ size: 2, max: 1 });
  });

  it('given more data rows than allowed, when read, then IMPORT_TOO_MANY_ROWS', async () => {
    const error = await readError(utf8('a\n1\n2\n3\n'), 'a.csv', { maxRows: 2 });
    expect(error.code).toBe('IMPORT_TOO_MANY_ROWS');
    expect(error.params).toEqual({ count: 3, max: 2 });
    await expect(readTable(utf8('a\n1\n2\n'), 'a.csv', { maxRows: 2 })).resolves.toBeDefined();
  });
});

/** Deterministic "random" bytes (xorshift) so that a failure reproduces. */
function pseudoRandomBytes(length: number): Buffer {
  const out = Buffer.alloc(length);
  let x = 0x9e3779b9;
  for (let i = 0; i < length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = x & 0xff;
  }
  return out;
}
