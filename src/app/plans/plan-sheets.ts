import type { MetricUnit } from '../../db/schema.ts';
import type { OutCell, OutSheet } from '../import/write-table.ts';
import type { Locale } from '../actor.ts';
import type { CompareView } from './read-compare.ts';
import type { MonthlyTableView } from './read-monthly-table.ts';
import type { ProposalsView } from './read-proposals.ts';

/**
 * The planner's tables as spreadsheet sheets, headers in the caller's language. Money is written
 * in 元 as numbers with two decimals (fen ÷ 100 is exact to the cent, and a planner sums targets
 * in 元, not fen); ratios in percent; counts as they are. Every header names its unit.
 */
type Label = Record<Locale, string>;
const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });
const YUAN_FMT = '#,##0.00';
const PCT_FMT = '0.00';

const nameOf = (locale: Locale, n: { nameZh: string; nameEn: string }) =>
  locale === 'zh-CN' ? n.nameZh : n.nameEn;
const OWNER_TYPE: Record<'unit' | 'member', Label> = {
  unit: L('组织', 'Unit'),
  member: L('人员', 'Person'),
};
const UNIT_LABEL: Record<MetricUnit, Label> = {
  fen: L('元', 'yuan'),
  count: L('个', 'count'),
  bp: L('%', '%'),
};

/** fen → 元, basis points → percent, counts unchanged; null stays empty. */
export function displayValue(unit: MetricUnit, value: number | null): number | null {
  if (value === null) return null;
  return unit === 'count' ? value : value / 100;
}

/** '（元）' / ' (yuan)' after a header. */
function withUnit(locale: Locale, label: Label, unit: MetricUnit): string {
  const u = UNIT_LABEL[unit][locale];
  return locale === 'zh-CN' ? `${label[locale]}（${u}）` : `${label[locale]} (${u})`;
}

function fmtOf(unit: MetricUnit): string | null {
  return unit === 'fen' ? YUAN_FMT : unit === 'bp' ? PCT_FMT : null;
}

export function compareSheet(
  c: CompareView,
  opts: { locale: Locale; unit: MetricUnit; metricName: string; a: number; b: number },
): OutSheet {
  const { locale, unit } = opts;
  const v = (n: number) => L(`第 ${n} 版`, `Version ${n}`);
  const headers = [
    L('类型', 'Type')[locale],
    L('责任主体', 'Owner')[locale],
    L('期间', 'Period')[locale],
    withUnit(locale, v(opts.a), unit),
    withUnit(locale, v(opts.b), unit),
    withUnit(locale, L('变化（后 − 前）', 'Change (B − A)'), unit),
  ];
  const rows: OutCell[][] = c.rows.map((r) => [
    OWNER_TYPE[r.key.ownerType][locale],
    locale === 'zh-CN' ? r.ownerNameZh : r.ownerNameEn,
    r.key.period,
    displayValue(unit, r.a),
    displayValue(unit, r.b),
    displayValue(unit, r.diff),
  ]);
  const f = fmtOf(unit);
  return {
    name: `${L('版本对比', 'Compare')[locale]} ${opts.metricName}`,
    headers,
    rows,
    numFmts: [null, null, null, f, f, f],
  };
}

export function proposalsSheet(
  p: ProposalsView,
  opts: { locale: Locale; unit: MetricUnit; metricName: string },
): OutSheet {
  const { locale, unit } = opts;
  const depth = new Map<string, number>();
  for (const n of p.nodes)
    depth.set(n.ref, n.parentRef === null ? 0 : (depth.get(n.parentRef) ?? 0) + 1);
  const headers = [
    L('层级', 'Level')[locale],
    L('类型', 'Type')[locale],
    L('责任主体', 'Owner')[locale],
    withUnit(locale, L('分配目标', 'Assigned'), unit),
    withUnit(locale, L('下级提报合计', 'Proposed (roll-up)'), unit),
    withUnit(locale, L('本级提报', 'Own proposal'), unit),
    withUnit(locale, L('差距（分配 − 提报）', 'Gap (assigned − proposed)'), unit),
    L('覆盖率（%）', 'Coverage (%)')[locale],
    L('已提报/下级数', 'Proposed / leaves')[locale],
    L('说明', 'Note')[locale],
  ];
  const rows: OutCell[][] = p.nodes.map((n) => [
    depth.get(n.ref) ?? 0,
    OWNER_TYPE[n.ownerType][locale],
    `${'  '.repeat(depth.get(n.ref) ?? 0)}${nameOf(locale, n)}`,
    displayValue(unit, n.assigned),
    displayValue(unit, n.proposed),
    displayValue(unit, n.ownProposal),
    displayValue(unit, n.gap),
    n.coverageBp === null ? null : n.coverageBp / 100,
    `${n.leavesProposed}/${n.leaves}`,
    n.note,
  ]);
  const f = fmtOf(unit);
  return {
    name: `${L('提报', 'Proposals')[locale]} ${p.period}`,
    headers,
    rows,
    numFmts: [null, null, null, f, f, f, f, PCT_FMT],
  };
}

/** The monthly table's weekly average column (from 0). */
const WEEKLY_AVERAGE_COLUMN = 5;

export function monthlyTableSheet(
  m: MonthlyTableView,
  opts: { locale: Locale; metricNames: Map<string, string> },
): OutSheet {
  const { locale } = opts;
  const weeks = Array.from(
    { length: m.weeks },
    (_, i) => L(`第${i + 1}周`, `Week ${i + 1}`)[locale],
  );
  const headers = [
    L('类型', 'Type')[locale],
    L('责任主体', 'Owner')[locale],
    L('目标类型', 'Metric')[locale],
    L('单位', 'Unit')[locale],
    L('月度目标值', 'Monthly target')[locale],
    L('周均目标', 'Weekly average')[locale],
    ...weeks,
    L('关键策略', 'Key strategy')[locale],
  ];
  const rows: OutCell[][] = m.rows.map((r) => [
    OWNER_TYPE[r.ownerType][locale],
    locale === 'zh-CN' ? r.ownerNameZh : r.ownerNameEn,
    opts.metricNames.get(r.metric) ?? r.metric,
    UNIT_LABEL[r.unit][locale],
    displayValue(r.unit, r.monthlyTarget),
    // A count's weekly average keeps a decimal, as on screen: 1 a month is 0.3 a week, not 0.
    r.unit === 'count'
      ? Math.round((r.monthlyTarget * 10) / m.weeks) / 10
      : displayValue(r.unit, r.weeklyAverage),
    ...weeks.map((_, i) => (r.weekly ? displayValue(r.unit, r.weekly[i] ?? null) : null)),
    r.keyStrategy,
  ]);
  // Units mix down the columns, so the format follows the row: 元 and % with two decimals, counts whole.
  return {
    name: `${L('月度目标表', 'Monthly targets')[locale]} ${m.month}`,
    headers,
    rows,
    rowNumFmts: m.rows.map((r) => (r.unit === 'count' ? '#,##0' : YUAN_FMT)),
    cellNumFmts: m.rows.flatMap((r, row) =>
      r.unit === 'count' ? [{ row, col: WEEKLY_AVERAGE_COLUMN, fmt: '#,##0.0' }] : [],
    ),
  };
}
