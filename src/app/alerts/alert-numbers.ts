import type { Db } from '../../db/connect.ts';
import {
  funnelRows,
  lastActivities,
  monthActuals,
  monthTargets,
  rangeActuals,
} from '../../db/alerts.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { loadWorkCalendar } from '../../db/plans/work-calendar.ts';
import { activeVersions } from '../../db/tracking.ts';
import { pathIds } from '../../db/unit-rollups.ts';
import type { PeriodFigures, SubjectNumbers } from '../../domain/alerts/evaluate.ts';
import {
  lastClosedPeriod,
  periodOf,
  periodsEndingWith,
  previousPeriod,
  type AlertRule,
} from '../../domain/alerts/rules.ts';
import type { WorkCalendar } from '../../domain/calendar.ts';
import { isAppError } from '../../domain/errors.ts';
import {
  addDays,
  fiscalYearOf,
  monthsOfQuarter,
  parsePeriod,
  periodRange,
} from '../../domain/periods.ts';
import { ratioBp } from '../../domain/tracking/ratio.ts';
import type { OrgContext, SubjectType } from './org-context.ts';

/**
 * Every figure the enabled rules need, for every subject, read in a few grouped queries: the
 * revenue targets of the active plans and the sales rollups by month, the day rollups of each
 * period in progress, funnel counts by month and each member's last activity. Then each
 * subject's `SubjectNumbers` is a lookup.
 */
export interface RuleWindow {
  /** The period the verdict is about. */
  period: string;
  /** Periods whose figures the rule reads, oldest first (the evaluated one last). */
  periods: string[];
}

export function ruleWindow(rule: AlertRule, today: string, fsm: number): RuleWindow {
  switch (rule.kind) {
    case 'attainment_review':
    case 'stop_loss': {
      const p = lastClosedPeriod(rule.periodKind, today, fsm);
      return { period: p, periods: periodsEndingWith(p, rule.consecutivePeriods, fsm) };
    }
    case 'conversion_drop': {
      const p = lastClosedPeriod(rule.periodKind, today, fsm);
      return { period: p, periods: [previousPeriod(p, fsm), p] };
    }
    default: {
      const p = periodOf(rule.periodKind, today, fsm);
      return { period: p, periods: [p] };
    }
  }
}

const key = (type: SubjectType, id: number, period: string) => `${type}|${id}|${period}`;

export function monthsOf(period: string, fsm: number): string[] {
  const p = parsePeriod(period);
  if (p.kind === 'month') return [p.id];
  if (p.kind === 'quarter') return monthsOfQuarter(p.id, fsm);
  const r = periodRange(p, fsm);
  return [...new Set([r.start.slice(0, 7), r.end.slice(0, 7)])];
}

export interface AlertNumbers {
  today: string;
  fsm: number;
  calendar: WorkCalendar;
  targets: Map<string, number>;
  actuals: Map<string, number>;
  /** Period in progress → subject → sales to date. */
  toDate: Map<string, Map<string, number>>;
  funnel: Map<string, { leads: number; opportunities: number; deals: number }>;
  lastActivity: Map<number, string>;
  /** Subjects with data, by rule id. */
  subjects: Map<number, Set<string>>;
}

export async function loadAlertNumbers(
  db: Db,
  ctx: OrgContext,
  rules: readonly AlertRule[],
  today: string,
  fsm: number,
): Promise<AlertNumbers> {
  const revenueMonths = new Set<string>();
  const funnelMonths = new Set<string>();
  const current = new Set<string>();
  let wantActivity = false;
  for (const r of rules) {
    const w = ruleWindow(r, today, fsm);
    if (r.kind === 'attainment_review' || r.kind === 'stop_loss' || r.kind === 'behind_time')
      for (const p of w.periods) for (const m of monthsOf(p, fsm)) revenueMonths.add(m);
    if (r.kind === 'behind_time') current.add(w.period);
    if (r.kind === 'conversion_drop')
      for (const p of w.periods) for (const m of monthsOf(p, fsm)) funnelMonths.add(m);
    if (r.kind === 'no_activity') wantActivity = true;
  }
  const months = [...revenueMonths].sort();
  const years = [...new Set(months.map((m) => Number(fiscalYearOf(m, fsm).slice(2))))];
  const [versions, metricId, calendar] = await Promise.all([
    activeVersions(db, years),
    metricByCode(db, 'revenue').then(
      (m) => m.id,
      (e: unknown) => {
        if (isAppError(e) && e.code === 'METRIC_UNKNOWN') return null;
        throw e;
      },
    ),
    loadWorkCalendar(db),
  ]);
  const versionIds = [...versions.values()].map((v) => v.id);
  const fMonths = [...funnelMonths].sort();
  const [targetRows, actualRows, funnel, lastActivity, ...toDateRows] = await Promise.all([
    metricId === null ? [] : monthTargets(db, versionIds, metricId, months),
    monthActuals(db, months),
    fMonths.length === 0
      ? []
      : funnelRows(db, `${fMonths[0]}-01`, periodRange(fMonths.at(-1) ?? '', fsm).end),
    wantActivity ? lastActivities(db, today) : new Map<number, string>(),
    ...[...current].map((p) => rangeActuals(db, periodRange(p, fsm).start, today)),
  ]);
  const targets = new Map(targetRows.map((r) => [key(r.ownerType, r.ownerId, r.period), r.value]));
  const actuals = new Map(actualRows.map((r) => [key(r.ownerType, r.ownerId, r.period), r.value]));
  const toDate = new Map<string, Map<string, number>>();
  [...current].forEach((p, i) =>
    toDate.set(
      p,
      new Map((toDateRows[i] ?? []).map((r) => [`${r.ownerType}|${r.ownerId}`, r.value])),
    ),
  );
  const funnelByKey = new Map<string, { leads: number; opportunities: number; deals: number }>();
  const addFunnel = (k: string, r: { leads: number; opportunities: number; deals: number }) => {
    const cur = funnelByKey.get(k) ?? { leads: 0, opportunities: 0, deals: 0 };
    cur.leads += r.leads;
    cur.opportunities += r.opportunities;
    cur.deals += r.deals;
    funnelByKey.set(k, cur);
  };
  for (const r of funnel) {
    if (r.memberId !== 0) addFunnel(key('member', r.memberId, r.period), r);
    const unit = ctx.units.get(r.unitId);
    for (const a of unit ? pathIds(unit.path) : []) addFunnel(key('unit', a, r.period), r);
  }
  // Who has data for each rule: the subjects worth evaluating.
  const subjects = new Map<number, Set<string>>();
  const subjectOfKey = (k: string) => k.slice(0, k.lastIndexOf('|'));
  for (const r of rules) {
    const set = new Set<string>();
    if (r.kind === 'attainment_review' || r.kind === 'stop_loss' || r.kind === 'behind_time') {
      const w = new Set(ruleWindow(r, today, fsm).periods.flatMap((p) => monthsOf(p, fsm)));
      for (const k of targets.keys())
        if (w.has(k.slice(k.lastIndexOf('|') + 1))) set.add(subjectOfKey(k));
    } else if (r.kind === 'conversion_drop') {
      for (const k of funnelByKey.keys()) set.add(subjectOfKey(k));
    } else if (r.kind === 'no_activity') {
      for (const id of lastActivity.keys()) set.add(`member|${id}`);
    }
    subjects.set(r.id, set);
  }
  return {
    today,
    fsm,
    calendar,
    targets,
    actuals,
    toDate,
    funnel: funnelByKey,
    lastActivity,
    subjects,
  };
}

function figures(n: AlertNumbers, type: SubjectType, id: number, period: string): PeriodFigures {
  let target: number | null = null;
  let actual = 0;
  for (const m of monthsOf(period, n.fsm)) {
    const t = n.targets.get(key(type, id, m));
    if (t !== undefined) target = (target ?? 0) + t;
    actual += n.actuals.get(key(type, id, m)) ?? 0;
  }
  return { period, target, actual, timeProgressBp: null };
}

/** One subject's numbers for one rule, in the rule's window. */
export function subjectNumbers(
  n: AlertNumbers,
  rule: AlertRule,
  type: SubjectType,
  id: number,
): SubjectNumbers {
  const w = ruleWindow(rule, n.today, n.fsm);
  switch (rule.kind) {
    case 'attainment_review':
    case 'stop_loss':
      return { closed: w.periods.map((p) => figures(n, type, id, p)) };
    case 'behind_time': {
      const f = figures(n, type, id, w.period);
      const range = periodRange(w.period, n.fsm);
      const total = n.calendar.workingDaysIn(range.start, range.end);
      const elapsed = n.calendar.workingDaysIn(range.start, n.today);
      return {
        current: {
          ...f,
          actual: n.toDate.get(w.period)?.get(`${type}|${id}`) ?? 0,
          timeProgressBp: total === 0 ? null : ratioBp(elapsed, total),
        },
      };
    }
    case 'conversion_drop': {
      const sum = (p: string) => {
        const out = { period: p, leads: 0, opportunities: 0, deals: 0 };
        for (const m of monthsOf(p, n.fsm)) {
          const f = n.funnel.get(key(type, id, m));
          if (!f) continue;
          out.leads += f.leads;
          out.opportunities += f.opportunities;
          out.deals += f.deals;
        }
        return out;
      };
      return { funnel: { previous: sum(w.periods[0] ?? w.period), current: sum(w.period) } };
    }
    case 'no_activity': {
      const last = type === 'member' ? n.lastActivity.get(id) : undefined;
      return {
        idleWorkingDays:
          last === undefined ? null : n.calendar.workingDaysIn(addDays(last, 1), n.today),
      };
    }
    default:
      return {};
  }
}
