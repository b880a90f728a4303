import type { RenderedText } from '../alerts/alert-event.ts';
import { decimalsFor, formatMoney, type Locale } from '../money.ts';
import { formatPercent } from '../percent.ts';
import type {
  BattleReport,
  Leaders,
  PeriodFigures,
  ReportMetric,
  WeeklySheet,
} from './report-model.ts';

/**
 * The battle report and the weekly sheet as group messages and as the page's "copy as text":
 * a title and markdown lines (bold, lists only), in zh-CN (amounts in 万) or en (¥K, or ¥M from
 * one million yuan up — the scales English readers count in).
 */

const METRIC_NAMES: Record<ReportMetric, Record<Locale, string>> = {
  revenue: { 'zh-CN': '销售额', en: 'Revenue' },
  deals: { 'zh-CN': '成单', en: 'Deals' },
  new_customers: { 'zh-CN': '新客户', en: 'New customers' },
};

const EN_MONTHS = 'Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec'.split(' ');

/** '12月7日' / '7 Dec'. */
export function shortDate(date: string, locale: Locale): string {
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  return locale === 'zh-CN' ? `${m}月${d}日` : `${d} ${EN_MONTHS[m - 1]}`;
}

function groupDigits(n: number): string {
  const s = String(Math.abs(n)).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return n < 0 ? `-${s}` : s;
}

/** An amount or a count as the reader counts it: '350.00万', '¥3,500.00K', '¥12.50M', '1,204'. */
export function figure(value: number, unit: 'fen' | 'count', locale: Locale): string {
  if (unit === 'count') return groupDigits(value);
  const scale = locale === 'en' && Math.abs(value) >= 100_000_000 ? 'yi' : 'wan';
  return formatMoney(value, scale, { locale, decimals: decimalsFor(value, scale, locale) });
}

const pct = (bp: number) => formatPercent(bp, 1);

function pace(differenceBp: number, locale: Locale): string {
  const pts = formatPercent(Math.abs(differenceBp), 1).slice(0, -1);
  if (locale === 'zh-CN') {
    if (differenceBp === 0) return '与时间进度持平';
    return `${differenceBp > 0 ? '领先' : '落后'}时间进度 ${pts} 个百分点`;
  }
  if (differenceBp === 0) return 'on pace with time';
  return `${pts} pts ${differenceBp > 0 ? 'ahead of' : 'behind'} time`;
}

/** '- **销售额** 350.00万 / 目标 1,200.00万，完成率 29.2%，领先…；缺口 850.00万，日均需 50.00万'. */
export function figuresLine(f: PeriodFigures, locale: Locale): string {
  const zh = locale === 'zh-CN';
  const name = METRIC_NAMES[f.metric][locale];
  const actual = figure(f.actual, f.unit, locale);
  if (!f.hasTarget || f.attainmentBp === null)
    return `- **${name}** ${actual}${zh ? '（无目标）' : ' (no target)'}`;
  const target = figure(f.target, f.unit, locale);
  const head = zh
    ? `- **${name}** ${actual} / 目标 ${target}，完成率 ${pct(f.attainmentBp)}`
    : `- **${name}** ${actual} of ${target}, ${pct(f.attainmentBp)} attained`;
  const paceText = f.differenceBp === null ? '' : (zh ? '，' : ', ') + pace(f.differenceBp, locale);
  let tail: string;
  if (f.gap <= 0) tail = zh ? '；已完成目标' : '; target reached';
  else {
    const gapText = figure(f.gap, f.unit, locale);
    if (f.requiredRunRate === null)
      tail = zh ? `；缺口 ${gapText}，已无剩余工作日` : `; gap ${gapText}, no working day left`;
    else {
      const rate = figure(f.requiredRunRate, f.unit, locale);
      tail = zh
        ? `；缺口 ${gapText}，日均需 ${rate}`
        : `; gap ${gapText}, ${rate} a working day needed`;
    }
  }
  return head + paceText + tail;
}

function leaderLines(l: Leaders, heading: Record<Locale, string>, locale: Locale): string[] {
  const zh = locale === 'zh-CN';
  const name = (r: { nameZh: string; nameEn: string }) => (zh ? r.nameZh : r.nameEn);
  const out: string[] = [];
  const metric = METRIC_NAMES[l.metric][locale];
  if (l.top.length > 0) {
    out.push(
      zh
        ? `**${heading[locale]}**（按${metric}完成率）`
        : `**${heading[locale]}** (by ${metric.toLowerCase()} attainment)`,
    );
    l.top.forEach((r, i) => {
      const amount = figure(r.actual, 'fen', locale);
      out.push(
        `${i + 1}. ${name(r)} ${pct(r.attainmentBp ?? 0)}${zh ? `（${amount}）` : ` (${amount})`}`,
      );
    });
  }
  if (l.behind) {
    const r = l.behind;
    const gapText =
      r.gap > 0
        ? zh
          ? `，缺口 ${figure(r.gap, 'fen', locale)}`
          : `, gap ${figure(r.gap, 'fen', locale)}`
        : '';
    out.push(
      zh
        ? `**最落后**：${name(r)} ${pct(r.attainmentBp ?? 0)}${gapText}`
        : `**Furthest behind**: ${name(r)} ${pct(r.attainmentBp ?? 0)}${gapText}`,
    );
  }
  return out;
}

function monthHeading(
  timeProgressBp: number,
  remaining: number,
  asOf: string,
  locale: Locale,
): string {
  return locale === 'zh-CN'
    ? `**本月累计**（截至${shortDate(asOf, locale)}，时间进度 ${pct(timeProgressBp)}，剩余 ${remaining} 个工作日）`
    : `**Month to date** (to ${shortDate(asOf, locale)}, time progress ${pct(timeProgressBp)}, ${remaining} working days left)`;
}

export function renderBattleReport(r: BattleReport, locale: Locale): RenderedText {
  const zh = locale === 'zh-CN';
  const unitName = zh ? r.unit.nameZh : r.unit.nameEn;
  const title = zh
    ? `每日战报｜${unitName}｜${shortDate(r.date, locale)}`
    : `Daily report | ${unitName} | ${shortDate(r.date, locale)} ${r.date.slice(0, 4)}`;
  const day = r.day
    .map(
      (d) =>
        `${zh ? METRIC_NAMES[d.metric][locale] : METRIC_NAMES[d.metric][locale].toLowerCase()} ${figure(d.actual, d.unit, locale)}`,
    )
    .join(zh ? '，' : ', ');
  const lines = [
    // The day by its date, not "yesterday": the page shows any past day, and a message that
    // went out late still names the right one.
    zh ? `**${shortDate(r.date, locale)}**：${day}` : `**${shortDate(r.date, locale)}**: ${day}`,
    monthHeading(r.monthToDate[0]?.timeProgressBp ?? 0, r.remainingWorkingDays, r.date, locale),
    ...r.monthToDate.map((f) => figuresLine(f, locale)),
    ...leaderLines(r.leaders, { 'zh-CN': '前三名', en: 'Top three' }, locale),
  ];
  return { title, lines };
}

const SEVERITY: Record<'info' | 'warning' | 'critical', Record<Locale, string>> = {
  info: { 'zh-CN': '提示', en: 'Info' },
  warning: { 'zh-CN': '警告', en: 'Warning' },
  critical: { 'zh-CN': '严重', en: 'Critical' },
};

export function renderWeeklySheet(s: WeeklySheet, locale: Locale): RenderedText {
  const zh = locale === 'zh-CN';
  const unitName = zh ? s.unit.nameZh : s.unit.nameEn;
  const range = `${shortDate(s.start, locale)}–${shortDate(s.end, locale)}`;
  const title = zh
    ? `周会数据｜${unitName}｜${s.week}（${range}）`
    : `Weekly review | ${unitName} | ${s.week} (${range})`;
  const counted = s.asOf < s.end ? shortDate(s.asOf, locale) : null;
  const weekHead = zh
    ? `**本周**（${range}${counted ? `，截至${counted}` : ''}，时间进度 ${pct(s.weekFigures[0]?.timeProgressBp ?? 0)}）`
    : `**This week** (${range}${counted ? `, to ${counted}` : ''}, time progress ${pct(s.weekFigures[0]?.timeProgressBp ?? 0)})`;
  const lines = [
    weekHead,
    ...s.weekFigures.map((f) => figuresLine(f, locale)),
    monthHeading(s.monthToDate[0]?.timeProgressBp ?? 0, s.remainingWorkingDays, s.asOf, locale),
    ...s.monthToDate.map((f) => figuresLine(f, locale)),
    ...leaderLines(s.leaders, { 'zh-CN': '本周前三名', en: 'Top three this week' }, locale),
  ];
  if (s.openAlerts.length > 0) {
    lines.push(
      zh ? `**未关闭预警**（${s.openAlerts.length}）` : `**Open alerts** (${s.openAlerts.length})`,
    );
    for (const a of s.openAlerts)
      lines.push(
        zh
          ? `- ${SEVERITY[a.severity][locale]}：${a.textZh}`
          : `- ${SEVERITY[a.severity][locale]}: ${a.textEn}`,
      );
  }
  return { title, lines };
}
