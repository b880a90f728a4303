import type { Db } from '../../db/connect.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { settingsOf } from '../../db/plans/versions.ts';
import { loadWorkCalendar } from '../../db/plans/work-calendar.ts';
import type { OwnerType } from '../../db/schema.ts';
import {
  activeVersions,
  monthTargetRows,
  type ActiveVersion,
  type TargetDim,
} from '../../db/tracking.ts';
import type { WorkCalendar } from '../../domain/calendar.ts';
import { daysInMonth } from '../../domain/dates.ts';
import { isAppError } from '../../domain/errors.ts';
import { fiscalYearOf, type DateRange } from '../../domain/periods.ts';
import { splitMonthToDays, type PeriodAmount } from '../../domain/planning/time-split.ts';
import { targetTiers, type TargetTiers } from '../../domain/tiers.ts';

/**
 * Targets for tracking (METHOD §11, days are the atoms of time): a node's target over any range
 * is built from the month cells of the ACTIVE plan version of each fiscal year the range touches.
 * Whole months count as stored; a partial month (a week, a custom range, a month to date)
 * counts the days of the month's day split — working days with the holidays and make-up days of
 * the calendar, admin overrides included — so a week straddling two months is the sum of both
 * months' days, and time progress uses the very same day weights.
 */
export interface TargetPlan {
  range: DateRange;
  months: string[];
  /** By fiscal year (the calendar year it starts in). */
  versions: Map<number, ActiveVersion>;
  /** null when the metric is not in the catalogue (then nothing has a target). */
  metricId: number | null;
  calendar: WorkCalendar;
  /** Day splits already computed, by month and value (members often share a value). */
  splits: Map<string, PeriodAmount[]>;
}

export async function loadTargetPlan(
  db: Db,
  metricCode: string,
  range: DateRange,
  fiscalStartMonth: number,
): Promise<TargetPlan> {
  const months = monthsIn(range);
  const years = [...new Set(months.map((m) => Number(fiscalYearOf(m, fiscalStartMonth).slice(2))))];
  const [versions, metricId, calendar] = await Promise.all([
    activeVersions(db, years),
    metricByCode(db, metricCode).then(
      (m) => m.id,
      (e: unknown) => {
        if (isAppError(e) && e.code === 'METRIC_UNKNOWN') return null;
        throw e;
      },
    ),
    loadWorkCalendar(db),
  ]);
  return { range, months, versions, metricId, calendar, splits: new Map() };
}

export function planVersionIds(plan: TargetPlan): number[] {
  return [...plan.versions.values()].map((v) => v.id).sort((a, b) => a - b);
}

/** Month → target of each owner (and of each dimension member when `dim` is given), one query. */
export async function ownerMonthTargets(
  db: Db,
  plan: TargetPlan,
  ownerType: OwnerType,
  ownerIds: readonly number[],
  dim?: TargetDim,
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (plan.metricId === null) return out;
  const rows = await monthTargetRows(db, {
    versionIds: planVersionIds(plan),
    metricId: plan.metricId,
    ownerType,
    ownerIds,
    months: plan.months,
    ...(dim ? { dim } : {}),
  });
  for (const r of rows) {
    const key = dim ? r.dimKey : String(r.ownerId);
    const months = out.get(key) ?? new Map<string, number>();
    months.set(r.month, (months.get(r.month) ?? 0) + r.value);
    out.set(key, months);
  }
  return out;
}

/** The day targets inside the plan's range, in date order (Σ over a whole month = its target). */
export function dayTargets(
  plan: TargetPlan,
  months: ReadonlyMap<string, number> | undefined,
): PeriodAmount[] {
  const out: PeriodAmount[] = [];
  for (const month of plan.months) {
    const value = months?.get(month) ?? 0;
    for (const d of monthDays(plan, month, value))
      if (d.period >= plan.range.start && d.period <= plan.range.end) out.push(d);
  }
  return out;
}

/** The target over the plan's range: whole months as stored, partial months by their days. */
export function rangeTarget(
  plan: TargetPlan,
  months: ReadonlyMap<string, number> | undefined,
): number {
  let total = 0;
  for (const month of plan.months) {
    const value = months?.get(month) ?? 0;
    if (value === 0) continue;
    const first = `${month}-01`;
    const last = lastDayOf(month);
    if (plan.range.start <= first && plan.range.end >= last) total += value;
    else {
      for (const d of monthDays(plan, month, value)) {
        if (d.period >= plan.range.start && d.period <= plan.range.end) total += d.amount;
      }
    }
  }
  return total;
}

/** Base / target / challenge / sprint from the tier percentages of the version the period ends in. */
export function tiersFor(plan: TargetPlan, target: number, fiscalStartMonth: number): TargetTiers {
  const year = Number(fiscalYearOf(plan.range.end, fiscalStartMonth).slice(2));
  const version = plan.versions.get(year) ?? [...plan.versions.values()][0];
  return targetTiers(target, version ? settingsOf(version) : {});
}

/** Calendar months overlapping a range, in order. */
export function monthsIn(range: DateRange): string[] {
  const out: string[] = [];
  let y = Number(range.start.slice(0, 4));
  let m = Number(range.start.slice(5, 7));
  const last = range.end.slice(0, 7);
  for (;;) {
    const id = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (id > last) break;
    out.push(id);
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
  return out;
}

export function lastDayOf(month: string): string {
  return `${month}-${String(daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)))).padStart(2, '0')}`;
}

/** The month's day split (every calendar day, 0 on days off), computed once per plan and value. */
function monthDays(plan: TargetPlan, month: string, value: number): PeriodAmount[] {
  const key = `${month}:${value}`;
  let days = plan.splits.get(key);
  if (!days) {
    days =
      value === 0 ? zeroDays(month) : splitMonthToDays(value, { month, calendar: plan.calendar });
    plan.splits.set(key, days);
  }
  return days;
}

function zeroDays(month: string): PeriodAmount[] {
  const n = daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
  return Array.from({ length: n }, (_, i) => ({
    period: `${month}-${String(i + 1).padStart(2, '0')}`,
    amount: 0,
  }));
}
