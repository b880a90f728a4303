import { actorForUser } from '../../app/auth/actor-for-user.ts';
import { runMasterDataExport } from '../../app/import-master/start-master-data-export.ts';
import type { ExportMasterDataInput } from '../../app/import-master/export-master-data.ts';
import { AppError } from '../../domain/errors.ts';
import type { JobContext } from '../worker.ts';

/** A queued master-data export, run as the user who asked (their scope, their file). */
export async function masterDataExportJob(ctx: JobContext<ExportMasterDataInput>) {
  if (ctx.job.created_by === null) throw new AppError('FORBIDDEN');
  const actor = await actorForUser(ctx.db, ctx.job.created_by);
  if (!actor) throw new AppError('FORBIDDEN');
  ctx.checkpoint();
  const { kind, format, lang } = ctx.payload;
  return runMasterDataExport(ctx.db, actor, { kind, format, lang }, ctx.job.id, ctx.now());
}
