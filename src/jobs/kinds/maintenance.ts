import { pruneJobFiles } from '../../db/job-files.ts';
import { pruneJobs } from '../../db/jobs.ts';
import { pruneOutbox } from '../../db/outbox.ts';
import { pruneReportEmissions } from '../../db/report-emissions.ts';
import type { JobContext } from '../worker.ts';

export const MAINTENANCE_JOB = 'maintenance.daily';
const KEEP_MS = 30 * 24 * 3600_000;

/**
 * Once a day across all instances: expired files, and finished jobs, delivered events and the
 * record of sent reports after 30 days.
 */
export async function maintenanceJob(ctx: JobContext) {
  const now = ctx.now();
  const before = new Date(now.getTime() - KEEP_MS);
  return {
    files: await pruneJobFiles(ctx.db, now),
    jobs: await pruneJobs(ctx.db, before),
    events: await pruneOutbox(ctx.db, before),
    reports: await pruneReportEmissions(ctx.db, before),
  };
}
