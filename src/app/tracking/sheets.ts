import type { OutCell, OutSheet } from '../import/write-table.ts';
import type { Locale } from '../actor.ts';
import type { AmountUnit } from '../../domain/money.ts';
import { decimalsFor, fenPerUnit, unitLabel } from '../../domain/money.ts';
import { getMetric } from '../../domain/planning/metrics.ts';
import type { Dimension } from '../../domain/tracking/tracked-metrics.ts';
import { METRIC_UNIT } from '../../domain/tracking/tracked-metrics.ts';
import type {
  Breakdown,
  Overview,
  Ranking,
  Series,
  TierReachedName,
  TrackedMetric,
} from './types.ts';

/**
 * Tracking tables as spreadsheet sheets, in the reader's language and display unit: money as
 * numbers in 元, 万元 or 亿元 (the cell holds the exact value; its format shows the decimals),
 * ratios as real percentages ('0.00%'), counts as whole numbers, every label and name translated.
 * A finance user can sum and chart the cells as they are, and the header names the unit.
 */
type Label = Record<Locale, string>;
const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });

export interface SheetOptions {
  locale: Locale;
  amountUnit: AmountUnit;
}

const PCT_FMT = '0.00%';
const COUNT_FMT = '#,##0';
const DAYS_FMT = '0.0';

/** fen in the display unit: 9,061,159,100 fen → 9,061.1591 (万元), 90,611.591 (¥K). */
function inUnit(fen: number | null, o: SheetOptions): number | null {
  return fen === null ? null : fen / fenPerUnit(o.amountUnit, o.locale);
}

/** basis points as the fraction Excel's percent format expects: 8,553 → 0.8553 (85.53%). */
const pct = (bp: number | null): number | null => (bp === null ? null : bp / 10_000);

function decimalsFmt(decimals: number): string {
  return decimals === 0 ? '#,##0' : `#,##0.${'0'.repeat(decimals)}`;
}

/** The money format for an amount in fen: decimals so that it never shows as 0.00 (see decimalsFor). */
function moneyFmt(fen: number | null, o: SheetOptions): string {
  return decimalsFmt(decimalsFor(fen ?? 0, o.amountUnit, o.locale));
}

/** The widest format a money column needs: its smallest non-zero amount decides. */
function columnMoneyFmt(fens: (number | null)[], o: SheetOptions): string {
  const nonZero = fens.filter((v): v is number => v !== null && v !== 0).map(Math.abs);
  return moneyFmt(nonZero.length ? Math.min(...nonZero) : null, o);
}

function withUnit(o: SheetOptions, label: Label, unit: 'fen' | 'count' | 'bp' | 'days'): string {
  const u =
    unit === 'fen'
      ? unitLabel(o.amountUnit, o.locale)
      : unit === 'days'
        ? L('天', 'days')[o.locale]
        : null;
  if (u === null) return label[o.locale];
  return o.locale === 'zh-CN' ? `${label[o.locale]}（${u}）` : `${label[o.locale]} (${u})`;
}

const nameOf = (locale: Locale, n: { nameZh: string; nameEn: string }) =>
  locale === 'zh-CN' ? n.nameZh : n.nameEn;

const DIMENSION: Record<Dimension, Label> = {
  product_line: L('产品线', 'Product line'),
  channel: L('渠道', 'Channel'),
  lifecycle: L('客户生命周期', 'Customer lifecycle'),
  region: L('区域', 'Region'),
  segment: L('客户细分', 'Segment'),
};

const TIER: Record<TierReachedName, Label> = {
  none: L('未达保底', 'Below base'),
  base: L('保底', 'Base'),
  target: L('目标', 'Target'),
  challenge: L('挑战', 'Challenge'),
  sprint: L('冲刺', 'Sprint'),
};

const metricName = (metric: TrackedMetric, locale: Locale) => getMetric(metric).name[locale];

type Kind = 'fen' | 'metric' | 'count' | 'bp' | 'days' | 'text';

export function overviewSheet(o: Overview, opts: SheetOptions): OutSheet {
  const { locale, amountUnit } = opts;
  const m: Kind = o.unit === 'fen' ? 'fen' : 'count';
  const rows: [Label, Kind, OutCell][] = [
    [L('对象', 'Node'), 'text', nameOf(locale, o.node)],
    [L('期间', 'Period'), 'text', o.period.id],
    [L('开始日期', 'Start'), 'text', o.period.start],
    [L('结束日期', 'End'), 'text', o.period.end],
    [L('截至日期', 'As of'), 'text', o.asOf],
    [L('指标', 'Metric'), 'text', metricName(o.metric, locale)],
    [
      L('单位', 'Unit'),
      'text',
      o.unit === 'fen' ? unitLabel(amountUnit, locale) : L('个', 'count')[locale],
    ],
    [
      L('筛选', 'Filter'),
      'text',
      o.filter ? `${DIMENSION[o.filter.dim][locale]}: ${nameOf(locale, o.filter)}` : null,
    ],
    [
      L('目标', 'Target'),
      o.hasTarget ? m : 'text',
      o.hasTarget ? o.target : L('该切片无目标', 'No target for this slice')[locale],
    ],
    [L('实际', 'Actual'), m, o.actual],
    [L('完成率', 'Attainment'), 'bp', o.attainmentBp],
    [L('时间进度', 'Time progress'), 'bp', o.timeProgressBp],
    [L('超前/落后', 'Ahead/behind'), 'bp', o.aheadBehind?.differenceBp ?? null],
    [L('缺口', 'Gap'), m, o.gap],
    [L('每工作日需完成', 'Required per working day'), m, o.requiredRunRate],
    [L('剩余工作日', 'Working days left'), 'count', o.remainingWorkingDays],
    [L('保底', 'Base'), m, o.tiers.base],
    [L('挑战', 'Challenge'), m, o.tiers.challenge],
    [L('冲刺', 'Sprint'), m, o.tiers.sprint],
    [L('已达档位', 'Tier reached'), 'text', TIER[o.tierReached][locale]],
    [L('同比', 'YoY'), 'bp', o.growth.yoyBp],
    [L('去年同期', 'Same period last year'), m, o.growth.lastYear],
    [L('环比', 'Period over period'), 'bp', o.growth.popBp],
    [L('上期', 'Previous period'), m, o.growth.previous],
    [L('成单量', 'Orders'), 'count', o.orders],
    [L('客单价', 'Average order value'), 'fen', o.aov],
    [L('毛利', 'Gross profit'), 'fen', o.grossProfit],
    [L('毛利率', 'Gross margin'), 'bp', o.grossMarginBp],
    [L('回款额', 'Collected'), 'fen', o.collections?.collected ?? null],
    [L('回款率', 'Collection rate'), 'bp', o.collections?.rateBp ?? null],
    [L('回款率目标', 'Collection rate target'), 'bp', o.collections?.targetBp ?? null],
    [L('线索量', 'Leads'), 'count', o.funnel?.leads ?? null],
    [L('商机量', 'Opportunities'), 'count', o.funnel?.opportunities ?? null],
    [L('平均成交周期', 'Average sales cycle'), 'days', o.avgSalesCycleDays],
    [L('线性预测', 'Linear forecast'), m, o.forecast.linear],
    [L('季节性预测', 'Seasonal forecast'), m, o.forecast.seasonal],
    [L('商机加权预测', 'Pipeline forecast'), m, o.forecast.pipeline],
  ];
  const cellNumFmts: { row: number; col: number; fmt: string }[] = [];
  const out: OutCell[][] = rows.map(([label, kind, raw], row) => {
    let value = raw;
    let fmt: string | null = null;
    if (typeof raw === 'number') {
      if (kind === 'fen') {
        value = inUnit(raw, opts);
        fmt = moneyFmt(raw, opts);
      } else if (kind === 'bp') {
        value = pct(raw);
        fmt = PCT_FMT;
      } else if (kind === 'count') fmt = COUNT_FMT;
      else if (kind === 'days') fmt = DAYS_FMT;
    }
    if (fmt) cellNumFmts.push({ row, col: 1, fmt });
    const unit = kind === 'fen' || kind === 'bp' || kind === 'days' ? kind : 'count';
    return [withUnit(opts, label, unit), value];
  });
  return {
    name: L('概览', 'Overview')[locale],
    headers: [L('项目', 'Measure')[locale], L('数值', 'Value')[locale]],
    rows: out,
    cellNumFmts,
  };
}

/** A metric's amount in the display unit (money) or as it is (counts), with its format. */
function amounts(metric: TrackedMetric, opts: SheetOptions, values: (number | null)[]) {
  if (METRIC_UNIT[metric] !== 'fen') return { values, fmt: COUNT_FMT, unit: 'count' as const };
  const converted = values.map((v) => inUnit(v, opts));
  return {
    values: converted,
    fmt: columnMoneyFmt(values, opts),
    unit: 'fen' as const,
  };
}

export function seriesSheet(s: Series, opts: SheetOptions): OutSheet {
  const { locale } = opts;
  const cols = [
    s.points.map((p) => p.actual),
    s.points.map((p) => p.target),
    s.points.map((p) => p.cumActual),
    s.points.map((p) => p.cumTarget),
    s.points.map((p) => p.forecastCum),
  ].map((c) => amounts(s.metric, opts, c));
  const labels = [
    L('实际', 'Actual'),
    L('目标', 'Target'),
    L('累计实际', 'Cumulative actual'),
    L('累计目标', 'Cumulative target'),
    L('累计预测', 'Cumulative forecast'),
  ];
  return {
    name: `${L('趋势', 'Series')[locale]} ${metricName(s.metric, locale)}`,
    headers: [
      L('期间', 'Period')[locale],
      L('开始', 'Start')[locale],
      L('结束', 'End')[locale],
      ...labels.map((l, i) => withUnit(opts, l, cols[i]!.unit)),
    ],
    rows: s.points.map((p, r) => [p.period, p.start, p.end, ...cols.map((c) => c.values[r]!)]),
    numFmts: [null, null, null, ...cols.map((c) => c.fmt)],
  };
}

export function breakdownSheet(b: Breakdown, opts: SheetOptions): OutSheet {
  const { locale } = opts;
  const actual = amounts(
    b.metric,
    opts,
    b.rows.map((r) => r.actual),
  );
  const target = amounts(
    b.metric,
    opts,
    b.rows.map((r) => r.target),
  );
  return {
    name: `${L('结构', 'Breakdown')[locale]} ${metricName(b.metric, locale)}`,
    headers: [
      L('名称', 'Name')[locale],
      withUnit(opts, L('实际', 'Actual'), actual.unit),
      withUnit(opts, L('目标', 'Target'), target.unit),
      withUnit(opts, L('完成率', 'Attainment'), 'bp'),
      withUnit(opts, L('占比', 'Share'), 'bp'),
      withUnit(opts, L('目标占比', 'Target share'), 'bp'),
    ],
    rows: b.rows.map((r, i) => [
      nameOf(locale, r),
      actual.values[i]!,
      target.values[i]!,
      pct(r.attainmentBp),
      pct(r.shareBp),
      pct(r.targetShareBp),
    ]),
    numFmts: [null, actual.fmt, target.fmt, PCT_FMT, PCT_FMT, PCT_FMT],
  };
}

const BAND: Record<Ranking['rows'][number]['band'], Label> = {
  top: L('前20%', 'Top 20%'),
  middle: L('中间70%', 'Middle 70%'),
  bottom: L('后10%', 'Bottom 10%'),
};

export function rankingSheet(r: Ranking, opts: SheetOptions): OutSheet {
  const { locale } = opts;
  const [actual, target, gap] = [
    r.rows.map((x) => x.actual),
    r.rows.map((x) => x.target),
    r.rows.map((x) => x.gap),
  ].map((c) => amounts(r.metric, opts, c)) as [
    ReturnType<typeof amounts>,
    ReturnType<typeof amounts>,
    ReturnType<typeof amounts>,
  ];
  return {
    name: `${L('排名', 'Ranking')[locale]} ${metricName(r.metric, locale)}`,
    headers: [
      L('名次', 'Rank')[locale],
      L('分组', 'Band')[locale],
      L('名称', 'Name')[locale],
      withUnit(opts, L('实际', 'Actual'), actual.unit),
      withUnit(opts, L('目标', 'Target'), target.unit),
      withUnit(opts, L('完成率', 'Attainment'), 'bp'),
      withUnit(opts, L('缺口', 'Gap'), gap.unit),
      L('达成档位', 'Tier reached')[locale],
    ],
    rows: r.rows.map((x, i) => [
      x.rank,
      BAND[x.band][locale],
      nameOf(locale, x),
      actual.values[i]!,
      target.values[i]!,
      pct(x.attainmentBp),
      gap.values[i]!,
      x.tier === null ? null : TIER[x.tier][locale],
    ]),
    numFmts: [COUNT_FMT, null, null, actual.fmt, target.fmt, PCT_FMT, gap.fmt, null],
  };
}
