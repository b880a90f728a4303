import { FACT_IMPORT_JOB } from '../app/facts/fact-import-job.ts';
import { ROLLUP_REBUILD_JOB } from '../app/facts/start-rollup-rebuild.ts';
import { MASTER_DATA_EXPORT_JOB } from '../app/import-master/start-master-data-export.ts';
import { masterDataExportJob } from './kinds/master-data-export.ts';
import { factsImportJob } from './kinds/facts-import.ts';
import { rollupsRebuildJob } from './kinds/rollups-rebuild.ts';
import { MAINTENANCE_JOB, maintenanceJob } from './kinds/maintenance.ts';
import { ALERTS_DAILY_JOB, alertsDailyJob, evaluateImportedNodes } from './kinds/alerts.ts';
import type { RecurringJob } from './recurring.ts';
import type { EventHandler, JobHandler } from './worker.ts';

/** Every job kind the worker runs. */
export const jobHandlers: Record<string, JobHandler> = {
  [FACT_IMPORT_JOB]: factsImportJob,
  [MAINTENANCE_JOB]: maintenanceJob,
  [ROLLUP_REBUILD_JOB]: rollupsRebuildJob,
  [MASTER_DATA_EXPORT_JOB]: masterDataExportJob,
  [ALERTS_DAILY_JOB]: alertsDailyJob,
};

/** Jobs that run once per slot across all instances (China time). */
export const recurringJobs: readonly RecurringJob[] = [
  { kind: MAINTENANCE_JOB, every: 'day' },
  // After the night's imports, before the working day: 06:00 China time.
  { kind: ALERTS_DAILY_JOB, every: 'day', atMinute: 6 * 60 },
];

/**
 * Outbox subscribers by topic. Events nobody subscribes to are marked delivered; webhooks and
 * the notification channels subscribe here as they arrive.
 */
export const eventSubscribers: Record<string, EventHandler[]> = {
  'facts.imported': [evaluateImportedNodes],
};
