import type { Db } from '../../db/connect.ts';
import { getJobFile, type StoredFile } from '../../db/job-files.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';

/**
 * A stored file (a bad-rows CSV, an export), only for the user it was made for: it holds rows of
 * their scope, and nobody else's request produced it.
 */
export async function readJobFile(
  db: Db,
  actor: Actor,
  id: string,
  now: Date,
): Promise<StoredFile> {
  const file = await getJobFile(db, id, now);
  if (!file || file.userId !== actor.id)
    throw new AppError('NOT_FOUND', { entity: 'bad_rows_file' });
  return file;
}
