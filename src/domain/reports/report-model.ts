/**
 * The daily battle report (每日战报) and the weekly sheet (周会) as data: every number comes from
 * the tracking read model (the dashboard's own overview and ranking), this module only shapes
 * them. Money is fen, ratios basis points, counts integers; both languages' names travel along.
 */

/** The result metrics a report shows, in this order (METHOD §1: 销售额, 成单量, 新客户数). */
export const REPORT_METRICS = ['revenue', 'deals', 'new_customers'] as const;
export type ReportMetric = (typeof REPORT_METRICS)[number];

export interface ReportUnit {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
}

/** One metric over one period, as the tracking overview answers it. */
export interface PeriodFigures {
  metric: ReportMetric;
  unit: 'fen' | 'count';
  actual: number;
  hasTarget: boolean;
  target: number;
  attainmentBp: number | null;
  timeProgressBp: number;
  /** Attainment − time progress (points ahead when positive); null without a target. */
  differenceBp: number | null;
  gap: number;
  /** Gap ÷ remaining working days, rounded up; 0 once reached; null when no working day is left. */
  requiredRunRate: number | null;
}

/** One entrant of the ranking (a child unit, or a member of a team). */
export interface RankedLine {
  rank: number;
  id: number;
  nameZh: string;
  nameEn: string;
  actual: number;
  target: number;
  attainmentBp: number | null;
  gap: number;
}

export interface Leaders {
  /** Who was ranked: the unit's child units, or for a unit without any, its members. */
  by: 'child_unit' | 'member';
  /** Ranked on the attainment of this metric (revenue). */
  metric: ReportMetric;
  top: RankedLine[];
  behind: RankedLine | null;
}

export interface BattleReport {
  kind: 'battle_report';
  unit: ReportUnit;
  /** The day reported on: its own figures, and the month to the end of it. */
  date: string;
  month: string;
  elapsedWorkingDays: number;
  remainingWorkingDays: number;
  /** The day's actuals. */
  day: { metric: ReportMetric; unit: 'fen' | 'count'; actual: number }[];
  monthToDate: PeriodFigures[];
  leaders: Leaders;
}

/**
 * An open alert as the weekly sheet lists it. The alert engine lives on another branch: the
 * sheet's reader is handed this list (empty until the engine is wired in), it never reads alerts.
 */
export interface WeeklyAlertLine {
  severity: 'info' | 'warning' | 'critical';
  textZh: string;
  textEn: string;
  link: string | null;
}

export interface WeeklySheet {
  kind: 'weekly_sheet';
  unit: ReportUnit;
  /** ISO week 'YYYY-Www', its Monday and Sunday. */
  week: string;
  start: string;
  end: string;
  /** The last day counted: the week's Sunday, or the day before today for the running week. */
  asOf: string;
  weekFigures: PeriodFigures[];
  month: string;
  remainingWorkingDays: number;
  monthToDate: PeriodFigures[];
  /** The week's ranking. */
  leaders: Leaders;
  openAlerts: WeeklyAlertLine[];
}

/**
 * The top entrants and the one furthest behind, from a ranking ordered best first (entrants
 * without a target, listed last by the ranking, take no part). The two never overlap: with two
 * to four scored entrants the last is "behind" and the others are the top, so a region of three
 * teams still names the team that is behind.
 */
export function pickLeaders(
  rows: readonly RankedLine[],
  by: Leaders['by'],
  metric: ReportMetric,
  n = 3,
): Leaders {
  const scored = rows.filter((r) => r.attainmentBp !== null);
  if (scored.length < 2) return { by, metric, top: scored.slice(0, n), behind: null };
  const behind = scored[scored.length - 1] ?? null;
  return { by, metric, top: scored.slice(0, Math.min(n, scored.length - 1)), behind };
}
