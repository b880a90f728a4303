import type { StoredRule } from '../../db/alerts.ts';
import type {
  AlertChangedEvent,
  AlertState,
  AlertTransition,
} from '../../domain/alerts/alert-event.ts';
import type { AlertEvidence } from '../../domain/alerts/evaluate.ts';
import { recipientsFor } from '../../domain/alerts/recipients.ts';
import { renderAlert } from '../../domain/alerts/render.ts';
import { chainOf, subjectOf, type OrgContext, type SubjectType } from './org-context.ts';

export interface AnnouncedAlert {
  id: number;
  rule: StoredRule;
  state: AlertState;
  period: string;
  subjectType: SubjectType;
  subjectId: number;
  unitId: number;
  evidence: AlertEvidence;
  escalationLevel: number;
  assigneeMemberId: number | null;
}

export const alertLink = (id: number) => `/?alert=${id}`;

/** The `alert.changed` payload of one transition: everything a channel needs, in both languages. */
export function alertChangedEvent(
  a: AnnouncedAlert,
  transition: AlertTransition,
  ctx: OrgContext,
  now: Date,
): AlertChangedEvent {
  const subject = subjectOf(ctx, a.subjectType, a.subjectId, a.unitId);
  const chain = chainOf(ctx, a.subjectType, a.subjectId, a.unitId);
  const mentions = recipientsFor(a.rule.recipients, chain, a.escalationLevel);
  if (a.assigneeMemberId !== null && !mentions.includes(a.assigneeMemberId))
    mentions.push(a.assigneeMemberId);
  const input = {
    kind: a.rule.kind,
    metric: a.rule.metric,
    period: a.period,
    subjectName: { 'zh-CN': subject.nameZh, en: subject.nameEn },
    evidence: a.evidence,
    transition,
    link: alertLink(a.id),
  };
  const zh = renderAlert(input, 'zh-CN');
  const en = renderAlert(input, 'en');
  return {
    alertId: a.id,
    transition,
    ruleId: a.rule.id,
    ruleKind: a.rule.kind,
    severity: a.rule.severity,
    state: a.state,
    period: a.period,
    subject,
    mentionMemberIds: mentions,
    text: {
      'zh-CN': { title: zh.title, lines: zh.lines },
      en: { title: en.title, lines: en.lines },
    },
    link: alertLink(a.id),
    at: now.toISOString(),
  };
}
