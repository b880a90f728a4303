import { FACT_IMPORT_JOB } from '../app/facts/fact-import-job.ts';
import { reportsPending } from '../app/reports/emit-scheduled-reports.ts';
import { ROLLUP_REBUILD_JOB } from '../app/facts/start-rollup-rebuild.ts';
import { MASTER_DATA_EXPORT_JOB } from '../app/import-master/start-master-data-export.ts';
import { masterDataExportJob } from './kinds/master-data-export.ts';
import { factsImportJob } from './kinds/facts-import.ts';
import { rollupsRebuildJob } from './kinds/rollups-rebuild.ts';
import { FORECAST_SNAPSHOT_JOB, forecastSnapshotJob } from './kinds/forecast-snapshot.ts';
import { MAINTENANCE_JOB, maintenanceJob } from './kinds/maintenance.ts';
import {
  alertChangedToChannels,
  notifyMessageToChannels,
  notifySenderLoop,
} from './kinds/notify.ts';
import { ADJUSTMENTS_REMIND_JOB, adjustmentsRemindJob } from './kinds/adjustments-remind.ts';
import { REPORTS_EMIT_JOB, reportsEmitJob } from './kinds/reports-emit.ts';
import { ALERTS_DAILY_JOB, alertsDailyJob, evaluateImportedNodes } from './kinds/alerts.ts';
import type { RecurringJob } from './recurring.ts';
import type { EventHandler, JobHandler, WorkerLoop } from './worker.ts';

/** Every job kind the worker runs. */
export const jobHandlers: Record<string, JobHandler> = {
  [FACT_IMPORT_JOB]: factsImportJob,
  [MAINTENANCE_JOB]: maintenanceJob,
  [FORECAST_SNAPSHOT_JOB]: forecastSnapshotJob,
  [ROLLUP_REBUILD_JOB]: rollupsRebuildJob,
  [MASTER_DATA_EXPORT_JOB]: masterDataExportJob,
  [ADJUSTMENTS_REMIND_JOB]: adjustmentsRemindJob,
  [REPORTS_EMIT_JOB]: reportsEmitJob,
  [ALERTS_DAILY_JOB]: alertsDailyJob,
};

/** Jobs that run once per slot across all instances (China time). */
export const recurringJobs: readonly RecurringJob[] = [
  { kind: MAINTENANCE_JOB, every: 'day' },
  { kind: ADJUSTMENTS_REMIND_JOB, every: 'day' },
  { kind: REPORTS_EMIT_JOB, every: 'quarter-hour', pending: reportsPending },
  // 01:00 China time: yesterday (a month-end on the 1st) is closed by then.
  { kind: FORECAST_SNAPSHOT_JOB, every: 'day', atMinute: 60 },
  // After the night's imports, before the working day: 06:00 China time.
  { kind: ALERTS_DAILY_JOB, every: 'day', atMinute: 6 * 60 },
];

/**
 * Outbox subscribers by topic. Events nobody subscribes to are marked delivered: the channels
 * deliver alerts and unit messages, and the alert engine evaluates the nodes an import touched.
 */
export const eventSubscribers: Record<string, EventHandler[]> = {
  'alert.changed': [alertChangedToChannels],
  'notify.message': [notifyMessageToChannels],
  'facts.imported': [evaluateImportedNodes],
};

/** Passes every worker starts beside its tick: the notification sender. */
export const workerLoops: readonly WorkerLoop[] = [notifySenderLoop];
