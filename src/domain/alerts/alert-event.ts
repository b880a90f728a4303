import type { Locale } from '../../i18n/translate.ts';

/**
 * The contract between the alert engine and the notification channels: every change of an
 * alert's state is announced on the outbox topic `alert.changed` with this payload, written in
 * the same transaction as the change. The channels never read the alert tables to render a
 * message: everything a message needs is here, already in both languages.
 */
export const ALERT_RULE_KINDS = [
  'attainment_review', // below 70% two periods running → target review suggested
  'stop_loss', // below 60% two periods running → contingency plan required (inhibits review)
  'behind_time', // attainment behind time progress by more than N points
  'conversion_drop', // a funnel conversion down ≥ 20% on the previous period
  'plan_task_late', // an improvement-plan task behind schedule N days running (帮扶)
  'forecast_below_base', // year-end forecast below the base tier (保底)
  'collection_rate', // collection rate below its ratio target
  'no_activity', // no activity logged by a rep for N working days
] as const;
export type AlertRuleKind = (typeof ALERT_RULE_KINDS)[number];

export type AlertSeverity = 'info' | 'warning' | 'critical';
export type AlertState = 'open' | 'acknowledged' | 'snoozed' | 'resolved';
export type AlertTransition =
  | 'opened'
  | 'reopened'
  | 'escalated'
  | 'verdict_changed'
  | 'acknowledged'
  | 'snoozed'
  | 'assigned'
  | 'resolved';

/** Text already rendered for one language: a title and markdown lines (bold, lists, links only). */
export interface RenderedText {
  title: string;
  lines: string[];
}

export interface AlertChangedEvent {
  alertId: number;
  transition: AlertTransition;
  ruleId: number;
  ruleKind: AlertRuleKind;
  severity: AlertSeverity;
  state: AlertState;
  /** 'YYYY-MM', 'YYYY-Qn' or 'YYYY-Www': the period the verdict is about. */
  period: string;
  subject: {
    type: 'member' | 'unit';
    id: number;
    nameZh: string;
    nameEn: string;
    /** The unit messages are routed by: the unit itself, or the member's unit on `period`'s end. */
    unitId: number;
    unitPath: string;
  };
  /** Members who should be @-mentioned (the subject, the manager, the escalation target...). */
  mentionMemberIds: number[];
  text: Record<Locale, RenderedText>;
  /** App-relative link back to the alert, e.g. '/?alert=12'; channels prefix the public URL. */
  link: string;
  /** ISO time of the change. */
  at: string;
}
