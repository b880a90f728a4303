import { createElement, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatPercent } from '../../../domain/percent.ts';
import { useMoney } from '../../format/money.tsx';
import { METRIC_UNIT } from '../../../domain/tracking/tracked-metrics.ts';
import type { TrackedMetric } from './tracking-api.ts';

/**
 * What the gap means: no target to measure against, exceeded (by −gap), or still open. A zero
 * gap against a zero target is "no target", not "exceeded".
 */
export function gapState(o: { target: number; gap: number }): 'no-target' | 'exceeded' | 'open' {
  if (o.target <= 0) return 'no-target';
  return o.gap <= 0 ? 'exceeded' : 'open';
}

/** Basis points as '85.3%'; '—' when there is nothing to divide by. */
export function pct(bp: number | null | undefined, decimals = 1): string {
  return bp === null || bp === undefined ? '—' : formatPercent(bp, decimals);
}

/** A change in basis points with its sign: '+12.5%' / '-3.0%'. */
export function signedPct(bp: number | null | undefined, decimals = 1): string {
  if (bp === null || bp === undefined) return '—';
  return (bp > 0 ? '+' : '') + formatPercent(bp, decimals);
}

/**
 * Amounts of the tracked metric: money metrics are fen (shown in the user's 元/万元/亿元), the
 * others counts with their own unit (单, 家, 条…). `plain` omits the unit, for chart axes whose
 * title carries it.
 */
export function useMetricFormat(metric: TrackedMetric) {
  const money = useMoney();
  const { t, i18n } = useTranslation();
  return useMemo(() => {
    const isCount = METRIC_UNIT[metric] === 'count';
    const unit = isCount ? t(`tracking.countUnit.${metric}`) : money.label;
    const count = new Intl.NumberFormat(i18n.language === 'en' ? 'en' : 'zh-CN');
    return {
      isCount,
      format: (v: number | null | undefined) =>
        v === null || v === undefined ? '—' : isCount ? count.format(v) : money.format(v),
      plain: (v: number | null | undefined) =>
        v === null || v === undefined
          ? ''
          : isCount
            ? count.format(v)
            : money.format(v, { withUnit: false }),
      /** A number in the display unit, for chart coordinates (charts need numbers, not strings). */
      scale: (v: number | null | undefined) =>
        v === null || v === undefined ? null : isCount ? v : v / money.perUnit,
      /**
       * A column header carrying the unit, for cells printed with `plain`: '实际完成' over a small
       * '（万元）' / '(¥K)' line, so the unit does not widen the column past its numbers.
       */
      head: (label: string): ReactNode =>
        createElement(
          'span',
          { style: { whiteSpace: 'nowrap' } },
          label,
          createElement('br'),
          createElement(
            'span',
            { style: { fontSize: 11, fontWeight: 'normal', opacity: 0.65 } },
            i18n.language === 'en' ? `(${unit})` : `（${unit}）`,
          ),
        ),
      /** Axis/column unit: '万元' or '单'. */
      unit,
      money,
    };
  }, [metric, money, t, i18n.language]);
}

/** A table cell or header that never wraps ('1,194,681.00元' on one line); the table scrolls instead. */
export function nowrap(content: ReactNode): ReactNode {
  return createElement('span', { style: { whiteSpace: 'nowrap' } }, content);
}
