import { AppError } from '../../domain/errors.ts';
import type { Columns } from '../import/columns.ts';
import { writeCsv, writeXlsx, type OutCell } from '../import/write-table.ts';
import type { AnyKind, Lang } from './kind.ts';
import { masterKinds } from './kinds.ts';

/** The kind of master data by name, or ENUM_INVALID listing the known ones. */
export function kindOf(name: string): AnyKind {
  const kind = (masterKinds as unknown as Record<string, AnyKind>)[name];
  if (!kind)
    throw new AppError('ENUM_INVALID', {
      value: name,
      allowed: Object.keys(masterKinds).join(', '),
    });
  return kind;
}

export type ExportFormat = 'xlsx' | 'csv';

/** The file's fields and their headers in `lang` (required ones starred). */
export function headersFor(columns: Columns, lang: Lang): { fields: string[]; headers: string[] } {
  const fields = Object.keys(columns);
  const headers = fields.map((f) => {
    const def = columns[f]!;
    const label = (lang === 'en' ? def.aliases[1] : def.aliases[0]) ?? f;
    return def.required ? `*${label}` : label;
  });
  return { fields, headers };
}

/** One sheet as CSV or xlsx. */
export async function encode(
  sheetName: string,
  headers: string[],
  rows: OutCell[][],
  format: ExportFormat,
): Promise<Buffer> {
  if (format === 'csv') return writeCsv(headers, rows);
  return writeXlsx([{ name: sheetName, headers, rows }]);
}

/** An empty sheet with the headers (required ones starred) and one example row. */
export async function importTemplate(kindName: string, lang: Lang): Promise<Buffer> {
  const kind = kindOf(kindName);
  const { fields, headers } = headersFor(kind.columns, lang);
  return encode(kindName, headers, [fields.map((f) => kind.example[f] ?? null)], 'xlsx');
}
