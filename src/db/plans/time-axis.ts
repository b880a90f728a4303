import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { monthsOfFiscalYear, parsePeriod, periodRange } from '../../domain/periods.ts';
import {
  fromHistory,
  manual,
  quarterWeights,
  workingDayWeighted,
} from '../../domain/planning/seasonality.ts';
import { splitYear, type MonthWeights } from '../../domain/planning/time-split.ts';
import type { Database } from '../schema.ts';
import type { CapacityAssumptions } from './capacity.ts';
import { memberCapacity } from './capacity.ts';
import type { OrgSnapshot } from './org.ts';
import { loadWorkCalendar } from './work-calendar.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * What a planner may send to split a year over its months (all weights relative; shares in bp):
 *   even                               every month alike
 *   seasonality  { quarterPercentsBp } four quarter shares (40/25/30/5) — months even inside a quarter
 *                { monthPercentsBp }   twelve month shares
 *   manual       { monthPercentsBp }   twelve shares typed by hand (must add up to 100%)
 *   weights      { monthWeights }      twelve relative weights
 *   history      { history: [{ month, amount }], years?, onMissing? } same months of past years
 *   working_days                       working days of each month (official calendar + overrides)
 *   capacity                           the bottom-up lens month by month (ramp-ups included)
 */
export interface TimeInputs {
  quarterPercentsBp?: number[];
  monthPercentsBp?: number[];
  monthWeights?: number[];
  history?: { month: string; amount: number }[];
  years?: number;
  onMissing?: 'skip-year' | 'zero' | 'error';
}

export interface TimeSplit {
  months: string[];
  values: number[];
  /** What the months were weighted by, stored with the split as its provenance. */
  profile: Record<string, unknown>;
}

export async function splitYearForPlan(
  q: Q,
  opts: {
    total: number;
    period: string;
    fiscalStartMonth: number;
    method: string;
    inputs: TimeInputs;
    locks: Record<string, number>;
    capacity: () => { org: OrgSnapshot; assumptions: CapacityAssumptions | null };
  },
): Promise<TimeSplit> {
  const p = parsePeriod(opts.period);
  if (p.kind !== 'year') {
    throw new AppError('PLANNING_INVALID', {
      reason: `a time split starts from a fiscal year (FY2026), not ${opts.period}`,
    });
  }
  const months = monthsOfFiscalYear(p.year, opts.fiscalStartMonth);
  const base = { fiscalYear: p.year, fiscalStartMonth: opts.fiscalStartMonth, locks: opts.locks };
  const { inputs } = opts;
  let monthWeights: MonthWeights | undefined;
  let profile: Record<string, unknown> = {};
  switch (opts.method) {
    case 'even':
      break;
    case 'seasonality':
    case 'manual':
      if (inputs.quarterPercentsBp && opts.method === 'seasonality') {
        const q4 = quarterWeights(inputs.quarterPercentsBp);
        const r = splitYear(opts.total, { ...base, quarterWeights: q4 });
        return {
          months,
          values: r.months.map((m) => m.amount),
          profile: { quarterPercentsBp: q4 },
        };
      }
      if (!inputs.monthPercentsBp) {
        throw new AppError('PLANNING_INVALID', {
          reason: `${opts.method} needs monthPercentsBp (12) or quarterPercentsBp (4)`,
        });
      }
      monthWeights = manual(months, inputs.monthPercentsBp);
      profile = { monthPercentsBp: inputs.monthPercentsBp };
      break;
    case 'weights':
      if (!inputs.monthWeights)
        throw new AppError('PLANNING_INVALID', { reason: 'weights needs monthWeights (12)' });
      monthWeights = inputs.monthWeights;
      profile = { monthWeights: inputs.monthWeights };
      break;
    case 'history': {
      if (!inputs.history)
        throw new AppError('PLANNING_INVALID', {
          reason: 'history needs history [{ month, amount }]',
        });
      const h = fromHistory(
        inputs.history,
        months,
        inputs.years ?? 3,
        inputs.onMissing ?? 'skip-year',
      );
      monthWeights = h.weights;
      profile = {
        sharesBp: h.sharesBp,
        yearsUsed: h.yearsUsed,
        yearsSkipped: h.yearsSkipped,
        zeroed: h.zeroed,
      };
      break;
    }
    case 'working_days': {
      const calendar = await loadWorkCalendar(q);
      const range = periodRange(p, opts.fiscalStartMonth);
      calendar.requireOfficialData(range.start, range.end);
      monthWeights = workingDayWeighted(months, calendar);
      profile = { workingDays: Object.fromEntries(monthWeights.map((w) => [w.month, w.weight])) };
      break;
    }
    case 'capacity': {
      const { org, assumptions } = opts.capacity();
      const perMember = memberCapacity([...org.members.values()], months, assumptions);
      const weights = months.map((_, i) =>
        [...perMember.values()].reduce((a, list) => a + (list[i] ?? 0), 0),
      );
      monthWeights = weights;
      profile = { capacityFen: Object.fromEntries(months.map((m, i) => [m, weights[i] ?? 0])) };
      break;
    }
    default:
      throw new AppError('PLANNING_INVALID', {
        reason: `method ${opts.method} does not split time`,
      });
  }
  const r = splitYear(opts.total, { ...base, ...(monthWeights ? { monthWeights } : {}) });
  return { months, values: r.months.map((m) => m.amount), profile };
}
