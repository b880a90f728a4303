/**
 * Rule evaluation (METHOD §5): given one subject's numbers, does the rule fire for the period?
 * Pure: the app reads the rollups in bulk and hands each subject's figures here. Every
 * comparison is exact (BigInt cross-multiplication), never on rounded percentages: 69.995% is
 * below 70%.
 */
import { conversionDrop } from '../tracking/funnel.ts';
import { ratioBp } from '../tracking/ratio.ts';
import type { AlertRuleKind } from './alert-event.ts';
import type { AlertRule } from './rules.ts';

export interface PeriodFigures {
  period: string;
  /** Fen; null when the plan sets no target for the subject in the period. */
  target: number | null;
  actual: number;
  /** Share of the period's working time elapsed, bp (the current period only). */
  timeProgressBp: number | null;
}

export interface FunnelFigures {
  period: string;
  leads: number;
  opportunities: number;
  deals: number;
}

/** What a subject's numbers look like to the rules; each kind reads its own part. */
export interface SubjectNumbers {
  /** Closed periods ending with the evaluated one, oldest first (attainment_review, stop_loss). */
  closed?: readonly PeriodFigures[];
  /** The period in progress, to date (behind_time). */
  current?: PeriodFigures;
  /** The evaluated period and the one before (conversion_drop). */
  funnel?: { previous: FunnelFigures; current: FunnelFigures };
  /** Working days since the last activity logged; null when the subject never logged one. */
  idleWorkingDays?: number | null;
}

export type FigureUnit = 'fen' | 'bp' | 'count' | 'days';
export interface Figure {
  key: string;
  value: number | null;
  unit: FigureUnit;
}
export interface SeriesPoint {
  period: string;
  target: number | null;
  actual: number;
  attainmentBp: number | null;
  timeProgressBp: number | null;
}
export interface AlertEvidence {
  figures: Figure[];
  series: SeriesPoint[];
}

export interface Verdict {
  fires: boolean;
  evidence: AlertEvidence;
}

const attainmentOf = (f: PeriodFigures) =>
  f.target === null || f.target <= 0 ? null : ratioBp(f.actual, f.target);

/** actual ÷ target < threshold (bp), exactly. */
export function belowBp(actual: number, target: number, thresholdBp: number): boolean {
  return BigInt(actual) * 10_000n < BigInt(thresholdBp) * BigInt(target);
}

function point(f: PeriodFigures): SeriesPoint {
  return {
    period: f.period,
    target: f.target,
    actual: f.actual,
    attainmentBp: attainmentOf(f),
    timeProgressBp: f.timeProgressBp,
  };
}

/**
 * The rule's verdict on one subject for its period, or null when the rule does not apply (no
 * target in the evaluated period, no rate to compare, no activity history, a kind not evaluated).
 */
export function evaluateRule(rule: AlertRule, n: SubjectNumbers): Verdict | null {
  switch (rule.kind) {
    case 'attainment_review':
    case 'stop_loss':
      return consecutiveBelow(rule, n.closed ?? []);
    case 'behind_time':
      return n.current ? behindTime(rule, n.current) : null;
    case 'conversion_drop':
      return n.funnel ? conversion(rule, n.funnel.previous, n.funnel.current) : null;
    case 'no_activity':
      return noActivity(rule, n.idleWorkingDays);
    default:
      return null;
  }
}

/** Fires when each of the last `consecutivePeriods` periods has a target and is below the threshold. */
function consecutiveBelow(rule: AlertRule, closed: readonly PeriodFigures[]): Verdict | null {
  const last = closed.at(-1);
  if (!last || last.target === null || last.target <= 0) return null;
  const window = closed.slice(-rule.consecutivePeriods);
  const fires =
    window.length === rule.consecutivePeriods &&
    window.every(
      (f) => f.target !== null && f.target > 0 && belowBp(f.actual, f.target, rule.threshold),
    );
  return {
    fires,
    evidence: {
      figures: [
        { key: 'target', value: last.target, unit: 'fen' },
        { key: 'actual', value: last.actual, unit: 'fen' },
        { key: 'attainment', value: attainmentOf(last), unit: 'bp' },
        { key: 'threshold', value: rule.threshold, unit: 'bp' },
        { key: 'periods', value: rule.consecutivePeriods, unit: 'count' },
      ],
      series: closed.map(point),
    },
  };
}

/** Fires when time progress − attainment > threshold points (exact on the fraction). */
function behindTime(rule: AlertRule, f: PeriodFigures): Verdict | null {
  if (f.target === null || f.target <= 0 || f.timeProgressBp === null) return null;
  // tp − actual/target > threshold  ⇔  (tp − threshold) · target > actual · 10,000
  const fires =
    BigInt(f.timeProgressBp - rule.threshold) * BigInt(f.target) > BigInt(f.actual) * 10_000n;
  const att = attainmentOf(f);
  return {
    fires,
    evidence: {
      figures: [
        { key: 'target', value: f.target, unit: 'fen' },
        { key: 'actual', value: f.actual, unit: 'fen' },
        { key: 'attainment', value: att, unit: 'bp' },
        { key: 'timeProgress', value: f.timeProgressBp, unit: 'bp' },
        { key: 'behindBy', value: att === null ? null : f.timeProgressBp - att, unit: 'bp' },
        { key: 'threshold', value: rule.threshold, unit: 'bp' },
      ],
      series: [point(f)],
    },
  };
}

const STEP: Record<
  string,
  [keyof Omit<FunnelFigures, 'period'>, keyof Omit<FunnelFigures, 'period'>]
> = {
  lead_to_opp_rate: ['leads', 'opportunities'],
  opp_to_deal_rate: ['opportunities', 'deals'],
};

/** Fewest leads (or opportunities) in each period for a conversion rate to be compared. */
export const MIN_CONVERSION_BASE = 10;

function conversion(rule: AlertRule, prev: FunnelFigures, cur: FunnelFigures): Verdict | null {
  const step = STEP[rule.metric];
  if (!step) return null;
  const [from, to] = step;
  // A rate on a handful of leads swings by chance (1 of 4, then 0 of 3): below the base, no verdict.
  if (prev[from] < MIN_CONVERSION_BASE || cur[from] < MIN_CONVERSION_BASE) return null;
  const change = conversionDrop(
    { num: cur[to], den: cur[from] },
    { num: prev[to], den: prev[from] },
    { thresholdBp: rule.threshold },
  );
  if (change.relativeChangeBp === null) return null;
  return {
    fires: change.dropped,
    evidence: {
      figures: [
        { key: 'rate', value: ratioBp(cur[to], cur[from]), unit: 'bp' },
        { key: 'previousRate', value: ratioBp(prev[to], prev[from]), unit: 'bp' },
        { key: 'change', value: change.relativeChangeBp, unit: 'bp' },
        { key: 'threshold', value: rule.threshold, unit: 'bp' },
        { key: 'fromCount', value: cur[from], unit: 'count' },
        { key: 'toCount', value: cur[to], unit: 'count' },
        { key: 'previousFromCount', value: prev[from], unit: 'count' },
        { key: 'previousToCount', value: prev[to], unit: 'count' },
      ],
      series: [],
    },
  };
}

function noActivity(rule: AlertRule, idle: number | null | undefined): Verdict | null {
  if (idle === null || idle === undefined) return null;
  return {
    fires: idle >= rule.threshold,
    evidence: {
      figures: [
        { key: 'daysWithoutActivity', value: idle, unit: 'days' },
        { key: 'threshold', value: rule.threshold, unit: 'days' },
      ],
      series: [],
    },
  };
}

/** The kinds a firing kind inhibits for the same subject (the escalation ladder, not two messages). */
export const INHIBITS: Partial<Record<AlertRuleKind, AlertRuleKind[]>> = {
  stop_loss: ['attainment_review'],
};

export interface RuledVerdict {
  ruleId: number;
  kind: AlertRuleKind;
  periodKind: string;
  subjectKey: string;
  fires: boolean;
}

/**
 * For each verdict, the rule id of a firing verdict that inhibits it (same subject, same period
 * kind), or null. A stop-loss firing for a subject suppresses the review of that subject.
 */
export function suppressions(verdicts: readonly RuledVerdict[]): (number | null)[] {
  const firing = new Map<string, number>();
  for (const v of verdicts) {
    if (!v.fires) continue;
    for (const k of INHIBITS[v.kind] ?? [])
      firing.set(`${k}|${v.periodKind}|${v.subjectKey}`, v.ruleId);
  }
  return verdicts.map((v) => firing.get(`${v.kind}|${v.periodKind}|${v.subjectKey}`) ?? null);
}
