import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ColumnDef } from '../../../src/app/import/columns.ts';
import { cellParser, fold, parseCell } from '../../../src/app/import/parse-cell.ts';
import {
  csvRows,
  csvRowsYielding,
  readCsv,
  sniffDelimiter,
} from '../../../src/app/import/read-csv.ts';
import { openTable, readTable } from '../../../src/app/import/read-table.ts';
import { RefIndex } from '../../../src/app/import-master/refs.ts';

/** What readCsv did before the hand-split path: csv-parse for every text. */
function referenceReadCsv(text: string) {
  const records = parse(text, {
    delimiter: sniffDelimiter(text),
    record_delimiter: ['\r\n', '\n', '\r'],
    relax_quotes: true,
    relax_column_count: true,
    info: true,
  }) as unknown as { record: string[]; info: { records: number } }[];
  let headerRowNumber = 0;
  let headers: string[] = [];
  const rows: { rowNumber: number; cells: (string | null)[] }[] = [];
  for (const { record, info } of records) {
    if (record.every((cell) => cell.trim() === '')) continue;
    if (headerRowNumber === 0) {
      headerRowNumber = info.records;
      headers = record.map((cell) => cell.trim());
      continue;
    }
    const cells: (string | null)[] = record.map((cell) => (cell === '' ? null : cell));
    while (cells.length < headers.length) cells.push(null);
    rows.push({ rowNumber: info.records, cells });
  }
  return { headers, rows, headerRowNumber };
}

describe('CSV without quotes, split by hand', () => {
  it('property: any quote-free text reads exactly as csv-parse reads it (cells, blank rows, row numbers, line endings)', () => {
    const piece = fc.constantFrom(
      'a',
      'B',
      ',',
      ';',
      '\t',
      ' ',
      '\n',
      '\r',
      '\r\n',
      '中',
      '1.5',
      '',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 60 }), (parts) => {
        const text = parts.join('');
        expect(readCsv(text)).toEqual(referenceReadCsv(text));
      }),
      { numRuns: 3000 },
    );
  });

  it('given a text with quotes, when read, then csv-parse still reads it (a quoted delimiter and line break stay in the cell)', () => {
    const text = 'a,b\r\n"x,1","多\n行"\r\n\r\n2,3\r\n';

    expect(readCsv(text)).toEqual(referenceReadCsv(text));
    expect(readCsv(text).rows).toEqual([
      { rowNumber: 2, cells: ['x,1', '多\n行'] },
      { rowNumber: 4, cells: ['2', '3'] },
    ]);
  });

  it('given a text with quotes over several pieces fed to csv-parse, when read yielding, then the rows equal the one-pass reading (pieces split records, quotes and \\r\\n)', async () => {
    // ≈ 1.2 M characters: five pieces of 256 K, whose borders fall inside records.
    const lines = ['编码,"备注, 说明",金额'];
    for (let i = 0; i < 50_000; i++)
      lines.push(
        i % 7 === 0 ? `C${i},"第一行\r\n第二行 ""引"" ${i}",${i}.5` : `C${i},"说明${i}",${i}`,
      );
    const text = lines.join('\r\n') + '\r\n';
    expect(text.length).toBeGreaterThan(3 * 256 * 1024);
    const rows: { rowNumber: number; cells: (string | null)[] }[] = [];
    const csv = await csvRowsYielding(text);
    const count = await csv.eachRowYielding(
      (cells, rowNumber) => rows.push({ rowNumber, cells }),
      1000,
    );
    expect(count).toBe(50_000);
    expect({ headers: csv.headers, rows, headerRowNumber: csv.headerRowNumber }).toEqual(
      readCsv(text),
    );
  });

  it('given a header only, when rows are read, then the reader says the file is empty; and csvRows hands rows out one by one', async () => {
    const reader = await openTable(Buffer.from('a,b\n'), 'x.csv');
    expect(reader.headers).toEqual(['a', 'b']);
    await expect(reader.eachRow(() => undefined)).rejects.toMatchObject({ code: 'IMPORT_EMPTY' });

    const seen: [number, (string | null)[]][] = [];
    const count = csvRows('h1;h2\n\n1;\n;2;3\n').eachRow((cells, row) => seen.push([row, cells]));
    expect(count).toBe(2);
    expect(seen).toEqual([
      [3, ['1', null]],
      [4, [null, '2', '3']],
    ]);
  });

  it('given more rows than allowed, when read row by row, then it counts them all, stops handing them out at the limit and refuses the file', async () => {
    const reader = await openTable(Buffer.from('a\n1\n2\n3\n'), 'x.csv', { maxRows: 2 });
    const seen: number[] = [];

    await expect(reader.eachRow((_, row) => seen.push(row))).rejects.toMatchObject({
      code: 'IMPORT_TOO_MANY_ROWS',
      params: { count: 3, max: 2 },
    });
    expect(seen).toEqual([2, 3]);
    await expect(
      readTable(Buffer.from('a\n1\n2\n3\n'), 'x.csv', { maxRows: 2 }),
    ).rejects.toMatchObject({
      code: 'IMPORT_TOO_MANY_ROWS',
    });
  });
});

describe('cell parsers made once per column', () => {
  const outcome = (f: () => unknown) => {
    try {
      return { value: f() };
    } catch (e) {
      return { error: e };
    }
  };
  const same = (def: ColumnDef, raw: string | number) => {
    const parse1 = cellParser(def);
    // Twice: the second answer (and error) comes from the memo where there is one.
    expect(outcome(() => parse1(raw))).toEqual(outcome(() => parseCell(def, raw)));
    expect(outcome(() => parse1(raw))).toEqual(outcome(() => parseCell(def, raw)));
  };
  const money: ColumnDef = { aliases: [], type: 'money' };
  const integer: ColumnDef = { aliases: [], type: 'integer' };
  const date: ColumnDef = { aliases: [], type: 'date' };
  const lifecycle: ColumnDef = {
    aliases: [],
    type: 'enum',
    values: { new: ['新客', 'NEW'], existing: ['老客', 'existing'], referral: ['转介绍'] },
  };

  it('property: money, integers, dates and enums parse as parseCell parses them, errors included', () => {
    const digits = fc.stringMatching(/^-?\d{1,16}(\.\d{0,3})?$/);
    const messy = fc.constantFrom(
      '1,299.00',
      '¥12',
      '-0',
      '-0.00',
      '(5)',
      '１２',
      ' 7 ',
      '1e3',
      '+3',
      '3万',
      '',
      'x',
      '0.5',
      '.5',
      '5.',
    );
    fc.assert(
      fc.property(fc.oneof(digits, messy, fc.double({ noNaN: true }), fc.integer()), (raw) => {
        same(money, raw);
        same(integer, raw);
      }),
      { numRuns: 3000 },
    );
    for (const raw of [
      '2026-03-01',
      '2026/3/1',
      '2026年3月1日',
      '2026-02-30',
      'soon',
      46000,
      ' 2026-03-01 ',
    ])
      same(date, raw);
    for (const raw of ['新客', 'new', 'NEW', ' 老 客 ', 'Existing', '转介绍', 'vip', 3])
      same(lifecycle, raw);
  });

  it('folds plain ASCII like the full fold: lower case, nothing else to do', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...'aZ09-_.@#S K\tＡ１ｂ中') }), (text) => {
        expect(fold(text)).toBe(text.normalize('NFKC').toLowerCase().replace(/\s+/g, ''));
      }),
      { numRuns: 3000 },
    );
  });
});

describe('RefIndex lookups (exact code first, folded texts once)', () => {
  const index = () =>
    new RefIndex([
      { id: 1, code: 'EAST', name_zh: '华东', name_en: 'East China' },
      { id: 2, code: 'WEST', name_zh: '华西', name_en: 'east' },
      { id: 3, code: 'S-01', name_zh: 'ＮＯＲＴＨ', name_en: 'North' },
    ]);

  it('finds a code as written, in any case or width, and either name; a code wins over a name that folds the same; unknown stays unknown, however often asked', () => {
    const refs = index();
    const ask = (text: string) => [refs.find(text), refs.find(text)];

    expect(ask('EAST')).toEqual([1, 1]);
    expect(ask('east')).toEqual([1, 1]);
    expect(ask('ｗｅｓｔ')).toEqual([2, 2]);
    expect(ask(' s-01 ')).toEqual([3, 3]);
    expect(ask('华东')).toEqual([1, 1]);
    expect(ask('east china')).toEqual([1, 1]);
    expect(ask('north')).toEqual([3, 3]);
    expect(ask('nowhere')).toEqual([undefined, undefined]);
  });

  it('given names are not to be matched, when a name is asked for, then nothing is found', () => {
    const codesOnly = new RefIndex([{ id: 7, code: 'R1', name_zh: '张三' }], false);

    expect(codesOnly.find('张三')).toBeUndefined();
    expect(codesOnly.find('r1')).toBe(7);
  });
});
