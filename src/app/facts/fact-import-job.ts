import type { Db } from '../../db/connect.ts';
import type { DateFormat } from '../../domain/dates.ts';
import type { MoneyRounding } from '../../domain/money.ts';
import { enqueueJob } from '../../db/jobs.ts';
import { attachJobFile, getJobFile, putJobFile } from '../../db/job-files.ts';
import { AppError, type Problem } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { chinaToday } from '../clock.ts';
import { loadColumnMapping, withMappingOptions } from './column-mappings.ts';
import {
  importFacts,
  type FactImportResult,
  type ImportFactsOptions,
  type ImportMode,
} from './import-facts.ts';
import { factKindOf } from './kinds.ts';
import type { CreateMissing } from './refs.ts';

export const FACT_IMPORT_JOB = 'facts.import';
/** An upload waits for its import at most this long; a result's bad-rows file is kept as long. */
const FILE_TTL_MS = 24 * 3600_000;
/** A bad-rows file of an in-line import is picked up at once; an hour is plenty. */
export const BAD_ROWS_TTL_MS = 3600_000;

export interface FactImportRequest {
  kind: string;
  fileName: string;
  mode?: ImportMode;
  createMissing?: CreateMissing;
  mappingId?: number;
  /** Amounts finer than a fen: refused (default) or rounded to the fen. */
  rounding?: MoneyRounding;
  dateFormat?: DateFormat;
  dryRun?: boolean;
}

interface FactImportPayload extends FactImportRequest {
  label: string;
  fileId: string;
}

/** What an import answers, in the database's terms: problems untranslated, bad rows as a stored file. */
export interface FactImportOutcome extends Omit<FactImportResult, 'badRows'> {
  badRowsFileId: string | null;
}

/**
 * Queues the import of an uploaded file as a durable job: the file is stored with the job in one
 * transaction, any instance's worker runs it, and the caller polls the job. Who may import what is
 * checked now (role, kind, mapping) and again, row by row, when the job runs as its creator.
 */
export async function startFactImport(
  db: Db,
  actor: Actor,
  input: FactImportRequest & { data: Buffer; rows: number },
  now: Date,
): Promise<{ jobId: number; total: number }> {
  assertRole(actor, ['admin', 'manager']);
  factKindOf(input.kind);
  if (input.mappingId !== undefined)
    await loadColumnMapping(db, input.kind, { id: input.mappingId });
  const { data, rows, ...request } = input;
  const jobId = await db.transaction().execute(async (trx) => {
    const fileId = await putJobFile(
      trx,
      {
        userId: actor.id,
        purpose: 'input',
        name: input.fileName,
        contentType: 'application/octet-stream',
        data,
      },
      now,
      FILE_TTL_MS,
    );
    const payload: FactImportPayload = { ...request, label: input.fileName, fileId };
    const id = await enqueueJob(
      trx,
      { kind: FACT_IMPORT_JOB, payload, createdBy: actor.id, locale: actor.locale, total: rows },
      now,
    );
    await attachJobFile(trx, fileId, id!);
    return id!;
  });
  return { jobId, total: rows };
}

/**
 * Runs a queued import as the user who queued it. `onProgress` is called inside the import's
 * transaction: throwing from it (the job was cancelled, the server is stopping) rolls back
 * everything the file wrote.
 */
export async function runFactImport(
  db: Db,
  actor: Actor,
  payload: FactImportPayload,
  jobId: number,
  o: { now: Date; onProgress: (done: number, total: number) => void },
): Promise<FactImportOutcome> {
  const file = await getJobFile(db, payload.fileId, o.now);
  if (!file || file.userId !== actor.id) throw new AppError('NOT_FOUND', { entity: 'import_job' });
  const saved =
    payload.mappingId === undefined
      ? undefined
      : await loadColumnMapping(db, payload.kind, { id: payload.mappingId });
  const opts: ImportFactsOptions = {
    actor: { userId: actor.id, role: actor.role, scope: actor.scope },
    now: o.now,
    today: chinaToday(o.now),
    mode: payload.mode,
    createMissing: payload.createMissing,
    rounding: payload.rounding,
    dateFormat: payload.dateFormat,
    dryRun: payload.dryRun,
    lang: actor.locale,
    onProgress: o.onProgress,
  };
  const result = await importFacts(
    db,
    payload.kind,
    file.data,
    payload.fileName,
    withMappingOptions(opts, saved),
  );
  return storeOutcome(db, actor, result, payload.fileName, o.now, jobId);
}

/** Keeps an import's rejected rows as a downloadable file and returns the outcome that names it. */
export async function storeOutcome(
  db: Db,
  actor: Actor,
  result: FactImportResult,
  fileName: string,
  now: Date,
  jobId: number | null = null,
): Promise<FactImportOutcome> {
  const { badRows, ...rest } = result;
  let badRowsFileId: string | null = null;
  if (badRows)
    badRowsFileId = await putJobFile(
      db,
      {
        jobId,
        userId: actor.id,
        purpose: 'bad_rows',
        name: `${fileName.replace(/\.[^.]*$/, '')}-problems.csv`,
        contentType: 'text/csv; charset=utf-8',
        data: badRows,
      },
      now,
      jobId === null ? BAD_ROWS_TTL_MS : FILE_TTL_MS,
    );
  return { ...rest, problems: rest.problems as Problem[], badRowsFileId };
}
