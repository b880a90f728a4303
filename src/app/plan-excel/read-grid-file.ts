import { AppError, isAppError, type Problem } from '../../domain/errors.ts';
import type { MetricUnit, OwnerType } from '../../db/schema.ts';
import { isBlank, parseCell, type MoneyScale } from '../import/parse-cell.ts';
import { readTable, type RawCell, type RawTable } from '../import/read-table.ts';
import { bindHeader, META_SHEET, parseType } from './layout.ts';

export interface GridMeta {
  versionId: number;
  metric: string;
  version: number;
  /** The version's `cells_rev` the file was read at (0 for a file from before cell revisions). */
  cellsRev: number;
  amountUnit: string;
  lang: 'zh-CN' | 'en';
}

/** The `_meta` sheet: which version and metric the file belongs to and the `version` it was read at. */
export async function readGridMeta(buffer: Buffer, fileName: string): Promise<GridMeta> {
  const t = await readTable(buffer, fileName, { sheetName: META_SHEET });
  const kv = new Map(t.rows.map((r) => [String(r.cells[0] ?? '').trim(), r.cells[1] ?? null]));
  const num = (k: string) => {
    const v = Number(kv.get(k));
    if (!Number.isSafeInteger(v) || v <= 0) {
      throw new AppError('IMPORT_INVALID', { count: 1 }, [
        {
          column: META_SHEET,
          code: 'IMPORT_MISSING_COLUMN',
          params: { column: `${META_SHEET}!${k}` },
        },
      ]);
    }
    return v;
  };
  const lang = kv.get('lang') === 'en' ? 'en' : 'zh-CN';
  return {
    versionId: num('versionId'),
    metric: String(kv.get('metric') ?? 'revenue'),
    version: num('version'),
    cellsRev: Number.isSafeInteger(Number(kv.get('cellsRev'))) ? Number(kv.get('cellsRev')) : 0,
    amountUnit: String(kv.get('amountUnit') ?? ''),
    lang,
  };
}

/** One data row of the grid sheet, typed; bad cells are left out and reported in `problems`. */
export interface FileRow {
  rowNumber: number;
  code: string;
  ownerType: OwnerType | undefined;
  /** undefined when the file has no parent column. */
  parentCode: string | undefined;
  /** Per period ('YYYY-MM' and the year under `yearKey`): a number (fen or count), null for a blank cell. */
  values: Map<string, number | null>;
  /** Periods whose cell could not be read. */
  bad: Set<string>;
}

export interface GridFile {
  rows: FileRow[];
  /** The header each period was read from, for naming it in problems. */
  headerOf: Map<string, string>;
  codeHeader: string;
  parentHeader: string;
  problems: Problem[];
}

/**
 * Reads the grid sheet with the shared reader and binds its columns by header (either language).
 * Formula cells arrive as their cached results, which the importer checks but never trusts.
 */
export async function readGridFile(
  buffer: Buffer,
  fileName: string,
  months: readonly string[],
  year: string,
  metricUnit: MetricUnit,
): Promise<GridFile> {
  const table: RawTable = await readTable(buffer, fileName);
  const headerRow = table.headerRowNumber ?? 1;
  const problems: Problem[] = [];
  const at: Partial<Record<'code' | 'type' | 'parent', number>> = {};
  const periodAt = new Map<string, { index: number; scale: MoneyScale }>();
  const headerOf = new Map<string, string>();
  const seen = new Map<string, string>();
  table.headers.forEach((h, index) => {
    if (h.trim() === '') return;
    const b = bindHeader(h, months, year);
    const id = b.field === 'month' ? b.period : b.field;
    if (b.field === 'unknown') {
      problems.push({
        row: headerRow,
        column: h,
        code: 'IMPORT_UNKNOWN_COLUMN',
        params: { column: h },
      });
      return;
    }
    const other = seen.get(id);
    if (other !== undefined) {
      problems.push({
        row: headerRow,
        column: h,
        code: 'IMPORT_DUPLICATE_COLUMN',
        params: { column: h, other },
      });
      return;
    }
    seen.set(id, h);
    if (b.field === 'month' || b.field === 'year') {
      if (b.scale === undefined) {
        problems.push({
          row: headerRow,
          column: h,
          code: 'IMPORT_UNIT_UNSUPPORTED',
          params: { column: h, unit: h },
        });
        return;
      }
      const period = b.field === 'month' ? b.period : year;
      periodAt.set(period, { index, scale: b.scale });
      headerOf.set(period, h);
    } else if (b.field === 'code' || b.field === 'type' || b.field === 'parent') {
      at[b.field] = index;
    }
  });
  const codeHeader = at.code === undefined ? '编码' : (table.headers[at.code] ?? '');
  const parentHeader = at.parent === undefined ? '上级编码' : (table.headers[at.parent] ?? '');
  if (at.code === undefined) {
    problems.push({
      column: codeHeader,
      code: 'IMPORT_MISSING_COLUMN',
      params: { column: codeHeader },
    });
    throw new AppError('IMPORT_INVALID', { count: problems.length }, problems);
  }

  const text = (c: RawCell | undefined) => (c === null || c === undefined ? '' : String(c).trim());
  const rows: FileRow[] = [];
  for (const r of table.rows) {
    const code = text(r.cells[at.code]);
    const row: FileRow = {
      rowNumber: r.rowNumber,
      code,
      ownerType: at.type === undefined ? undefined : parseType(text(r.cells[at.type])),
      parentCode: at.parent === undefined ? undefined : text(r.cells[at.parent]),
      values: new Map(),
      bad: new Set(),
    };
    if (code === '') {
      problems.push({ row: r.rowNumber, column: codeHeader, code: 'REQUIRED' });
      continue;
    }
    if (at.type !== undefined && row.ownerType === undefined && text(r.cells[at.type]) !== '') {
      const header = table.headers[at.type] ?? '';
      problems.push({
        row: r.rowNumber,
        column: header,
        code: 'ENUM_INVALID',
        params: { value: text(r.cells[at.type]), allowed: '组织/人员, unit/member' },
      });
      continue;
    }
    for (const [period, { index, scale }] of periodAt) {
      const raw = r.cells[index];
      if (raw === undefined || raw === null || isBlank(raw)) {
        row.values.set(period, null);
        continue;
      }
      try {
        const v =
          metricUnit === 'fen'
            ? parseCell({ type: 'money', aliases: [] }, raw, scale)
            : parseCell({ type: 'integer', aliases: [] }, raw);
        row.values.set(period, v as number);
      } catch (e) {
        if (!isAppError(e)) throw e;
        row.bad.add(period);
        // Name the value as the user typed it, not with the header's scale appended ('abc', not 'abc万').
        const params = 'value' in e.params ? { ...e.params, value: String(raw).trim() } : e.params;
        problems.push({
          row: r.rowNumber,
          column: headerOf.get(period) ?? period,
          code: e.code,
          params,
        });
      }
    }
    rows.push(row);
  }
  return { rows, headerOf, codeHeader, parentHeader, problems };
}
