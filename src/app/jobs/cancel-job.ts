import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { getJob as getJobRow, requestCancel } from '../../db/jobs.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { toJobView, type JobView } from './job-view.ts';
import { abortLocalJob } from './running-jobs.ts';

/**
 * Cancels the caller's job (an admin: anyone's). A queued job is cancelled at once; a running one
 * is flagged, and its runner stops at its next heartbeat and rolls back what it was writing, so a
 * cancelled import leaves nothing behind.
 */
export async function cancelJob(db: Db, actor: Actor, id: number, now: Date): Promise<JobView> {
  // Before any query: a job running in this process stops at its next checkpoint and rolls back.
  abortLocalJob(id, actor);
  return db.transaction().execute(async (trx) => {
    const row = await getJobRow(trx, id);
    if (!row || (row.created_by !== actor.id && actor.role !== 'admin'))
      throw new AppError('NOT_FOUND', { entity: 'job' });
    if (row.state === 'cancelled') return toJobView(row);
    if (row.state !== 'queued' && row.state !== 'running')
      throw new AppError('JOB_NOT_CANCELLABLE', { state: row.state });
    await requestCancel(trx, id, now);
    await audit(trx, now, {
      userId: actor.id,
      action: 'cancel',
      entity: 'job',
      entityId: id,
      before: { state: row.state, kind: row.kind },
    });
    return toJobView((await getJobRow(trx, id))!);
  });
}
