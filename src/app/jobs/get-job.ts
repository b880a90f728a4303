import type { Db } from '../../db/connect.ts';
import { getJob as getJobRow } from '../../db/jobs.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { toJobView, type JobView } from './job-view.ts';

/** A job, for the user who started it or an admin; to anyone else it does not exist. */
export async function getJob(db: Db, actor: Actor, id: number): Promise<JobView> {
  const row = await getJobRow(db, id);
  if (!row || (row.created_by !== actor.id && actor.role !== 'admin'))
    throw new AppError('NOT_FOUND', { entity: 'job' });
  return toJobView(row);
}
