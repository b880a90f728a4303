import { createHash } from 'node:crypto';
import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError, type Problem } from '../../domain/errors.ts';
import { checkUniqueKey, mapTable, type Columns } from '../import/columns.ts';
import { readTable } from '../import/read-table.ts';
import { writeCsv, writeXlsx, type OutCell } from '../import/write-table.ts';
import type { Actor, AnyKind, ImportContext, Lang } from './kind.ts';
import { masterKinds, type MasterKindName } from './kinds.ts';

export interface ImportOptions {
  actor: Actor;
  now: Date;
  today: string;
  /** Check everything and report what would change, but write nothing. */
  dryRun?: boolean;
  /** Saved header → field mapping (e.g. for a CRM export), overriding the built-in aliases. */
  mapping?: Record<string, string | null>;
  onProgress?: (done: number, total: number) => void;
}

export interface ImportResult {
  kind: MasterKindName;
  batchId: number | null;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  dryRun: boolean;
}

class DryRunRollback extends Error {}

export function kindOf(name: string): AnyKind {
  const kind = (masterKinds as unknown as Record<string, AnyKind>)[name];
  if (!kind)
    throw new AppError('ENUM_INVALID', {
      value: name,
      allowed: Object.keys(masterKinds).join(', '),
    });
  return kind;
}

/**
 * Imports one file of master data: all or nothing. Every problem (bad cell, unknown reference,
 * duplicate code, a row outside the caller's scope) is collected first; if there is any, nothing
 * is written and IMPORT_INVALID carries the list. Otherwise all rows are applied in one
 * transaction. Rows equal to what is stored are left alone, so re-importing a file changes nothing.
 */
export async function importMasterData(
  db: Db,
  kindName: string,
  buffer: Buffer,
  fileName: string,
  opts: ImportOptions,
): Promise<ImportResult> {
  const kind = kindOf(kindName);
  if (!kind.roles.includes(opts.actor.role)) throw new AppError('FORBIDDEN');
  const ctx: ImportContext = { actor: opts.actor, now: opts.now, today: opts.today };

  const table = await readTable(buffer, fileName);
  const mapped = mapTable(table, kind.columns, { mapping: opts.mapping });
  const header = (field: string) =>
    mapped.headerOf[field] ?? kind.columns[field]?.aliases[0] ?? field;
  const problems: Problem[] = [
    ...mapped.problems,
    ...checkUniqueKey(mapped.records, 'code', header('code')),
  ];
  const prepared = await kind.prepare(db, mapped.records, ctx, header);
  problems.push(...prepared.problems);
  if (problems.length > 0) {
    problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    throw new AppError('IMPORT_INVALID', { count: problems.length }, problems);
  }

  const result: ImportResult = {
    kind: kindName as MasterKindName,
    batchId: null,
    rows: mapped.records.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    dryRun: opts.dryRun ?? false,
  };
  try {
    await db.transaction().execute(async (trx) => {
      let done = 0;
      for (const item of prepared.items) {
        result[await kind.apply(trx, item, ctx)]++;
        opts.onProgress?.(++done, prepared.items.length);
      }
      if (opts.dryRun) throw new DryRunRollback();
      const batch = await trx
        .insertInto('import_batches')
        .values({
          kind: kindName,
          file_name: fileName,
          file_sha256: createHash('sha256').update(buffer).digest('hex'),
          user_id: opts.actor.userId,
          created_at: opts.now.toISOString(),
          row_count: result.rows,
          created_count: result.created,
          updated_count: result.updated,
          unchanged_count: result.unchanged,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      result.batchId = batch.id;
      await audit(trx, opts.now, {
        userId: opts.actor.userId,
        action: 'import',
        entity: 'import_batch',
        entityId: batch.id,
        after: {
          kind: kindName,
          fileName,
          rows: result.rows,
          created: result.created,
          updated: result.updated,
        },
      });
    });
  } catch (e) {
    if (!(e instanceof DryRunRollback)) throw e;
  }
  return result;
}

export type ExportFormat = 'xlsx' | 'csv';

function headersFor(columns: Columns, lang: Lang): { fields: string[]; headers: string[] } {
  const fields = Object.keys(columns);
  const headers = fields.map((f) => {
    const def = columns[f]!;
    const label = (lang === 'en' ? def.aliases[1] : def.aliases[0]) ?? f;
    return def.required ? `*${label}` : label;
  });
  return { fields, headers };
}

async function encode(
  sheetName: string,
  headers: string[],
  rows: OutCell[][],
  format: ExportFormat,
): Promise<Buffer> {
  if (format === 'csv') return writeCsv(headers, rows);
  return writeXlsx([{ name: sheetName, headers, rows }]);
}

/** Exports the rows the actor may see, in a file that imports back unchanged. */
export async function exportMasterData(
  db: Db,
  kindName: string,
  format: ExportFormat,
  opts: { actor: Actor; now: Date; today: string; lang: Lang },
): Promise<Buffer> {
  const kind = kindOf(kindName);
  const { fields, headers } = headersFor(kind.columns, opts.lang);
  const rows = await kind.exportRows(
    db,
    { actor: opts.actor, now: opts.now, today: opts.today },
    opts.lang,
  );
  return encode(
    kindName,
    headers,
    rows.map((r) => fields.map((f) => r[f] ?? null)),
    format,
  );
}

/** An empty sheet with the headers (required ones starred) and one example row. */
export async function importTemplate(kindName: string, lang: Lang): Promise<Buffer> {
  const kind = kindOf(kindName);
  const { fields, headers } = headersFor(kind.columns, lang);
  return encode(kindName, headers, [fields.map((f) => kind.example[f] ?? null)], 'xlsx');
}
