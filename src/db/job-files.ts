import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type JobFilePurpose = 'input' | 'bad_rows' | 'export';

export interface StoredFile {
  id: string;
  name: string;
  contentType: string;
  data: Buffer;
  jobId: number | null;
  userId: number | null;
}

/**
 * Stores a file a job reads or writes (an upload waiting for its import, a bad-rows CSV, an
 * export) in the database, so a restart or another instance finds it. The id is an unguessable
 * token; readers still check the user.
 */
export async function putJobFile(
  q: Q,
  f: {
    jobId?: number | null;
    userId: number | null;
    purpose: JobFilePurpose;
    name: string;
    contentType: string;
    data: Buffer;
  },
  now: Date,
  ttlMs: number,
): Promise<string> {
  const id = randomBytes(16).toString('hex');
  await q
    .insertInto('job_files')
    .values({
      id,
      job_id: f.jobId ?? null,
      user_id: f.userId,
      purpose: f.purpose,
      name: f.name,
      content_type: f.contentType,
      size: f.data.length,
      data: f.data,
      created_at: now.toISOString(),
      expires_at: new Date(now.getTime() + ttlMs).toISOString(),
    })
    .execute();
  return id;
}

export async function getJobFile(q: Q, id: string, now: Date): Promise<StoredFile | undefined> {
  const row = await q
    .selectFrom('job_files')
    .selectAll()
    .where('id', '=', id)
    .where('expires_at', '>', now.toISOString())
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    id: row.id,
    name: row.name,
    contentType: row.content_type,
    data: Buffer.from(row.data),
    jobId: row.job_id,
    userId: row.user_id,
  };
}

export async function attachJobFile(q: Q, id: string, jobId: number): Promise<void> {
  await q.updateTable('job_files').set({ job_id: jobId }).where('id', '=', id).execute();
}

export async function pruneJobFiles(q: Q, now: Date): Promise<number> {
  const res = await q
    .deleteFrom('job_files')
    .where('expires_at', '<=', now.toISOString())
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
