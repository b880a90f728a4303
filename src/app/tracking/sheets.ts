import type { OutCell, OutSheet } from '../import/write-table.ts';
import type { Locale } from '../actor.ts';
import type { Breakdown, Overview, Ranking, Series, TrackedMetric } from './types.ts';
import { METRIC_UNIT } from '../../domain/tracking/tracked-metrics.ts';

/**
 * Tracking tables as spreadsheet sheets, headers in the caller's language. Money stays in fen
 * and ratios in basis points, as on the wire, so the numbers in Excel are the ones the screens
 * compute from; the header says the unit.
 */
type Label = Record<Locale, string>;
const L = (zh: string, en: string): Label => ({ 'zh-CN': zh, en });

function sheet(locale: Locale, name: Label, columns: Label[], rows: OutCell[][]): OutSheet {
  return { name: name[locale], headers: columns.map((c) => c[locale]), rows };
}

const nameOf = (locale: Locale, n: { nameZh: string; nameEn: string }) =>
  locale === 'zh-CN' ? n.nameZh : n.nameEn;

export function overviewSheet(o: Overview, locale: Locale): OutSheet {
  const rows: [Label, OutCell][] = [
    [L('对象', 'Node'), nameOf(locale, o.node)],
    [L('期间', 'Period'), o.period.id],
    [L('开始日期', 'Start'), o.period.start],
    [L('结束日期', 'End'), o.period.end],
    [L('截至日期', 'As of'), o.asOf],
    [L('指标', 'Metric'), o.metric],
    [L('单位', 'Unit'), o.unit === 'fen' ? L('分', 'fen')[locale] : L('个', 'count')[locale]],
    [L('筛选', 'Filter'), o.filter ? `${o.filter.dim}: ${nameOf(locale, o.filter)}` : null],
    [
      L('目标', 'Target'),
      o.hasTarget ? o.target : L('该切片无目标', 'No target for this slice')[locale],
    ],
    [L('实际', 'Actual'), o.actual],
    [L('完成率（基点）', 'Attainment (bp)'), o.attainmentBp],
    [L('时间进度（基点）', 'Time progress (bp)'), o.timeProgressBp],
    [L('超前/落后（基点）', 'Ahead/behind (bp)'), o.aheadBehind?.differenceBp ?? null],
    [L('缺口', 'Gap'), o.gap],
    [L('每工作日需完成', 'Required per working day'), o.requiredRunRate],
    [L('剩余工作日', 'Working days left'), o.remainingWorkingDays],
    [L('保底', 'Base'), o.tiers.base],
    [L('挑战', 'Challenge'), o.tiers.challenge],
    [L('冲刺', 'Sprint'), o.tiers.sprint],
    [L('已达档位', 'Tier reached'), o.tierReached],
    [L('同比（基点）', 'YoY (bp)'), o.growth.yoyBp],
    [L('去年同期', 'Same period last year'), o.growth.lastYear],
    [L('环比（基点）', 'Period over period (bp)'), o.growth.popBp],
    [L('上期', 'Previous period'), o.growth.previous],
    [L('成单量', 'Orders'), o.orders],
    [L('客单价（分）', 'Average order value (fen)'), o.aov],
    [L('毛利（分）', 'Gross profit (fen)'), o.grossProfit],
    [L('毛利率（基点）', 'Gross margin (bp)'), o.grossMarginBp],
    [L('回款额（分）', 'Collected (fen)'), o.collections?.collected ?? null],
    [L('回款率（基点）', 'Collection rate (bp)'), o.collections?.rateBp ?? null],
    [L('回款率目标（基点）', 'Collection rate target (bp)'), o.collections?.targetBp ?? null],
    [L('线索量', 'Leads'), o.funnel?.leads ?? null],
    [L('商机量', 'Opportunities'), o.funnel?.opportunities ?? null],
    [L('平均成交周期（天）', 'Average sales cycle (days)'), o.avgSalesCycleDays],
    [L('线性预测', 'Linear forecast'), o.forecast.linear],
    [L('季节性预测', 'Seasonal forecast'), o.forecast.seasonal],
    [L('商机加权预测', 'Pipeline forecast'), o.forecast.pipeline],
  ];
  return sheet(
    locale,
    L('概览', 'Overview'),
    [L('项目', 'Measure'), L('数值', 'Value')],
    rows.map(([l, v]) => [l[locale], v]),
  );
}

/** '实际（分）' for money, '实际' for counts: the numbers stay as on the wire. */
function amount(metric: TrackedMetric, zh: string, en: string): Label {
  return METRIC_UNIT[metric] === 'fen' ? L(`${zh}（分）`, `${en} (fen)`) : L(zh, en);
}

export function seriesSheet(s: Series, locale: Locale): OutSheet {
  const a = (zh: string, en: string) => amount(s.metric, zh, en);
  return sheet(
    locale,
    L('趋势', 'Series'),
    [
      L('期间', 'Period'),
      L('开始', 'Start'),
      L('结束', 'End'),
      a('实际', 'Actual'),
      a('目标', 'Target'),
      a('累计实际', 'Cumulative actual'),
      a('累计目标', 'Cumulative target'),
      a('累计预测', 'Cumulative forecast'),
    ],
    s.points.map((p) => [
      p.period,
      p.start,
      p.end,
      p.actual,
      p.target,
      p.cumActual,
      p.cumTarget,
      p.forecastCum,
    ]),
  );
}

export function breakdownSheet(b: Breakdown, locale: Locale): OutSheet {
  return sheet(
    locale,
    L('结构', 'Breakdown'),
    [
      L('名称', 'Name'),
      amount(b.metric, '实际', 'Actual'),
      amount(b.metric, '目标', 'Target'),
      L('完成率（基点）', 'Attainment (bp)'),
      L('占比（基点）', 'Share (bp)'),
      L('目标占比（基点）', 'Target share (bp)'),
    ],
    b.rows.map((r) => [
      nameOf(locale, r),
      r.actual,
      r.target,
      r.attainmentBp,
      r.shareBp,
      r.targetShareBp,
    ]),
  );
}

const BAND: Record<Ranking['rows'][number]['band'], Label> = {
  top: L('前20%', 'Top 20%'),
  middle: L('中间70%', 'Middle 70%'),
  bottom: L('后10%', 'Bottom 10%'),
};

const TIER: Record<NonNullable<Ranking['rows'][number]['tier']>, Label> = {
  none: L('未达保底', 'Below base'),
  base: L('保底', 'Base'),
  target: L('目标', 'Target'),
  challenge: L('挑战', 'Challenge'),
  sprint: L('冲刺', 'Sprint'),
};

export function rankingSheet(r: Ranking, locale: Locale): OutSheet {
  return sheet(
    locale,
    L('排名', 'Ranking'),
    [
      L('名次', 'Rank'),
      L('分组', 'Band'),
      L('名称', 'Name'),
      amount(r.metric, '实际', 'Actual'),
      amount(r.metric, '目标', 'Target'),
      L('完成率（基点）', 'Attainment (bp)'),
      amount(r.metric, '缺口', 'Gap'),
      L('达成档位', 'Tier reached'),
    ],
    r.rows.map((x) => [
      x.rank,
      BAND[x.band][locale],
      nameOf(locale, x),
      x.actual,
      x.target,
      x.attainmentBp,
      x.gap,
      x.tier === null ? null : TIER[x.tier][locale],
    ]),
  );
}
