import type { Db } from '../../db/connect.ts';
import { enqueueJob } from '../../db/jobs.ts';
import { putJobFile } from '../../db/job-files.ts';
import type { Actor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import { kindOf } from './engine.ts';
import { exportMasterData, type ExportMasterDataInput } from './export-master-data.ts';

export const MASTER_DATA_EXPORT_JOB = 'master_data.export';

/** How long an export waits to be downloaded. */
const EXPORT_TTL_MS = 24 * 3600_000;

export interface MasterDataExportOutcome {
  fileId: string;
  fileName: string;
  rows: number;
}

/**
 * Queues an export of a master-data list as a background job, so a list of a hundred thousand
 * customers never holds a request (or the event loop of the instance serving it) while it is
 * read and written. The job runs as the user who asked, so it sees exactly what they may see;
 * its file is kept for a day and only they can download it.
 */
export async function startMasterDataExport(
  db: Db,
  actor: Actor,
  input: ExportMasterDataInput,
  now: Date,
): Promise<{ jobId: number }> {
  kindOf(input.kind); // an unknown kind is refused now, not in the worker
  const id = await enqueueJob(
    db,
    {
      kind: MASTER_DATA_EXPORT_JOB,
      payload: { ...input, label: `${input.kind}-${chinaToday(now)}.${input.format}` },
      createdBy: actor.id,
      locale: actor.locale,
      maxAttempts: 2,
    },
    now,
  );
  return { jobId: id! };
}

/** The job's work: the same export as the download, stored as the job's file. */
export async function runMasterDataExport(
  db: Db,
  actor: Actor,
  input: ExportMasterDataInput,
  jobId: number,
  now: Date,
): Promise<MasterDataExportOutcome> {
  let rows = 0;
  const bytes = await exportMasterData(db, actor, input, now, (n) => (rows = n));
  const fileName = `${input.kind}-${chinaToday(now)}.${input.format}`;
  const fileId = await putJobFile(
    db,
    {
      jobId,
      userId: actor.id,
      purpose: 'export',
      name: fileName,
      contentType:
        input.format === 'csv'
          ? 'text/csv; charset=utf-8'
          : 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      data: bytes,
    },
    now,
    EXPORT_TTL_MS,
  );
  return { fileId, fileName, rows };
}
