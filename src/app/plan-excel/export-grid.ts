import ExcelJS from 'exceljs';
import type { Actor } from '../actor.ts';
import type { Db } from '../../db/connect.ts';
import { isFrozenPeriod } from '../../db/plans/cells.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { AppError } from '../../domain/errors.ts';
import { columnLetter } from '../import/columns.ts';
import { displayWidth } from '../import/write-table.ts';
import type { Lang } from '../import-master/kind.ts';
import {
  isChildSum,
  isMonthSum,
  buildPlanGridFor,
  type GridModel,
  type GridRow,
} from '../plans/build-plan-grid.ts';
import {
  COLUMN,
  FIRST_DATA_ROW,
  FORMAT,
  HEADER_ROW,
  LEGEND_ROW,
  META_SHEET,
  gridUnitOf,
  headers,
  toCellNumber,
  word,
  type GridUnit,
} from './layout.ts';

export interface ExportGridOptions {
  versionId: number;
  metricCode: string;
  /** Start from this unit (default: the top of what the actor may see). */
  unitId?: number;
  lang: Lang;
  actor: Actor;
  now: Date;
  /** Money in 元 or 万元 (default 万元, how planners think); counts are written as they are. */
  amountUnit?: 'yuan' | 'wan';
}

export const FILL_LOCKED = 'FFFFE082';
export const FILL_FROZEN = 'FFD9D9D9';
const FILL_HEADER = 'FFF2F2F2';

/**
 * The decomposition grid as an .xlsx a planner edits in Excel and imports back: every total is a
 * live formula (a row's year = SUM of its months, a unit's month = SUM of its children's rows), so
 * editing a rep's month recomputes the team, the region and the company at once. Locked cells are
 * filled yellow and listed in the trailing 锁定 column, frozen months grey; the hidden `_meta`
 * sheet ties the file to the version, its `version` and its `cells_rev`, so a stale file is refused.
 */
export async function exportGridXlsx(db: Db, o: ExportGridOptions): Promise<Buffer> {
  const metric = await metricByCode(db, o.metricCode);
  if (metric.kind !== 'additive')
    throw new AppError('METRIC_NOT_SPLITTABLE', { code: metric.code, kind: metric.kind });
  // The screen's own read model (`readPlanGrid` builds the same rows from the same call).
  const model = await buildPlanGridFor(db, o.actor, {
    versionId: o.versionId,
    metricCode: metric.code,
    ...(o.unitId === undefined ? {} : { unitId: o.unitId }),
  });
  const unit = gridUnitOf(metric.unit, o.amountUnit ?? 'wan');

  const wb = new ExcelJS.Workbook();
  wb.created = o.now;
  const ws = wb.addWorksheet(
    `${model.year} ${o.lang === 'zh-CN' ? metric.name_zh : metric.name_en}`
      .slice(0, 31)
      .replace(/[:\\/?*[\]]/g, '_'),
    {
      views: [{ state: 'frozen', xSplit: 2, ySplit: HEADER_ROW }],
    },
  );
  writeLegend(ws, model, unit, o.lang, o.lang === 'zh-CN' ? metric.name_zh : metric.name_en);
  const head2 = headers(model.months, unit, o.lang);
  const headerRow = ws.getRow(HEADER_ROW);
  head2.forEach((h, i) => {
    const c = headerRow.getCell(i + 1);
    c.value = h;
    c.font = { bold: true };
    c.fill = solid(FILL_HEADER);
  });
  writeRows(ws, model, unit, o.lang);
  sizeColumns(ws, model, head2);

  const meta = wb.addWorksheet(META_SHEET, { state: 'hidden' });
  const entries: [string, string | number][] = [
    ['key', 'value'],
    ['format', FORMAT],
    ['versionId', model.version.id],
    ['planId', model.plan.id],
    ['fiscalYear', model.plan.fiscal_year],
    ['versionNumber', model.version.number],
    ['metric', metric.code],
    ['version', model.version.version],
    ['cellsRev', model.version.cells_rev],
    ['unitId', o.unitId ?? ''],
    ['amountUnit', unit],
    ['lang', o.lang],
    ['frozenBefore', model.version.frozen_before ?? ''],
    ['generatedAt', o.now.toISOString()],
    ['generatedBy', o.actor.username],
  ];
  for (const e of entries) meta.addRow(e);
  const data = await wb.xlsx.writeBuffer();
  return Buffer.from(data as ArrayBuffer);
}

function writeLegend(
  ws: ExcelJS.Worksheet,
  model: GridModel,
  unit: GridUnit,
  lang: Lang,
  metricName: string,
): void {
  // A1 is the colour swatch (no value), B1 the only text: the reader skips a single-value title row.
  const row = ws.getRow(LEGEND_ROW);
  row.getCell(1).fill = solid(FILL_LOCKED);
  const unitText =
    unit === 'count'
      ? ''
      : lang === 'zh-CN'
        ? unit === 'wan'
          ? '单位：万元'
          : '单位：元'
        : unit === 'wan'
          ? 'amounts in CNY 10k (万元)'
          : 'amounts in CNY';
  const frozen = model.version.frozen_before;
  row.getCell(2).value =
    lang === 'zh-CN'
      ? `${model.year} ${metricName} 目标分解（版本 ${model.version.number}）· ${unitText} · 黄色 = ${word('locked', lang)}（导入时不能修改）` +
        (frozen ? ` · 灰色 = 已冻结（${frozen} 之前）` : '') +
        ' · 合计与上级均为公式，改月份后自动重算'
      : `${model.year} ${metricName} targets (version ${model.version.number}) · ${unitText} · yellow = ${word('locked', lang)} (cannot change on import)` +
        (frozen ? ` · grey = frozen (before ${frozen})` : '') +
        ' · totals and parents are formulas and recompute when you edit a month';
  row.getCell(2).font = { italic: true };
}

function writeRows(ws: ExcelJS.Worksheet, model: GridModel, unit: GridUnit, lang: Lang): void {
  const excelRow = (r: GridRow) => FIRST_DATA_ROW + r.index;
  const yearCol = COLUMN.firstMonth + model.months.length;
  const numFmt = unit === 'wan' ? '#,##0.00####' : unit === 'yuan' ? '#,##0.00' : '#,##0';
  for (const r of model.rows) {
    const row = ws.getRow(excelRow(r));
    row.getCell(COLUMN.code).value = r.code;
    const name = row.getCell(COLUMN.name);
    name.value = lang === 'zh-CN' ? r.nameZh : r.nameEn;
    name.alignment = { indent: r.depth };
    row.getCell(COLUMN.type).value = word(r.ownerType, lang);
    row.getCell(COLUMN.parent).value = r.parentCode || null;
    if (r.ownerType === 'unit') row.font = { bold: true };
    const locks: string[] = [];
    const periods = [...model.months, model.year];
    periods.forEach((p, i) => {
      const col = COLUMN.firstMonth + i;
      const cell = row.getCell(col);
      const stored = r.cells.get(p);
      const letter = columnLetter(col - 1);
      let value: number | null = stored ? stored.value : null;
      if (p === model.year ? isMonthSum(model, r) : isChildSum(model, r, p)) {
        const formula =
          p === model.year
            ? `SUM(${columnLetter(COLUMN.firstMonth - 1)}${excelRow(r)}:${columnLetter(yearCol - 2)}${excelRow(r)})`
            : sumOf(
                letter,
                r.children
                  .filter((k) => model.rows[k]?.cells.has(p))
                  .map((k) => FIRST_DATA_ROW + k),
              );
        value = p === model.year ? sumMonths(model, r) : sumChildren(model, r, p);
        cell.value = { formula, result: toCellNumber(value, unit) };
      } else if (value !== null) {
        cell.value = toCellNumber(value, unit);
      }
      cell.numFmt = numFmt;
      if (stored?.locked === 1) {
        cell.fill = solid(FILL_LOCKED);
        locks.push(p === model.year ? word('year', lang) : p);
      } else if (isFrozenPeriod(p, model.version.frozen_before)) {
        cell.fill = solid(FILL_FROZEN);
      }
    });
    row.getCell(yearCol + 1).value = locks.length > 0 ? locks.join(', ') : null;
  }
}

function sumMonths(model: GridModel, r: GridRow): number {
  return model.months.reduce((a, m) => a + (r.cells.get(m)?.value ?? 0), 0);
}

function sumChildren(model: GridModel, r: GridRow, p: string): number {
  return r.children.reduce((a, k) => a + (model.rows[k]?.cells.get(p)?.value ?? 0), 0);
}

/**
 * SUM of the given rows of one column, consecutive rows as ranges (a team's members are one
 * range), at most 255 arguments per SUM as Excel allows — nested beyond that.
 */
export function sumOf(letter: string, rows: readonly number[]): string {
  const args: string[] = [];
  let i = 0;
  while (i < rows.length) {
    const start = rows[i] ?? 0;
    let end = start;
    while (i + 1 < rows.length && rows[i + 1] === end + 1) end = rows[++i] ?? end;
    args.push(start === end ? `${letter}${start}` : `${letter}${start}:${letter}${end}`);
    i++;
  }
  let parts = args;
  while (parts.length > 255) {
    const next: string[] = [];
    for (let k = 0; k < parts.length; k += 255)
      next.push(`SUM(${parts.slice(k, k + 255).join(',')})`);
    parts = next;
  }
  return `SUM(${parts.join(',')})`;
}

function sizeColumns(ws: ExcelJS.Worksheet, model: GridModel, head: string[]): void {
  const sample = model.rows.slice(0, 500);
  const nameWidth = Math.max(
    displayWidth(head[1] ?? ''),
    ...sample.map((r) => displayWidth(r.nameZh) + 2 * r.depth, 0),
  );
  const codeWidth = Math.max(
    displayWidth(head[0] ?? ''),
    ...sample.map((r) => displayWidth(r.code)),
  );
  ws.getColumn(COLUMN.code).width = Math.min(30, codeWidth + 2);
  ws.getColumn(COLUMN.name).width = Math.min(40, nameWidth + 4);
  ws.getColumn(COLUMN.type).width = 8;
  ws.getColumn(COLUMN.parent).width = Math.min(30, codeWidth + 4);
  for (let i = 0; i <= model.months.length; i++)
    ws.getColumn(COLUMN.firstMonth + i).width = Math.max(
      14,
      displayWidth(head[COLUMN.firstMonth - 1 + i] ?? '') + 2,
    );
  ws.getColumn(COLUMN.firstMonth + model.months.length + 1).width = 18;
}

function solid(argb: string): ExcelJS.Fill {
  return { type: 'pattern', pattern: 'solid', fgColor: { argb } };
}
