import type { Locale } from '../../i18n/translate.ts';
import type { AlertSeverity, RenderedText } from '../alerts/alert-event.ts';
import { splitMessage } from './split.ts';

/** One message for one channel, in the channel's language, before the robot's format. */
export interface OutgoingMessage {
  text: RenderedText;
  /** Absolute (PUBLIC_URL + path) or the app path when no public URL is configured. */
  link: string | null;
  severity: AlertSeverity | null;
  locale: Locale;
}

export const DINGTALK_TEXT_LIMIT = 18_000; // under DingTalk's 20,000 bytes, leaving room for the JSON
export const WECOM_MARKDOWN_LIMIT = 4_096;

const LINK_LABEL: Record<Locale, string> = { 'zh-CN': '查看详情', en: 'Open' };
const SEVERITY_LABEL: Record<Locale, Record<AlertSeverity, string>> = {
  'zh-CN': { info: '提示', warning: '警告', critical: '严重' },
  en: { info: 'Info', warning: 'Warning', critical: 'Critical' },
};

export function severityLabel(locale: Locale, s: AlertSeverity): string {
  return SEVERITY_LABEL[locale][s];
}

/** PUBLIC_URL + the app path; without a public URL the path alone (the reader knows the host). */
export function absoluteLink(publicUrl: string | null | undefined, path: string): string {
  if (!publicUrl) return path;
  return publicUrl.replace(/\/+$/, '') + (path.startsWith('/') ? path : `/${path}`);
}

function linkLine(m: OutgoingMessage): string[] {
  return m.link ? [`[${LINK_LABEL[m.locale]}](${m.link})`] : [];
}

export interface DingtalkPart {
  title: string;
  text: string;
  atMobiles: string[];
}

/**
 * DingTalk markdown parts. An @mention only notifies when the mobile is also written in the text,
 * so "@13800000000" is appended to the last part, which alone carries `atMobiles`. In keyword mode
 * the keyword must appear in every message: it is put in the heading when the text lacks it.
 */
export function renderDingtalk(
  m: OutgoingMessage,
  opts: { keyword?: string | null; mobiles: readonly string[] },
): DingtalkPart[] {
  const severity = m.severity ? `[${severityLabel(m.locale, m.severity)}] ` : '';
  const heading = `### ${severity}${m.text.title}`;
  const body = [...m.text.lines, ...linkLine(m)];
  const mention = opts.mobiles.length > 0 ? [opts.mobiles.map((x) => `@${x}`).join(' ')] : [];
  const keyword = opts.keyword?.trim();
  const parts = splitMessage([heading, '', ...body, ...mention], DINGTALK_TEXT_LIMIT);
  return parts.map((text, i) => {
    const withKeyword = keyword && !text.includes(keyword) ? `${keyword}\n\n${text}` : text;
    const title = parts.length > 1 ? `${m.text.title} (${i + 1}/${parts.length})` : m.text.title;
    return {
      title: keyword && !title.includes(keyword) ? `${keyword} ${title}` : title,
      text: withKeyword,
      atMobiles: i === parts.length - 1 ? [...opts.mobiles] : [],
    };
  });
}

const WECOM_COLOUR: Record<AlertSeverity, 'info' | 'comment' | 'warning'> = {
  info: 'info',
  warning: 'warning',
  critical: 'warning',
};

/**
 * WeCom markdown parts (≤ 4,096 bytes each): the title coloured by severity
 * (`<font color="warning">`), and `<@userid>` mentions on the last line.
 */
export function renderWecom(m: OutgoingMessage, opts: { userIds: readonly string[] }): string[] {
  const title = m.severity
    ? `**<font color="${WECOM_COLOUR[m.severity]}">[${severityLabel(m.locale, m.severity)}] ${m.text.title}</font>**`
    : `**${m.text.title}**`;
  const mention = opts.userIds.length > 0 ? [opts.userIds.map((u) => `<@${u}>`).join(' ')] : [];
  return splitMessage([title, ...m.text.lines, ...linkLine(m), ...mention], WECOM_MARKDOWN_LIMIT);
}

export interface DigestItem {
  text: RenderedText;
  severity: AlertSeverity | null;
  link: string | null;
}

const DIGEST_TITLE: Record<Locale, (date: string, n: number) => string> = {
  'zh-CN': (date, n) => `每日预警摘要 ${date}（${n} 条）`,
  en: (date, n) => `Daily alert digest ${date} (${n})`,
};

/**
 * The day's alerts of one channel as one message: critical first, then warning, then info, each
 * in the order they happened, one list item per alert with its first line and its link.
 */
export function assembleDigest(
  items: readonly DigestItem[],
  locale: Locale,
  date: string,
): RenderedText {
  const rank = { critical: 0, warning: 1, info: 2 } as const;
  const sorted = items
    .map((item, i) => ({ item, i }))
    .sort((a, b) => rank[a.item.severity ?? 'info'] - rank[b.item.severity ?? 'info'] || a.i - b.i)
    .map((x) => x.item);
  const lines = sorted.map((it) => {
    const sev = it.severity ? `[${severityLabel(locale, it.severity)}] ` : '';
    const first = it.text.lines[0] ? ` — ${it.text.lines[0].replace(/^[-*]\s*/, '')}` : '';
    const link = it.link ? ` [${LINK_LABEL[locale]}](${it.link})` : '';
    return `- ${sev}**${it.text.title}**${first}${link}`;
  });
  return { title: DIGEST_TITLE[locale](date, items.length), lines };
}
