import type { AlertSeverity, RenderedText } from '../../domain/alerts/alert-event.ts';
import type { Locale } from '../../i18n/translate.ts';

/**
 * What a delivery row holds (`notification_deliveries.content`, JSON): the message in both
 * languages, rendered for the channel's language and robot when it is sent, and the event as the
 * body a webhook receives.
 */
export interface DeliveryContent {
  /** The webhook's `type`: 'alert.changed', 'notify.message', 'digest' or 'test'. */
  type: string;
  text: Record<Locale, RenderedText>;
  severity: AlertSeverity | null;
  /** App-relative link; prefixed with PUBLIC_URL when sent. */
  link: string | null;
  mentionMemberIds: number[];
  data: unknown;
}

export const SEVERITY_RANK: Record<AlertSeverity, number> = { info: 0, warning: 1, critical: 2 };
