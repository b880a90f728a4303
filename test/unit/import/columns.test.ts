import iconv from 'iconv-lite';
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  checkUniqueKey,
  defineColumns,
  headerKey,
  mapTable,
} from '../../../src/app/import/columns.ts';
import { readTable, type RawTable } from '../../../src/app/import/read-table.ts';
import { buildXlsx } from './build-xlsx.ts';

const memberColumns = defineColumns({
  code: { aliases: ['工号', '员工编号', 'code', 'employee id'], required: true, type: 'string' },
  name: { aliases: ['姓名', 'name'], required: true, type: 'string' },
  hireDate: { aliases: ['入职日期', 'hire date'], required: true, type: 'date' },
  tier: {
    aliases: ['职级', 'tier'],
    type: 'enum',
    values: {
      senior: ['资深', '高级', 'senior'],
      regular: ['普通', '常规', 'regular'],
      new: ['新人', 'new'],
    },
  },
  quota: { aliases: ['目标', 'target'], type: 'money' },
  share: { aliases: ['提成比例', 'commission rate'], type: 'percent' },
  headcount: { aliases: ['人数', 'headcount'], type: 'integer' },
  weight: { aliases: ['权重', 'weight'], type: 'number' },
  active: { aliases: ['在职', 'active'], type: 'boolean' },
});

const csv = (text: string) => readTable(Buffer.from(text, 'utf8'), 'members.csv');

describe('mapTable: headers', () => {
  it('given Chinese headers, when mapped, then every type is read', async () => {
    const table = await csv(
      '工号,姓名,入职日期,职级,目标,提成比例,人数,权重,在职\n' +
        ' E001 ,张三,2024/3/1,资深,"¥1,234.50",3.5%,12,0.75,是\n' +
        'E002,李四,2024年4月15日,新人,120万,0.1,"1,000",-2,否\n',
    );
    const { records, problems } = mapTable(table, memberColumns);
    expect(problems).toEqual([]);
    expect(records).toEqual([
      {
        rowNumber: 2,
        values: {
          code: 'E001',
          name: '张三',
          hireDate: '2024-03-01',
          tier: 'senior',
          quota: 123450,
          share: 350,
          headcount: 12,
          weight: 0.75,
          active: true,
        },
      },
      {
        rowNumber: 3,
        values: {
          code: 'E002',
          name: '李四',
          hireDate: '2024-04-15',
          tier: 'new',
          quota: 120000000,
          share: 1000,
          headcount: 1000,
          weight: -2,
          active: false,
        },
      },
    ]);
  });

  it('given English headers in another order and case, when mapped, then they match the same fields', async () => {
    const table = await csv(
      'Hire Date,EMPLOYEE ID,Name,Tier,Active\n2024-01-02,A1,Ann,SENIOR,yes\n',
    );
    const { records, problems, headerOf } = mapTable(table, memberColumns);
    expect(problems).toEqual([]);
    expect(records[0]?.values).toMatchObject({
      code: 'A1',
      hireDate: '2024-01-02',
      tier: 'senior',
      active: true,
    });
    expect(records[0]?.values.quota).toBeNull();
    expect(headerOf).toEqual({
      code: 'EMPLOYEE ID',
      name: 'Name',
      hireDate: 'Hire Date',
      tier: 'Tier',
      active: 'Active',
    });
  });

  it('given full-width characters, spaces, required markers and unit suffixes, when mapped, then headers still match', () => {
    const variants = [
      '工号',
      ' 工 号 ',
      '*工号',
      '工号*',
      '工号（必填）',
      '工号(必填)',
      '工号【必填】',
    ];
    expect(new Set(variants.map((v) => headerKey(v).key))).toEqual(new Set(['工号']));
    expect(headerKey('金额（元）')).toEqual({ key: '金额', suffix: '元' });
    expect(headerKey('ＣＯＤＥ').key).toBe('code');
    expect(headerKey('Employee  ID').key).toBe('employeeid');
  });

  it('given a money header in 万元, when mapped, then values are scaled exactly; other units are refused', async () => {
    const table = await csv(
      '工号,姓名,入职日期,目标（万元）\nE1,张三,2024-01-01,1.2345\nE2,李四,2024-01-01,3亿\n',
    );
    const { records, problems } = mapTable(table, memberColumns);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.values.quota)).toEqual([1_234_500, 30_000_000_000]);

    const thousands = mapTable(
      await csv('工号,姓名,入职日期,目标(千元)\nE1,张三,2024-01-01,5\n'),
      memberColumns,
    );
    expect(thousands.problems).toEqual([
      {
        row: 1,
        column: '目标(千元)',
        code: 'IMPORT_UNIT_UNSUPPORTED',
        params: { column: '目标(千元)', unit: '千元' },
      },
    ]);
  });

  it('given a missing required column, when mapped, then it is reported once, without a row', async () => {
    const table = await csv('姓名,入职日期\n张三,2024-01-01\n李四,2024-01-02\n');
    const { problems } = mapTable(table, memberColumns);
    expect(problems).toEqual([
      {
        column: '工号',
        code: 'IMPORT_REQUIRED_COLUMN_MISSING',
        params: { column: '工号', columnEn: 'code' },
      },
    ]);
  });

  it('given an unknown column, when mapped, then it is an error by default and skipped on request', async () => {
    const table = await csv('工号,姓名,入职日期,备注\nE1,张三,2024-01-01,x\n');
    expect(mapTable(table, memberColumns).problems).toEqual([
      { row: 1, column: '备注', code: 'IMPORT_UNKNOWN_COLUMN', params: { column: '备注' } },
    ]);
    expect(mapTable(table, memberColumns, { unknownColumns: 'ignore' }).problems).toEqual([]);
  });

  it('given two headers for the same field, when mapped, then the second is reported', async () => {
    const table = await csv('工号,姓名,入职日期,员工编号\nE1,张三,2024-01-01,E1\n');
    expect(mapTable(table, memberColumns).problems).toEqual([
      {
        row: 1,
        column: '员工编号',
        code: 'IMPORT_DUPLICATE_COLUMN',
        params: { column: '员工编号', other: '工号' },
      },
    ]);
  });

  it('given a saved mapping for a CRM export, when mapped, then it overrides aliases and can ignore columns', async () => {
    const table = await csv('Owner ID,Owner,Start,姓名,Region\nA1,Ann,2024-05-06,ignored,East\n');
    const mapping = {
      'Owner ID': 'code',
      Owner: 'name',
      Start: 'hireDate',
      姓名: null,
      Region: null,
      Gone: 'removedField',
    };
    const { records, problems } = mapTable(table, memberColumns, { mapping });
    expect(problems).toEqual([]);
    expect(records[0]?.values).toMatchObject({ code: 'A1', name: 'Ann', hireDate: '2024-05-06' });
  });

  it('given two fields claiming the same alias, when defined, then it throws at once', () => {
    expect(() =>
      defineColumns({
        a: { aliases: ['编号'], type: 'string' },
        b: { aliases: ['编号 '], type: 'string' },
      }),
    ).toThrow(/编号/);
  });
});

describe('mapTable: cells', () => {
  it('given a file with 3 different bad cells, when mapped, then exactly those 3 problems are reported with row and header', async () => {
    const table = await csv(
      '工号,姓名,入职日期,职级,目标\n' +
        'E1,张三,2024-01-01,资深,100\n' +
        'E2,李四,2024-13-01,资深,100\n' +
        'E3,王五,2024-01-03,经理,100\n' +
        'E4,赵六,2024-01-04,普通,12.345\n',
    );
    const { problems, records } = mapTable(table, memberColumns);
    expect(problems).toEqual([
      { row: 3, column: '入职日期', code: 'DATE_INVALID', params: { value: '2024-13-01' } },
      {
        row: 4,
        column: '职级',
        code: 'ENUM_INVALID',
        params: { value: '经理', allowed: '资深、普通、新人' },
      },
      { row: 5, column: '目标', code: 'MONEY_TOO_PRECISE', params: { value: '12.345' } },
    ]);
    expect(records).toHaveLength(4);
    expect(records[1]?.values.hireDate).toBeNull();
  });

  it('given empty required cells and an over-long row, when mapped, then each is reported on its row', async () => {
    const table = await csv(
      '工号,姓名,入职日期\n,张三,2024-01-01\nE2,  ,\nE3,王五,2024-01-03,extra\n',
    );
    expect(mapTable(table, memberColumns).problems).toEqual([
      { row: 2, column: '工号', code: 'REQUIRED' },
      { row: 3, column: '姓名', code: 'REQUIRED' },
      { row: 3, column: '入职日期', code: 'REQUIRED' },
      { row: 4, code: 'IMPORT_ROW_TOO_LONG', params: { row: 4, expected: 3, actual: 4 } },
    ]);
  });

  it('given bad integers, numbers, booleans and percentages, when mapped, then each is named', async () => {
    const table = await csv(
      '工号,姓名,入职日期,人数,权重,在职,提成比例\nE1,张三,2024-01-01,1.5,abc,也许,15\n',
    );
    expect(mapTable(table, memberColumns).problems.map((p) => [p.column, p.code])).toEqual([
      ['人数', 'INTEGER_INVALID'],
      ['权重', 'NUMBER_INVALID'],
      ['在职', 'ENUM_INVALID'],
      ['提成比例', 'PERCENT_INVALID'],
    ]);
  });

  it('given an xlsx with date cells, date serials and numeric money and percent cells, when mapped, then each is converted', async () => {
    const bytes = await buildXlsx((add) => {
      add('成员').addRows([
        ['工号', '姓名', '入职日期', '目标', '提成比例', '人数'],
        [1001, '张三', new Date(Date.UTC(2024, 1, 29)), 1234.56, 0.35, 3],
        ['E2', '李四', 45352, 0.1 + 0.2, 0.155, 4],
        ['E3', '王五', '2024-03-05', -5, 1, 5],
      ]);
    });
    const { records, problems } = mapTable(await readTable(bytes, 'm.xlsx'), memberColumns);
    expect(problems).toEqual([]);
    expect(records.map((r) => r.values)).toMatchObject([
      { code: '1001', hireDate: '2024-02-29', quota: 123456, share: 3500, headcount: 3 },
      { code: 'E2', hireDate: '2024-03-01', quota: 30, share: 1550, headcount: 4 },
      { code: 'E3', hireDate: '2024-03-05', quota: -500, share: 10000, headcount: 5 },
    ]);
  });

  it('given a GBK file with Chinese enum values, when mapped, then it reads the same as UTF-8', async () => {
    const text = '工号,姓名,入职日期,职级\r\nE1,张三,2024-01-01,高级\r\n';
    const table = await readTable(iconv.encode(text, 'gbk'), 'm.csv');
    const { records, problems } = mapTable(table, memberColumns);
    expect(problems).toEqual([]);
    expect(records[0]?.values).toMatchObject({ name: '张三', tier: 'senior' });
  });
});

describe('checkUniqueKey', () => {
  it('given repeated codes, when checked, then each repeat points to the first row', async () => {
    const table = await csv(
      '工号,姓名,入职日期\nE1,a,2024-01-01\nE2,b,2024-01-01\nE1,c,2024-01-01\nE1,d,2024-01-01\n',
    );
    const { records, headerOf } = mapTable(table, memberColumns);
    expect(checkUniqueKey(records, 'code', headerOf.code ?? '工号')).toEqual([
      { row: 4, column: '工号', code: 'IMPORT_DUPLICATE_KEY', params: { code: 'E1', other: 2 } },
      { row: 5, column: '工号', code: 'IMPORT_DUPLICATE_KEY', params: { code: 'E1', other: 2 } },
    ]);
  });
});

describe('mapTable: types', () => {
  it('infers each value type from its column definition', () => {
    const table: RawTable = { headers: [], rows: [] };
    const values = mapTable(table, memberColumns).records[0]?.values;
    if (!values) return;
    expectTypeOf(values.code).toEqualTypeOf<string | null>();
    expectTypeOf(values.hireDate).toEqualTypeOf<string | null>();
    expectTypeOf(values.quota).toEqualTypeOf<number | null>();
    expectTypeOf(values.tier).toEqualTypeOf<'senior' | 'regular' | 'new' | null>();
    expectTypeOf(values.active).toEqualTypeOf<boolean | null>();
  });
});
