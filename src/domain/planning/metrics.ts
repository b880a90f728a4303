/**
 * The metric catalogue (METHOD §1, §3 "rules that make numbers trustworthy"):
 *
 *   additive  money or counts — split down the tree, summed up it;
 *   ratio     rates in basis points — inherited or set per node, never summed or averaged:
 *             a team's actual is Σ numerator ÷ Σ denominator of its members;
 *   derived   computed from other metrics (AOV = revenue ÷ deals), never stored as a target
 *             that could contradict its parts.
 *
 * Codes are stable: they are stored with every target and sent over the wire.
 */
import { AppError } from '../errors.ts';
import { divRoundHalfUp, toSafeNumber } from '../exact.ts';

export type MetricKind = 'additive' | 'ratio' | 'derived';
export type MetricLevel = 'result' | 'process' | 'activity';
export type MetricUnit = 'fen' | 'count' | 'bp';

export interface MetricName {
  'zh-CN': string;
  en: string;
}

/**
 * numerator ÷ denominator, as data so the UI can show how a number is made. For derived metrics
 * both sides are metric codes; for ratio metrics they name the two sums behind the rate (some,
 * like "amount due", are not targets themselves).
 */
export interface MetricFormula {
  numerator: string;
  denominator: string;
}

export interface Metric {
  code: string;
  kind: MetricKind;
  level: MetricLevel;
  unit: MetricUnit;
  name: MetricName;
  /** Required for derived and ratio metrics. */
  formula?: MetricFormula;
}

const additive = (
  code: string,
  level: MetricLevel,
  unit: MetricUnit,
  zh: string,
  en: string,
): Metric => ({ code, kind: 'additive', level, unit, name: { 'zh-CN': zh, en } });

const ratio = (
  code: string,
  level: MetricLevel,
  zh: string,
  en: string,
  numerator: string,
  denominator: string,
): Metric => ({
  code,
  kind: 'ratio',
  level,
  unit: 'bp',
  name: { 'zh-CN': zh, en },
  formula: { numerator, denominator },
});

export const BUILTIN_METRICS: readonly Metric[] = [
  additive('revenue', 'result', 'fen', '销售额', 'Revenue'),
  additive('collections', 'result', 'fen', '回款额', 'Collections'),
  additive('gross_profit', 'result', 'fen', '毛利', 'Gross profit'),
  additive('new_customers', 'result', 'count', '新客户数', 'New customers'),
  additive('deals', 'result', 'count', '成单量', 'Deals'),
  additive('leads', 'process', 'count', '线索量', 'Leads'),
  additive('opportunities', 'process', 'count', '商机量', 'Opportunities'),
  additive('visits', 'process', 'count', '拜访量', 'Visits'),
  additive('calls', 'activity', 'count', '电话量', 'Calls'),
  {
    code: 'aov',
    kind: 'derived',
    level: 'result',
    unit: 'fen',
    name: { 'zh-CN': '客单价', en: 'Average order value' },
    formula: { numerator: 'revenue', denominator: 'deals' },
  },
  ratio('collection_rate', 'result', '回款率', 'Collection rate', 'collections', 'amount_due'),
  ratio(
    'lead_to_opp_rate',
    'process',
    '线索转商机率',
    'Lead-to-opportunity rate',
    'opportunities',
    'leads',
  ),
  ratio(
    'opp_to_deal_rate',
    'process',
    '商机成单率',
    'Opportunity-to-deal rate',
    'deals',
    'opportunities',
  ),
  ratio('repurchase_rate', 'result', '复购率', 'Repurchase rate', 'repeat_customers', 'customers'),
  ratio(
    'expense_to_sales_ratio',
    'result',
    '费销比',
    'Expense-to-sales ratio',
    'selling_expenses',
    'revenue',
  ),
];

const BY_CODE = new Map(BUILTIN_METRICS.map((m) => [m.code, m]));

/** A built-in metric by code; METRIC_UNKNOWN otherwise. */
export function getMetric(code: string): Metric {
  const m = BY_CODE.get(code);
  if (!m) throw new AppError('METRIC_UNKNOWN', { code });
  return m;
}

function resolve(metric: Metric | string): Metric {
  return typeof metric === 'string' ? getMetric(metric) : metric;
}

/** Only additive metrics are split across children or periods. */
export function isSplittable(metric: Metric | string): boolean {
  return resolve(metric).kind === 'additive';
}

/**
 * The quantum a split rounds to: 1 fen for money, 1 for counts (no one closes half a deal).
 * Ratio and derived metrics are not split: METRIC_NOT_SPLITTABLE.
 */
export function roundingUnit(metric: Metric | string): number {
  const m = resolve(metric);
  if (m.kind !== 'additive') {
    throw new AppError('METRIC_NOT_SPLITTABLE', { code: m.code, kind: m.kind });
  }
  return 1;
}

/**
 * The value of a derived metric from the values of its parts, exact then rounded half away from
 * zero in the metric's unit (AOV: fen). Null when the denominator is zero (no deals, no AOV).
 * Missing inputs → METRIC_INPUT_MISSING.
 */
export function computeDerived(
  metric: Metric | string,
  values: Readonly<Record<string, number>>,
): number | null {
  const m = resolve(metric);
  if (m.kind !== 'derived' || !m.formula) {
    throw new AppError('METRIC_NOT_SPLITTABLE', { code: m.code, kind: m.kind });
  }
  const n = values[m.formula.numerator];
  const d = values[m.formula.denominator];
  if (n === undefined) {
    throw new AppError('METRIC_INPUT_MISSING', { metric: m.code, input: m.formula.numerator });
  }
  if (d === undefined) {
    throw new AppError('METRIC_INPUT_MISSING', { metric: m.code, input: m.formula.denominator });
  }
  if (!Number.isSafeInteger(n) || !Number.isSafeInteger(d)) {
    throw new AppError('NUMBER_INVALID', { value: `${n}/${d}` });
  }
  if (d === 0) return null;
  return toSafeNumber(divRoundHalfUp(BigInt(n), BigInt(d)));
}

/**
 * An actual rate in basis points, rounded half-up: ratioActual(collected, due). For a group,
 * pass the sums — a team's collection rate is Σ collected ÷ Σ due, never an average of its reps'
 * rates (see `ratioActualOf`). Null when the denominator is zero (nothing was due: no rate).
 */
export function ratioActual(numerator: number, denominator: number): number | null {
  if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator)) {
    throw new AppError('NUMBER_INVALID', { value: `${numerator}/${denominator}` });
  }
  if (denominator === 0) return null;
  return toSafeNumber(
    divRoundHalfUp(BigInt(numerator) * 10_000n, BigInt(denominator)),
    'NUMBER_INVALID',
  );
}

/** The rate of a group: Σ numerators ÷ Σ denominators, in basis points. */
export function ratioActualOf(
  parts: readonly { numerator: number; denominator: number }[],
): number | null {
  let n = 0n;
  let d = 0n;
  for (const p of parts) {
    if (!Number.isSafeInteger(p.numerator) || !Number.isSafeInteger(p.denominator)) {
      throw new AppError('NUMBER_INVALID', { value: `${p.numerator}/${p.denominator}` });
    }
    n += BigInt(p.numerator);
    d += BigInt(p.denominator);
  }
  if (d === 0n) return null;
  return toSafeNumber(divRoundHalfUp(n * 10_000n, d), 'NUMBER_INVALID');
}
