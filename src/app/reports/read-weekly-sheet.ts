import type { Db } from '../../db/connect.ts';
import { addDays } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { isoWeekOf, parsePeriod, periodRange } from '../../domain/periods.ts';
import {
  REPORT_METRICS,
  type WeeklyAlertLine,
  type WeeklySheet,
} from '../../domain/reports/report-model.ts';
import { openAlertLines } from '../alerts/queries.ts';
import { renderWeeklySheet } from '../../domain/reports/render-report.ts';
import type { Actor } from '../actor.ts';
import type { RenderedReport } from './read-battle-report.ts';
import { figuresOf, leadersOf, overviewsOf, reportUnit } from './report-figures.ts';

/**
 * The weekly review sheet (周会) of a unit for an ISO week (default: the week holding yesterday):
 * the week's revenue, deals and new customers against the week's target, the month to the
 * week's last counted day with the gap and run-rate, and the week's top three and furthest
 * behind. Days are counted up to yesterday, as in the battle report.
 *
 * The open-alerts section lists the active alerts about the unit's subtree that the reader may
 * see (the page and the message show it only when there are any). Late improvement-plan tasks
 * are not part of the sheet yet: improvement plans do not exist.
 */
export async function readWeeklySheet(
  db: Db,
  actor: Actor,
  input: { unitId?: number | undefined; week?: string | undefined },
  today: string,
): Promise<RenderedReport<WeeklySheet>> {
  const yesterday = addDays(today, -1);
  const week = input.week ?? isoWeekOf(yesterday);
  const parsed = parsePeriod(week);
  if (parsed.kind !== 'week') throw new AppError('PERIOD_INVALID', { value: week });
  const { start, end } = periodRange(parsed);
  const unit = await reportUnit(db, actor, input.unitId, today);
  if (start > yesterday) throw new AppError('REPORT_PERIOD_OPEN', { period: parsed.id });
  const asOf = end < yesterday ? end : yesterday;
  const month = asOf.slice(0, 7);
  const [weekly, mtd, leaders, openAlerts] = await Promise.all([
    overviewsOf(db, actor, unit.id, parsed.id, asOf, today),
    overviewsOf(db, actor, unit.id, month, asOf, today),
    leadersOf(db, actor, unit.id, parsed.id, asOf, today),
    unitAlerts(db, actor, unit.id),
  ]);
  const sheet: WeeklySheet = {
    kind: 'weekly_sheet',
    unit,
    week: parsed.id,
    start,
    end,
    asOf,
    weekFigures: REPORT_METRICS.map((metric, i) => figuresOf(metric, weekly[i]!)),
    month,
    remainingWorkingDays: mtd[0]?.remainingWorkingDays ?? 0,
    monthToDate: REPORT_METRICS.map((metric, i) => figuresOf(metric, mtd[i]!)),
    leaders,
    openAlerts,
  };
  return {
    report: sheet,
    text: { 'zh-CN': renderWeeklySheet(sheet, 'zh-CN'), en: renderWeeklySheet(sheet, 'en') },
  };
}

async function unitAlerts(db: Db, actor: Actor, unitId: number): Promise<WeeklyAlertLine[]> {
  const unit = await db
    .selectFrom('org_units')
    .select('path')
    .where('id', '=', unitId)
    .executeTakeFirstOrThrow();
  return openAlertLines(db, actor, unit.path);
}
