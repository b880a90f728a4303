import { createHash } from 'node:crypto';
import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError, type Problem } from '../../domain/errors.ts';
import type { Actor as AppActor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import { checkUniqueKey, mapTable } from '../import/columns.ts';
import { readTable, yieldToEventLoop } from '../import/read-table.ts';
import { kindOf } from './engine.ts';
import type { Actor, ImportContext } from './kind.ts';
import type { MasterKindName } from './kinds.ts';

export interface ImportMasterDataInput {
  /** The kind of master data (`org-units`, `members`, …; ENUM_INVALID otherwise). */
  kind: string;
  buffer: Buffer;
  fileName: string;
  /** Check everything and report what would change, but write nothing. */
  dryRun?: boolean | undefined;
  /** Saved header → field mapping (e.g. for a CRM export), overriding the built-in aliases. */
  mapping?: Record<string, string | null> | undefined;
  onProgress?: ((done: number, total: number) => void) | undefined;
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

/**
 * Rows applied between two turns of the event loop. On SQLite every statement runs synchronously
 * and awaiting it only queues a microtask, so without a macrotask turn a 50,000-row file (or its
 * dry run) would hold every other request for its whole length.
 */
const APPLY_YIELD_EVERY = 100;

/**
 * Who imports or exports: a signed-in user (API, jobs) or the command line, which acts as an
 * administrator without a user id.
 */
export function importActor(actor: AppActor | Actor): Actor {
  if ('userId' in actor) return actor;
  return { userId: actor.id, role: actor.role, scope: actor.scope };
}

/**
 * Imports one file of master data: all or nothing. Every problem (bad cell, unknown reference,
 * duplicate code, a row outside the caller's scope) is collected first; if there is any, nothing
 * is written and IMPORT_INVALID carries the list. Otherwise all rows are applied in one
 * transaction with the batch and its audit entry. Rows equal to what is stored are left alone,
 * so re-importing a file changes nothing. Transfers in the file take effect on today (China).
 */
export async function importMasterData(
  db: Db,
  actor: AppActor | Actor,
  input: ImportMasterDataInput,
  now: Date,
): Promise<ImportResult> {
  const kindName = input.kind;
  const kind = kindOf(kindName);
  const by = importActor(actor);
  if (!kind.roles.includes(by.role)) throw new AppError('FORBIDDEN');
  const ctx: ImportContext = { actor: by, now, today: chinaToday(now) };
  const { buffer, fileName } = input;

  const table = await readTable(buffer, fileName);
  const mapped = mapTable(table, kind.columns, { mapping: input.mapping });
  const header = (field: string) =>
    mapped.headerOf[field] ?? kind.columns[field]?.aliases[0] ?? field;
  const problems: Problem[] = [
    ...mapped.problems,
    ...checkUniqueKey(mapped.records, 'code', header('code')),
  ];

  const result: ImportResult = {
    kind: kindName as MasterKindName,
    batchId: null,
    rows: mapped.records.length,
    created: 0,
    updated: 0,
    unchanged: 0,
    dryRun: input.dryRun ?? false,
  };
  try {
    await db.transaction().execute(async (trx) => {
      // References and the scope of every row are checked against what the writes will see.
      const prepared = await kind.prepare(
        trx,
        mapped.records,
        ctx,
        header,
        (field) => mapped.headerOf[field] !== undefined,
      );
      problems.push(...prepared.problems);
      if (problems.length > 0) {
        problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
        throw new AppError('IMPORT_INVALID', { count: problems.length }, problems);
      }
      let done = 0;
      for (const item of prepared.items) {
        result[await kind.apply(trx, item, ctx)]++;
        input.onProgress?.(++done, prepared.items.length);
        if (done % APPLY_YIELD_EVERY === 0) await yieldToEventLoop();
      }
      if (input.dryRun) throw new DryRunRollback();
      const batch = await trx
        .insertInto('import_batches')
        .values({
          kind: kindName,
          file_name: fileName,
          file_sha256: createHash('sha256').update(buffer).digest('hex'),
          user_id: by.userId,
          created_at: now.toISOString(),
          row_count: result.rows,
          created_count: result.created,
          updated_count: result.updated,
          unchanged_count: result.unchanged,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      result.batchId = batch.id;
      await audit(trx, now, {
        userId: by.userId,
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
