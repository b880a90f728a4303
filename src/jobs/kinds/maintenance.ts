import { pruneJobFiles } from '../../db/job-files.ts';
import { pruneJobs } from '../../db/jobs.ts';
import { pruneDeliveries } from '../../db/notify-deliveries.ts';
import { pruneOutbox } from '../../db/outbox.ts';
import { pruneReportEmissions } from '../../db/report-emissions.ts';
import type { JobContext } from '../worker.ts';

export const MAINTENANCE_JOB = 'maintenance.daily';
const KEEP_MS = 30 * 24 * 3600_000;
/** The notification delivery log is read back further: a quarter. */
const KEEP_DELIVERIES_MS = 90 * 24 * 3600_000;

/**
 * Once a day across all instances: expired files, and finished jobs, delivered events and the
 * record of sent reports after 30 days; finished notification deliveries after 90.
 */
export async function maintenanceJob(ctx: JobContext) {
  const now = ctx.now();
  const before = new Date(now.getTime() - KEEP_MS);
  return {
    files: await pruneJobFiles(ctx.db, now),
    jobs: await pruneJobs(ctx.db, before),
    events: await pruneOutbox(ctx.db, before),
    deliveries: await pruneDeliveries(ctx.db, new Date(now.getTime() - KEEP_DELIVERIES_MS)),
    reports: await pruneReportEmissions(ctx.db, before),
  };
}
