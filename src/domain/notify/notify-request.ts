import type { Locale } from '../../i18n/translate.ts';
import type { RenderedText } from '../alerts/alert-event.ts';

/**
 * A message for the groups of one org unit that is not an alert (the daily battle report, the
 * weekly sheet, an approval reminder, a note to the admins), announced on the outbox topic
 * `notify.message`. The notification channels route it by `unitId` (null: company-wide channels),
 * render it for each channel's language and deliver it once per channel and `dedupeKey`.
 */
export interface NotifyRequest {
  kind: 'battle_report' | 'weekly_sheet' | 'reminder' | 'system';
  unitId: number | null;
  /** The same key is delivered at most once per channel (e.g. 'battle_report:12:2026-12-07'). */
  dedupeKey: string;
  mentionMemberIds: number[];
  text: Record<Locale, RenderedText>;
  /** App-relative link, e.g. '/reports/battle?unit=12'; channels prefix the public URL. */
  link: string | null;
  at: string;
}
