/**
 * The words of an alert, in both languages, from its numbers: a title, a one-line summary and
 * markdown lines (bold, lists, links only — what DingTalk and WeCom render). Amounts in 万元
 * (zh) or ¥…K (en), ratios as percentages.
 */
import type { Locale } from '../../i18n/translate.ts';
import { formatMoney } from '../money.ts';
import { formatPercent } from '../percent.ts';
import type { AlertRuleKind, AlertTransition, RenderedText } from './alert-event.ts';
import type { AlertEvidence } from './evaluate.ts';

export interface RenderInput {
  kind: AlertRuleKind;
  metric: string;
  period: string;
  subjectName: Record<Locale, string>;
  evidence: AlertEvidence;
  /** The change being announced; null renders the alert as it stands (the inbox). */
  transition: AlertTransition | null;
  link: string;
}

export interface AlertText extends RenderedText {
  summary: string;
}

const money = (fen: number | null, l: Locale) =>
  fen === null ? '—' : formatMoney(fen, 'wan', { locale: l });
const pct = (bp: number | null) => (bp === null ? '—' : formatPercent(bp, 1));
const points = (bp: number | null) => (bp === null ? '—' : (bp / 100).toFixed(1));

const PREFIX: Record<AlertTransition, Record<Locale, string>> = {
  opened: { 'zh-CN': '', en: '' },
  reopened: { 'zh-CN': '【再次触发】', en: '[Again] ' },
  escalated: { 'zh-CN': '【升级】', en: '[Escalated] ' },
  verdict_changed: { 'zh-CN': '【数据更新】', en: '[Data changed] ' },
  acknowledged: { 'zh-CN': '【已确认】', en: '[Acknowledged] ' },
  snoozed: { 'zh-CN': '【已暂缓】', en: '[Snoozed] ' },
  assigned: { 'zh-CN': '【已指派】', en: '[Assigned] ' },
  resolved: { 'zh-CN': '【已解除】', en: '[Resolved] ' },
};

const METRIC_NAME: Record<string, Record<Locale, string>> = {
  lead_to_opp_rate: { 'zh-CN': '线索转商机率', en: 'lead-to-opportunity rate' },
  opp_to_deal_rate: { 'zh-CN': '商机成单率', en: 'opportunity-to-deal rate' },
};

export function renderAlert(input: RenderInput, l: Locale): AlertText {
  const f = (key: string) => input.evidence.figures.find((x) => x.key === key)?.value ?? null;
  const name = input.subjectName[l];
  const zh = l === 'zh-CN';
  const p = input.period;
  let title: string;
  let summary: string;
  const lines: string[] = [];
  switch (input.kind) {
    case 'attainment_review':
    case 'stop_loss': {
      const n = f('periods') ?? 1;
      const th = pct(f('threshold'));
      const stop = input.kind === 'stop_loss';
      title = zh
        ? `${name} ${p}：连续${n}期达成率低于${th}，${stop ? '触发止损' : '建议复盘目标'}`
        : `${name} ${p}: below ${th} for ${n} periods running — ${stop ? 'stop-loss' : 'target review suggested'}`;
      summary = zh
        ? `达成率 ${pct(f('attainment'))}（目标 ${money(f('target'), l)}，实际 ${money(f('actual'), l)}）`
        : `Attainment ${pct(f('attainment'))} (target ${money(f('target'), l)}, actual ${money(f('actual'), l)})`;
      lines.push(`**${summary}**`);
      for (const s of input.evidence.series)
        lines.push(
          zh
            ? `- ${s.period}：达成率 ${pct(s.attainmentBp)}，目标 ${money(s.target, l)}，实际 ${money(s.actual, l)}`
            : `- ${s.period}: ${pct(s.attainmentBp)}, target ${money(s.target, l)}, actual ${money(s.actual, l)}`,
        );
      lines.push(
        stop
          ? zh
            ? '需制定应急改进计划：明确负责人与截止日期（止损点）。'
            : 'A contingency / improvement plan is required, with an owner and a deadline.'
          : zh
            ? '建议按数据复盘并调整目标（数据驱动调整）。'
            : 'Review the target against the data (data-driven adjustment).',
      );
      break;
    }
    case 'behind_time':
      title = zh
        ? `${name} ${p}：落后时间进度 ${points(f('behindBy'))} 个百分点`
        : `${name} ${p}: ${points(f('behindBy'))} points behind time progress`;
      summary = zh
        ? `时间进度 ${pct(f('timeProgress'))}，达成率 ${pct(f('attainment'))}`
        : `Time progress ${pct(f('timeProgress'))}, attainment ${pct(f('attainment'))}`;
      lines.push(`**${summary}**`);
      lines.push(
        zh
          ? `- 目标 ${money(f('target'), l)}，实际 ${money(f('actual'), l)}，预警线 ${points(f('threshold'))} 个百分点`
          : `- Target ${money(f('target'), l)}, actual ${money(f('actual'), l)}, threshold ${points(f('threshold'))} points`,
      );
      break;
    case 'conversion_drop': {
      const m = METRIC_NAME[input.metric]?.[l] ?? input.metric;
      const drop = f('change');
      const dropText = pct(drop === null ? null : -drop);
      title = zh
        ? `${name} ${p}：${m}环比下降 ${dropText}`
        : `${name} ${p}: ${m} down ${dropText} on the previous period`;
      summary = zh
        ? `${m} ${pct(f('rate'))}（上期 ${pct(f('previousRate'))}）`
        : `${m[0]?.toUpperCase()}${m.slice(1)} ${pct(f('rate'))} (previous ${pct(f('previousRate'))})`;
      lines.push(`**${summary}**`);
      lines.push(
        zh
          ? `- 本期 ${f('toCount')} / ${f('fromCount')}，上期 ${f('previousToCount')} / ${f('previousFromCount')}`
          : `- This period ${f('toCount')} / ${f('fromCount')}, previous ${f('previousToCount')} / ${f('previousFromCount')}`,
      );
      lines.push(zh ? '请排查原因：话术？竞品？' : 'Investigate: the pitch? a competitor?');
      break;
    }
    case 'no_activity':
      title = zh
        ? `${name}：已连续 ${f('daysWithoutActivity')} 个工作日无活动记录`
        : `${name}: no activity logged for ${f('daysWithoutActivity')} working days`;
      summary = zh
        ? `预警线 ${f('threshold')} 个工作日`
        : `Threshold ${f('threshold')} working days`;
      lines.push(`**${summary}**`);
      break;
    default:
      title = `${name} ${p}`;
      summary = '';
  }
  const prefix = input.transition ? PREFIX[input.transition][l] : '';
  lines.push(zh ? `[查看预警](${input.link})` : `[Open the alert](${input.link})`);
  return { title: prefix + title, summary, lines };
}
