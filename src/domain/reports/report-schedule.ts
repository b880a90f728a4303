import { addDays, dayOfWeek } from '../dates.ts';
import { isoWeekOf } from '../periods.ts';

/** The org unit kinds a scheduled report can be sent for (org_units.kind). */
export const REPORT_UNIT_KINDS = ['company', 'region', 'branch', 'team'] as const;
export type ReportUnitKind = (typeof REPORT_UNIT_KINDS)[number];

/**
 * When the scheduled reports go out (China time) and for which units. Stored as one setting
 * (`report_schedule`); an admin edits it on the daily report page.
 */
export interface ReportSchedule {
  battle: { enabled: boolean; atMinute: number; kinds: ReportUnitKind[] };
  /** weekday: ISO, 1 = Monday … 7 = Sunday. */
  weekly: { enabled: boolean; weekday: number; atMinute: number; kinds: ReportUnitKind[] };
}

/** Every morning at 08:30 and Monday at 08:00, for the company and its regions. */
export const DEFAULT_REPORT_SCHEDULE: ReportSchedule = {
  battle: { enabled: true, atMinute: 8 * 60 + 30, kinds: ['company', 'region'] },
  weekly: { enabled: true, weekday: 1, atMinute: 8 * 60, kinds: ['company', 'region'] },
};

export interface DueReports {
  /** The day the battle report covers (the day before `today`), or null when none is due. */
  battle: string | null;
  /** The ISO week the weekly sheet covers (the week holding the day before), or null. */
  weekly: string | null;
}

/**
 * What is due at `minuteOfDay` of `today` (both China time). A report is due from its time until
 * the end of the day, so a worker that was down at 08:30 still sends it later that day; the
 * dedupe key of each unit's message keeps it to once. Both cover days that are over: the daily
 * update closes a day, and a morning report of a day still running would show a half day.
 */
export function dueReports(s: ReportSchedule, today: string, minuteOfDay: number): DueReports {
  const yesterday = addDays(today, -1);
  const battle = s.battle.enabled && minuteOfDay >= s.battle.atMinute ? yesterday : null;
  const weekly =
    s.weekly.enabled && dayOfWeek(today) === s.weekly.weekday && minuteOfDay >= s.weekly.atMinute
      ? isoWeekOf(yesterday)
      : null;
  return { battle, weekly };
}
