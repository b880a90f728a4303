import type { Db } from '../../db/connect.ts';
import type { JobState } from '../../db/schema.ts';
import type { Actor } from '../actor.ts';
import { toJobView, type JobView } from './job-view.ts';

export interface ListJobsInput {
  /** Admins may list everyone's jobs; everyone else sees their own whatever they ask. */
  all?: boolean;
  state?: JobState;
  limit?: number;
}

/** The caller's jobs, newest first. */
export async function listJobs(db: Db, actor: Actor, input: ListJobsInput): Promise<JobView[]> {
  let q = db.selectFrom('jobs').selectAll();
  if (!(input.all && actor.role === 'admin')) q = q.where('created_by', '=', actor.id);
  if (input.state) q = q.where('state', '=', input.state);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(input.limit ?? 50)
    .execute();
  return rows.map(toJobView);
}
