import type { Kysely } from 'kysely';
import { withId } from './portable.ts';

/**
 * The alert engine (issue 13): admin-configurable rules with their version history, one alert
 * per (rule, subject, period) carrying its small state machine, every transition of an alert,
 * and the contingency plan a stop-loss alert asks for. The default rules are written here, so
 * every database (demo, bench, a fresh install) starts with the method's rules.
 */
const NOW = '2026-01-01T00:00:00.000Z';

interface DefaultRule {
  kind: string;
  name_zh: string;
  name_en: string;
  metric: string;
  period_kind: string;
  threshold: number;
  consecutive_periods: number;
  subjects: string;
  severity: string;
  recipients: string[];
  escalate_after_days: number | null;
  enabled: number;
}

const DEFAULT_RULES: DefaultRule[] = [
  {
    kind: 'attainment_review',
    name_zh: '连续两月达成率低于70%：建议复盘目标',
    name_en: 'Below 70% two months running: review the target',
    metric: 'revenue',
    period_kind: 'month',
    threshold: 7000,
    consecutive_periods: 2,
    subjects: 'both',
    severity: 'warning',
    recipients: ['subject', 'manager'],
    escalate_after_days: 3,
    enabled: 1,
  },
  {
    kind: 'stop_loss',
    name_zh: '连续两月达成率低于60%：止损，需应急改进计划',
    name_en: 'Below 60% two months running: stop-loss, a contingency plan is required',
    metric: 'revenue',
    period_kind: 'month',
    threshold: 6000,
    consecutive_periods: 2,
    subjects: 'both',
    severity: 'critical',
    recipients: ['subject', 'manager', 'manager_manager'],
    escalate_after_days: 2,
    enabled: 1,
  },
  {
    kind: 'behind_time',
    name_zh: '落后时间进度超过10个百分点',
    name_en: 'Behind time progress by more than 10 points',
    metric: 'revenue',
    period_kind: 'month',
    threshold: 1000,
    consecutive_periods: 1,
    subjects: 'both',
    severity: 'info',
    recipients: ['subject', 'manager'],
    escalate_after_days: null,
    enabled: 1,
  },
  {
    kind: 'conversion_drop',
    name_zh: '线索转商机率环比下降20%以上',
    name_en: 'Lead-to-opportunity rate down 20% or more',
    metric: 'lead_to_opp_rate',
    period_kind: 'month',
    threshold: 2000,
    consecutive_periods: 1,
    subjects: 'both',
    severity: 'warning',
    recipients: ['subject', 'manager'],
    escalate_after_days: 5,
    enabled: 1,
  },
  {
    kind: 'conversion_drop',
    name_zh: '商机成单率环比下降20%以上',
    name_en: 'Opportunity-to-deal rate down 20% or more',
    metric: 'opp_to_deal_rate',
    period_kind: 'month',
    threshold: 2000,
    consecutive_periods: 1,
    subjects: 'both',
    severity: 'warning',
    recipients: ['subject', 'manager'],
    escalate_after_days: 5,
    enabled: 1,
  },
  {
    kind: 'no_activity',
    name_zh: '连续5个工作日无活动记录',
    name_en: 'No activity logged for 5 working days',
    metric: 'activities',
    period_kind: 'month',
    threshold: 5,
    consecutive_periods: 1,
    subjects: 'members',
    severity: 'warning',
    recipients: ['subject', 'manager'],
    escalate_after_days: 3,
    enabled: 1,
  },
  {
    kind: 'plan_task_late',
    name_zh: '改进计划任务连续3天落后：需要帮扶',
    name_en: 'Improvement-plan task behind for 3 days: assistance',
    metric: 'plan_tasks',
    period_kind: 'week',
    threshold: 3,
    consecutive_periods: 1,
    subjects: 'members',
    severity: 'warning',
    recipients: ['subject', 'manager'],
    escalate_after_days: 3,
    enabled: 0,
  },
  {
    kind: 'forecast_below_base',
    name_zh: '年末预测低于保底目标',
    name_en: 'Year-end forecast below the base tier',
    metric: 'revenue',
    period_kind: 'quarter',
    threshold: 8000,
    consecutive_periods: 1,
    subjects: 'units',
    severity: 'warning',
    recipients: ['manager', 'manager_manager'],
    escalate_after_days: null,
    enabled: 0,
  },
  {
    kind: 'collection_rate',
    name_zh: '回款率低于目标',
    name_en: 'Collection rate below its target',
    metric: 'collection_rate',
    period_kind: 'month',
    threshold: 0,
    consecutive_periods: 1,
    subjects: 'units',
    severity: 'warning',
    recipients: ['manager'],
    escalate_after_days: null,
    enabled: 0,
  },
];

export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('alert_rules'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('metric', 'text', (c) => c.notNull())
    .addColumn('period_kind', 'text', (c) => c.notNull())
    .addColumn('threshold', 'integer', (c) => c.notNull())
    .addColumn('consecutive_periods', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('scope_unit_id', 'integer', (c) => c.references('org_units.id').onDelete('set null'))
    .addColumn('subjects', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    /** JSON arrays. */
    .addColumn('recipients', 'text', (c) => c.notNull())
    .addColumn('channels', 'text', (c) => c.notNull())
    .addColumn('escalate_after_days', 'integer')
    .addColumn('enabled', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('alert_rule_versions'))
    .addColumn('rule_id', 'integer', (c) =>
      c.notNull().references('alert_rules.id').onDelete('cascade'),
    )
    .addColumn('version', 'integer', (c) => c.notNull())
    /** JSON: the rule as saved at this version. */
    .addColumn('snapshot', 'text', (c) => c.notNull())
    .addColumn('changed_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('changed_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('alert_rule_versions_key', ['rule_id', 'version'])
    .execute();

  await withId(db, db.schema.createTable('alerts'))
    .addColumn('rule_id', 'integer', (c) =>
      c.notNull().references('alert_rules.id').onDelete('cascade'),
    )
    .addColumn('rule_version', 'integer', (c) => c.notNull())
    .addColumn('subject_type', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('state', 'text', (c) => c.notNull())
    .addColumn('severity', 'text', (c) => c.notNull())
    /** The routing unit (the unit, or the member's unit at the period's end) and its path for scope. */
    .addColumn('unit_id', 'integer', (c) => c.notNull())
    .addColumn('unit_path', 'text', (c) => c.notNull())
    .addColumn('opened_at', 'text', (c) => c.notNull())
    .addColumn('acknowledged_at', 'text')
    .addColumn('resolved_at', 'text')
    .addColumn('snoozed_until', 'text')
    .addColumn('snooze_reason', 'text')
    .addColumn('assignee_member_id', 'integer', (c) =>
      c.references('members.id').onDelete('set null'),
    )
    .addColumn('escalation_level', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('escalated_at', 'text')
    /** Whether the last evaluation fired, and its numbers (JSON evidence). */
    .addColumn('fires', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('evidence', 'text', (c) => c.notNull())
    .addColumn('suppressed_by', 'integer')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('alerts_key', ['rule_id', 'subject_type', 'subject_id', 'period'])
    .execute();
  await db.schema
    .createIndex('alerts_state')
    .on('alerts')
    .columns(['state', 'unit_path'])
    .execute();
  await db.schema
    .createIndex('alerts_subject')
    .on('alerts')
    .columns(['subject_type', 'subject_id', 'state'])
    .execute();

  await withId(db, db.schema.createTable('alert_events'))
    .addColumn('alert_id', 'integer', (c) =>
      c.notNull().references('alerts.id').onDelete('cascade'),
    )
    .addColumn('at', 'text', (c) => c.notNull())
    .addColumn('transition', 'text', (c) => c.notNull())
    .addColumn('actor_user_id', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('alert_events_alert')
    .on('alert_events')
    .columns(['alert_id', 'id'])
    .execute();

  await db.schema
    .createTable('alert_contingency_plans')
    .addColumn('alert_id', 'integer', (c) =>
      c.primaryKey().references('alerts.id').onDelete('cascade'),
    )
    .addColumn('owner_member_id', 'integer', (c) => c.notNull().references('members.id'))
    .addColumn('due_date', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('recorded_by', 'integer', (c) => c.references('users.id').onDelete('set null'))
    .addColumn('recorded_at', 'text', (c) => c.notNull())
    .execute();

  for (const r of DEFAULT_RULES) {
    const values = {
      ...r,
      scope_unit_id: null,
      recipients: JSON.stringify(r.recipients),
      channels: JSON.stringify(['inbox', 'dingtalk', 'wecom']),
    };
    const row = await db
      .insertInto('alert_rules')
      .values({ ...values, version: 1, updated_by: null, updated_at: NOW })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('alert_rule_versions')
      .values({
        rule_id: row.id,
        version: 1,
        snapshot: JSON.stringify(values),
        changed_by: null,
        changed_at: NOW,
      })
      .execute();
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'alert_contingency_plans',
    'alert_events',
    'alerts',
    'alert_rule_versions',
    'alert_rules',
  ])
    await db.schema.dropTable(t).execute();
}
