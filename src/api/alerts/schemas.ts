import { z } from 'zod';
import { ALERT_RULE_KINDS } from '../../domain/alerts/alert-event.ts';
import { isoDate } from '../schemas.ts';

/**
 * The alert inbox and rules contract (docs/alerts-api.md). Money in evidence is integer fen,
 * ratios are basis points; titles and summaries come already rendered in the request's locale.
 */
export const alertRuleKindSchema = z.enum(ALERT_RULE_KINDS);
export const alertSeveritySchema = z.enum(['info', 'warning', 'critical']);
export const alertStateSchema = z.enum(['open', 'acknowledged', 'snoozed', 'resolved']);
export const alertTransitionSchema = z.enum([
  'opened',
  'reopened',
  'escalated',
  'verdict_changed',
  'acknowledged',
  'snoozed',
  'assigned',
  'resolved',
]);
export const alertPeriodKindSchema = z.enum(['week', 'month', 'quarter']);
export const alertSubjectsSchema = z.enum(['members', 'units', 'both']);
export const alertRecipientSchema = z.enum(['subject', 'manager', 'manager_manager']);
export const alertChannelSchema = z.enum(['inbox', 'dingtalk', 'wecom', 'webhook']);

export const alertListQuery = z.object({
  /** mine: alerts about me or assigned to me; team: my subtree's (managers); all: every alert in scope. */
  view: z.enum(['mine', 'team', 'all']).default('all'),
  /** active = open, acknowledged or snoozed (the default). */
  state: z.enum(['active', 'open', 'acknowledged', 'snoozed', 'resolved']).default('active'),
  severity: alertSeveritySchema.optional(),
  ruleKind: alertRuleKindSchema.optional(),
  /** Alerts routed to this unit or any unit below it. */
  unitId: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** Opaque; the `nextCursor` of the previous page. */
  cursor: z.string().max(100).optional(),
});

export const alertSubjectSchema = z.object({
  type: z.enum(['member', 'unit']),
  id: z.number(),
  nameZh: z.string(),
  nameEn: z.string(),
  /** The unit the alert is routed by: the unit itself, or the member's unit on the period's end. */
  unitId: z.number(),
  unitNameZh: z.string(),
  unitNameEn: z.string(),
});

export const alertItemSchema = z.object({
  id: z.number(),
  ruleId: z.number(),
  ruleKind: alertRuleKindSchema,
  severity: alertSeveritySchema,
  state: alertStateSchema,
  /** 'YYYY-MM', 'FY2026-Q1' or 'YYYY-Www'. */
  period: z.string(),
  subject: alertSubjectSchema,
  title: z.string(),
  summary: z.string(),
  openedAt: z.string(),
  acknowledgedAt: z.string().nullable(),
  resolvedAt: z.string().nullable(),
  snoozedUntil: z.string().nullable(),
  snoozeReason: z.string().nullable(),
  assignee: z.object({ memberId: z.number(), nameZh: z.string(), nameEn: z.string() }).nullable(),
  escalationLevel: z.number(),
  /** The stop-loss alert that inhibits this review alert while it is active; null otherwise. */
  suppressedBy: z.number().nullable(),
  /** Concurrency token: bumps on every change. */
  version: z.number(),
});

export const alertListSchema = z.object({
  items: z.array(alertItemSchema),
  nextCursor: z.string().nullable(),
});

export const alertSummarySchema = z.object({
  /** Active alerts about me or assigned to me. */
  mine: z.number(),
  /** Active alerts in my subtree (0 for reps). */
  team: z.number(),
});

export const alertFigureSchema = z.object({
  /** target, actual, attainment, timeProgress, gap, threshold, rate, previousRate, change, days… */
  key: z.string(),
  value: z.number().nullable(),
  unit: z.enum(['fen', 'bp', 'count', 'days']),
});

export const alertSeriesPointSchema = z.object({
  period: z.string(),
  target: z.number().nullable(),
  actual: z.number(),
  attainmentBp: z.number().nullable(),
  timeProgressBp: z.number().nullable(),
});

export const contingencyPlanSchema = z.object({
  owner: z.object({ memberId: z.number(), nameZh: z.string(), nameEn: z.string() }),
  dueDate: z.string(),
  text: z.string(),
  recordedAt: z.string(),
  recordedBy: z.string().nullable(),
});

export const alertRuleSchema = z.object({
  id: z.number(),
  kind: alertRuleKindSchema,
  nameZh: z.string(),
  nameEn: z.string(),
  /** The metric the rule reads ('revenue', 'lead_to_opp_rate', 'opp_to_deal_rate', 'activities'…). */
  metric: z.string(),
  periodKind: alertPeriodKindSchema,
  /** bp for attainment / points / drops / rates; days for no_activity and plan_task_late. */
  threshold: z.number(),
  thresholdUnit: z.enum(['bp', 'days']),
  consecutivePeriods: z.number(),
  /** null: the whole company; else the subtree of this unit. */
  scopeUnitId: z.number().nullable(),
  subjects: alertSubjectsSchema,
  severity: alertSeveritySchema,
  recipients: z.array(alertRecipientSchema),
  channels: z.array(alertChannelSchema),
  /** An open alert not acknowledged in this many days escalates one manager up; null: never. */
  escalateAfterDays: z.number().nullable(),
  enabled: z.boolean(),
  /** False when the engine cannot evaluate this kind yet (plan_task_late until improvement plans exist). */
  available: z.boolean(),
  version: z.number(),
  updatedAt: z.string(),
});

export const alertRuleVersionSchema = z.object({
  version: z.number(),
  changedAt: z.string(),
  changedBy: z.string().nullable(),
  rule: alertRuleSchema.omit({ available: true, updatedAt: true, id: true, version: true }),
});

export const alertRuleDetailSchema = alertRuleSchema.extend({
  versions: z.array(alertRuleVersionSchema),
});

export const alertDetailSchema = alertItemSchema.extend({
  evidence: z.object({
    figures: z.array(alertFigureSchema),
    series: z.array(alertSeriesPointSchema),
  }),
  history: z.array(
    z.object({
      at: z.string(),
      transition: alertTransitionSchema,
      actorName: z.string().nullable(),
      note: z.string().nullable(),
    }),
  ),
  contingencyPlan: contingencyPlanSchema.nullable(),
  rule: alertRuleSchema,
  /** Markdown lines of the message in the request's locale (what the channels sent). */
  lines: z.array(z.string()),
});

export const acknowledgeBody = z.object({ note: z.string().trim().max(500).optional() });
export const snoozeBody = z.object({
  until: isoDate,
  reason: z.string().trim().min(1).max(500),
});
export const assignBody = z.object({ memberId: z.number().int().positive() });
export const contingencyPlanBody = z.object({
  ownerMemberId: z.number().int().positive(),
  dueDate: isoDate,
  text: z.string().trim().min(1).max(4000),
});

export const alertRuleBody = z.object({
  kind: alertRuleKindSchema,
  nameZh: z.string().trim().min(1).max(100),
  nameEn: z.string().trim().min(1).max(100),
  metric: z.string().trim().min(1).max(50),
  periodKind: alertPeriodKindSchema,
  threshold: z.number().int().min(0).max(1_000_000),
  consecutivePeriods: z.number().int().min(1).max(12),
  scopeUnitId: z.number().int().positive().nullable(),
  subjects: alertSubjectsSchema,
  severity: alertSeveritySchema,
  recipients: z.array(alertRecipientSchema).min(1),
  channels: z.array(alertChannelSchema),
  escalateAfterDays: z.number().int().min(1).max(90).nullable(),
  enabled: z.boolean(),
});
export const alertRuleUpdateBody = alertRuleBody.extend({
  version: z.number().int().positive(),
});

export type AlertItem = z.infer<typeof alertItemSchema>;
export type AlertDetail = z.infer<typeof alertDetailSchema>;
export type AlertRuleView = z.infer<typeof alertRuleSchema>;
export type AlertRuleInput = z.infer<typeof alertRuleBody>;
