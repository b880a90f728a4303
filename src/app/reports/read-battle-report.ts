import type { Db } from '../../db/connect.ts';
import { addDays, isValidDate } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import type { RenderedText } from '../../domain/alerts/alert-event.ts';
import { REPORT_METRICS, type BattleReport } from '../../domain/reports/report-model.ts';
import { renderBattleReport } from '../../domain/reports/render-report.ts';
import type { Locale } from '../../i18n/translate.ts';
import type { Actor } from '../actor.ts';
import { figuresOf, leadersOf, overviewsOf, reportUnit } from './report-figures.ts';

export interface RenderedReport<T> {
  report: T;
  text: Record<Locale, RenderedText>;
}

/**
 * The daily battle report (每日战报) of a unit for a day that is over (default: yesterday in
 * China): the day's revenue, deals and new customers; the month to that day against time
 * progress with the gap and the run-rate needed; the top three and the one furthest behind.
 * Scoped like the unit's dashboard.
 */
export async function readBattleReport(
  db: Db,
  actor: Actor,
  input: { unitId?: number | undefined; date?: string | undefined },
  today: string,
): Promise<RenderedReport<BattleReport>> {
  const date = input.date ?? addDays(today, -1);
  if (!isValidDate(date)) throw new AppError('DATE_INVALID', { value: date });
  const unit = await reportUnit(db, actor, input.unitId, today);
  if (date >= today) throw new AppError('REPORT_PERIOD_OPEN', { period: date });
  const month = date.slice(0, 7);
  const [day, mtd, leaders] = await Promise.all([
    overviewsOf(db, actor, unit.id, date, date, today),
    overviewsOf(db, actor, unit.id, month, date, today),
    leadersOf(db, actor, unit.id, month, date, today),
  ]);
  const first = mtd[0];
  const report: BattleReport = {
    kind: 'battle_report',
    unit,
    date,
    month,
    elapsedWorkingDays: first?.elapsedWorkingDays ?? 0,
    remainingWorkingDays: first?.remainingWorkingDays ?? 0,
    day: REPORT_METRICS.map((metric, i) => ({
      metric,
      unit: day[i]?.unit ?? 'count',
      actual: day[i]?.actual ?? 0,
    })),
    monthToDate: REPORT_METRICS.map((metric, i) => figuresOf(metric, mtd[i]!)),
    leaders,
  };
  return {
    report,
    text: { 'zh-CN': renderBattleReport(report, 'zh-CN'), en: renderBattleReport(report, 'en') },
  };
}
