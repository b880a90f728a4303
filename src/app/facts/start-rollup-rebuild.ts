import type { Db } from '../../db/connect.ts';
import { enqueueJob } from '../../db/jobs.ts';
import type { Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';

export const ROLLUP_REBUILD_JOB = 'rollups.rebuild';

/**
 * Queues a full rebuild of the sales rollups from the facts (an admin's repair after a manual
 * fix in the database). One at a time: while one is queued or running, asking again returns it.
 */
export async function startRollupRebuild(
  db: Db,
  actor: Actor,
  now: Date,
): Promise<{ jobId: number }> {
  assertRole(actor, ['admin']);
  return db.transaction().execute(async (trx) => {
    const pending = await trx
      .selectFrom('jobs')
      .select('id')
      .where('kind', '=', ROLLUP_REBUILD_JOB)
      .where('state', 'in', ['queued', 'running'])
      .executeTakeFirst();
    if (pending) return { jobId: pending.id };
    const id = await enqueueJob(
      trx,
      {
        kind: ROLLUP_REBUILD_JOB,
        payload: { label: 'rollups' },
        createdBy: actor.id,
        locale: actor.locale,
        maxAttempts: 1,
      },
      now,
    );
    return { jobId: id! };
  });
}
