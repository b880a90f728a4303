import ExcelJS from 'exceljs';
import { expect, it } from 'vitest';
import { monthlyTableSheet } from '../../src/app/plans/plan-sheets.ts';
import { writeXlsx } from '../../src/app/import/write-table.ts';

it('exports a count’s weekly average with one decimal, as the screen shows it, and money in 元', async () => {
  const row = {
    ownerType: 'member' as const,
    ownerId: 7,
    ownerNameZh: '张三',
    ownerNameEn: 'Zhang San',
    metricKind: 'additive' as const,
    keyStrategy: null,
  };
  const sheet = monthlyTableSheet(
    {
      month: '2026-03',
      weeks: 4,
      rows: [
        // 7 new customers over four weeks: 1.75 a week, shown 1.8 (not 2).
        {
          ...row,
          cellId: 1,
          metric: 'new_customers',
          unit: 'count',
          monthlyTarget: 7,
          weeklyAverage: 2,
          weekly: [2, 2, 2, 1],
        },
        {
          ...row,
          cellId: 2,
          metric: 'revenue',
          unit: 'fen',
          monthlyTarget: 1_000_001,
          weeklyAverage: 250_000,
          weekly: [250_001, 250_000, 250_000, 250_000],
        },
      ],
    },
    {
      locale: 'en',
      metricNames: new Map([
        ['new_customers', 'New customers'],
        ['revenue', 'Revenue'],
      ]),
    },
  );
  const book = new ExcelJS.Workbook();
  await book.xlsx.load((await writeXlsx([sheet])) as never);
  const ws = book.worksheets[0]!;
  expect(ws.getRow(1).getCell(6).value).toBe('Weekly average');
  const count = ws.getRow(2);
  expect([count.getCell(5).value, count.getCell(6).value, count.getCell(7).value]).toEqual([
    7, 1.8, 2,
  ]);
  expect([count.getCell(5).numFmt, count.getCell(6).numFmt, count.getCell(7).numFmt]).toEqual([
    '#,##0',
    '#,##0.0',
    '#,##0',
  ]);
  const money = ws.getRow(3);
  expect([money.getCell(5).value, money.getCell(6).value]).toEqual([10_000.01, 2_500]);
  expect(money.getCell(6).numFmt).toBe(money.getCell(5).numFmt);
});
