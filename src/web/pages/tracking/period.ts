import {
  daysBetween,
  fiscalQuarterOf,
  fiscalYearOf,
  isoWeekOf,
  periodKind,
} from '../../../domain/periods.ts';
import type { Granularity } from './tracking-api.ts';

export type PeriodPick = 'year' | 'quarter' | 'month' | 'week' | 'custom';

/** What the dashboard looks at: a period id (FY2026, FY2026-Q1, 2026-03, 2026-W09) or a custom range. */
export type PeriodValue =
  | { pick: Exclude<PeriodPick, 'custom'>; period: string }
  | { pick: 'custom'; start: string; end: string };

/** Today in China, where the company's days begin and end, whatever the browser's time zone. */
export function chinaToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

export function currentPeriod(
  pick: PeriodPick,
  today: string,
  fiscalStartMonth: number,
): PeriodValue {
  switch (pick) {
    case 'year':
      return { pick, period: fiscalYearOf(today, fiscalStartMonth) };
    case 'quarter':
      return { pick, period: fiscalQuarterOf(today, fiscalStartMonth) };
    case 'week':
      return { pick, period: isoWeekOf(today) };
    case 'custom':
      return { pick, start: `${today.slice(0, 7)}-01`, end: today };
    default:
      return { pick: 'month', period: today.slice(0, 7) };
  }
}

/** The period as URL search parameters (so a drill-down or a shared link keeps it). */
export function periodToSearch(p: PeriodValue): Record<string, string> {
  return p.pick === 'custom' ? { start: p.start, end: p.end } : { period: p.period };
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function periodFromSearch(params: URLSearchParams, fallback: PeriodValue): PeriodValue {
  const start = params.get('start');
  const end = params.get('end');
  if (start && end && ISO_DATE.test(start) && ISO_DATE.test(end))
    return { pick: 'custom', start, end };
  const period = params.get('period');
  const kind = period ? periodKind(period) : undefined;
  if (period && kind && kind !== 'day') return { pick: kind, period };
  return fallback;
}

/** Days for a month or week, weeks for a quarter or a long range, months for a year. */
export function granularityFor(p: PeriodValue): Granularity {
  if (p.pick === 'year') return 'month';
  if (p.pick === 'quarter') return 'week';
  if (p.pick === 'custom') {
    const days = daysBetween(p.start, p.end);
    return days > 190 ? 'month' : days > 62 ? 'week' : 'day';
  }
  return 'day';
}
