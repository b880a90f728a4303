import type { Db } from '../db/connect.ts';

/**
 * A job that runs once per slot across all instances: every worker enqueues the current slot
 * with the dedupe key `kind@slot`, and the unique key lets exactly one insert through.
 */
export interface RecurringJob {
  kind: string;
  /**
   * 'day': one slot per China calendar day, due from `atMinute` minutes after midnight;
   * 'hour': one per hour; 'quarter-hour': one per quarter hour (:00, :15, :30, :45), for jobs
   * whose own settings say when they act (the scheduled reports check their time each slot).
   */
  every: 'day' | 'hour' | 'quarter-hour';
  atMinute?: number;
  /**
   * Asked once per new slot: the slot is queued only when it answers true (a job whose own
   * settings decide whether there is work, so idle slots leave no job rows behind).
   */
  pending?: (db: Db, now: Date) => Promise<boolean>;
}

/** The slot due at `now`, or null before the day's start time. China time (UTC+8). */
export function slotOf(r: RecurringJob, now: Date): { key: string } | null {
  const china = new Date(now.getTime() + 8 * 3600_000);
  const iso = china.toISOString();
  if (r.every === 'hour') return { key: iso.slice(0, 13) };
  if (r.every === 'quarter-hour') {
    const quarter = Math.floor(china.getUTCMinutes() / 15) * 15;
    return { key: `${iso.slice(0, 14)}${String(quarter).padStart(2, '0')}` };
  }
  const minutes = china.getUTCHours() * 60 + china.getUTCMinutes();
  if (minutes < (r.atMinute ?? 0)) return null;
  return { key: iso.slice(0, 10) };
}
