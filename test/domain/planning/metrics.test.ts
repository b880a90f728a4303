import { describe, expect, it } from 'vitest';
import {
  BUILTIN_METRICS,
  computeDerived,
  getMetric,
  isSplittable,
  ratioActual,
  ratioActualOf,
  roundingUnit,
} from '../../../src/domain/planning/metrics.ts';
import { errorOf, WAN } from './helpers.ts';

describe('metric catalogue', () => {
  it('has stable codes with zh and en names, and the three kinds of METHOD §3', () => {
    const codes = BUILTIN_METRICS.map((m) => m.code);
    expect(codes).toEqual([
      'revenue',
      'collections',
      'gross_profit',
      'new_customers',
      'deals',
      'leads',
      'opportunities',
      'visits',
      'calls',
      'aov',
      'collection_rate',
      'lead_to_opp_rate',
      'opp_to_deal_rate',
      'repurchase_rate',
      'expense_to_sales_ratio',
    ]);
    for (const m of BUILTIN_METRICS) {
      expect(m.name['zh-CN']).not.toBe('');
      expect(m.name.en).not.toBe('');
      if (m.kind !== 'additive') expect(m.formula).toBeDefined();
    }
    expect(getMetric('revenue')).toMatchObject({ kind: 'additive', level: 'result', unit: 'fen' });
    expect(getMetric('leads')).toMatchObject({ kind: 'additive', level: 'process', unit: 'count' });
    expect(getMetric('calls').level).toBe('activity');
    expect(getMetric('aov')).toMatchObject({
      kind: 'derived',
      formula: { numerator: 'revenue', denominator: 'deals' },
    });
    expect(getMetric('collection_rate')).toMatchObject({ kind: 'ratio', unit: 'bp' });
    expect(getMetric('expense_to_sales_ratio').name['zh-CN']).toBe('费销比');
    expect(errorOf(() => getMetric('nope')).code).toBe('METRIC_UNKNOWN');
  });

  it('splits only additive metrics, to 1 fen or 1 unit', () => {
    expect(isSplittable('revenue')).toBe(true);
    expect(isSplittable('new_customers')).toBe(true);
    expect(isSplittable('collection_rate')).toBe(false);
    expect(isSplittable('aov')).toBe(false);
    expect(roundingUnit('revenue')).toBe(1);
    expect(roundingUnit('deals')).toBe(1);
    expect(errorOf(() => roundingUnit('collection_rate')).code).toBe('METRIC_NOT_SPLITTABLE');
  });
});

describe('derived metrics', () => {
  it('computes AOV = revenue ÷ deals in fen, half-up', () => {
    // Given 1,000万 over 334 deals = 29,940.11976… 元
    expect(computeDerived('aov', { revenue: 1000 * WAN, deals: 334 })).toBe(2_994_012);
    // 5 fen over 2 deals = 2.5 fen → 3 fen
    expect(computeDerived('aov', { revenue: 5, deals: 2 })).toBe(3);
    expect(computeDerived('aov', { revenue: 5, deals: 0 })).toBeNull();
    expect(errorOf(() => computeDerived('aov', { revenue: 5 })).params).toEqual({
      metric: 'aov',
      input: 'deals',
    });
  });
});

describe('ratio actuals', () => {
  it('takes a team rate as Σ numerator ÷ Σ denominator, never the average of rates', () => {
    // Given rep A collected 90 of 100 due (90%) and rep B 0 of 900 (0%)
    const parts = [
      { numerator: 90, denominator: 100 },
      { numerator: 0, denominator: 900 },
    ];
    // Then the team collected 90 of 1,000: 9%, not the 45% an average would say
    expect(ratioActualOf(parts)).toBe(900);
    expect(ratioActual(90, 100)).toBe(9000);
    expect(ratioActual(2, 3)).toBe(6667);
    expect(ratioActual(1, 0)).toBeNull();
    expect(ratioActualOf([])).toBeNull();
  });
});
