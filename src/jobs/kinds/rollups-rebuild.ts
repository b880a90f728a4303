import { rebuildRollups } from '../../app/facts/rebuild-rollups.ts';
import type { JobContext } from '../worker.ts';

/** Rebuilds every rollup from the facts in one transaction (all or nothing); returns the row counts. */
export async function rollupsRebuildJob(ctx: JobContext) {
  ctx.checkpoint();
  return rebuildRollups(ctx.db);
}
