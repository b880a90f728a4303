import { actorForUser } from '../../app/auth/actor-for-user.ts';
import { runFactImport } from '../../app/facts/fact-import-job.ts';
import { AppError } from '../../domain/errors.ts';
import type { JobContext } from '../worker.ts';

/**
 * A queued fact import. Progress goes to the job record; a cancel request or a stopping server
 * aborts the signal, and the next progress report throws inside the import's transaction, which
 * rolls the whole file back.
 */
export async function factsImportJob(ctx: JobContext<Parameters<typeof runFactImport>[2]>) {
  if (ctx.job.created_by === null) throw new AppError('FORBIDDEN');
  const actor = await actorForUser(ctx.db, ctx.job.created_by);
  if (!actor) throw new AppError('FORBIDDEN');
  ctx.checkpoint();
  return runFactImport(ctx.db, actor, ctx.payload, ctx.job.id, {
    now: ctx.now(),
    onProgress: (done, total) => {
      ctx.checkpoint();
      ctx.progress(done, total);
    },
  });
}
