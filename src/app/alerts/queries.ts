import type { Actor, Locale } from '../actor.ts';
import { loadRules, ruleFromRow, type StoredRule } from '../../db/alerts.ts';
import type { Db } from '../../db/connect.ts';
import type {
  AlertRuleKind,
  AlertSeverity,
  AlertState,
  AlertTransition,
} from '../../domain/alerts/alert-event.ts';
import type { AlertEvidence } from '../../domain/alerts/evaluate.ts';
import { renderAlert } from '../../domain/alerts/render.ts';
import { RULE_KIND_INFO } from '../../domain/alerts/rules.ts';
import { AppError } from '../../domain/errors.ts';
import { aboutMember, alertVisible, loadVisibleAlert, type AlertRow } from './access.ts';
import { alertLink } from './announce.ts';
import { ACTIVE_STATES } from './org-context.ts';

/** The inbox's read model: alerts in the actor's scope with names and words in their locale. */
export interface AlertItem {
  id: number;
  ruleId: number;
  ruleKind: AlertRuleKind;
  severity: AlertSeverity;
  state: AlertState;
  period: string;
  subject: {
    type: 'member' | 'unit';
    id: number;
    nameZh: string;
    nameEn: string;
    unitId: number;
    unitNameZh: string;
    unitNameEn: string;
  };
  title: string;
  summary: string;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  snoozedUntil: string | null;
  snoozeReason: string | null;
  assignee: { memberId: number; nameZh: string; nameEn: string } | null;
  escalationLevel: number;
  suppressedBy: number | null;
  version: number;
}

export interface AlertListQuery {
  view: 'mine' | 'team' | 'all';
  state: 'active' | AlertState;
  severity?: AlertSeverity | undefined;
  ruleKind?: AlertRuleKind | undefined;
  unitId?: number | undefined;
  limit: number;
  cursor?: string | undefined;
}

export function ruleView(r: StoredRule) {
  return {
    id: r.id,
    kind: r.kind,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    metric: r.metric,
    periodKind: r.periodKind,
    threshold: r.threshold,
    thresholdUnit: RULE_KIND_INFO[r.kind].thresholdUnit,
    consecutivePeriods: r.consecutivePeriods,
    scopeUnitId: r.scopeUnitId,
    subjects: r.subjects,
    severity: r.severity,
    recipients: r.recipients,
    channels: r.channels as ('inbox' | 'dingtalk' | 'wecom' | 'webhook')[],
    escalateAfterDays: r.escalateAfterDays,
    enabled: r.enabled,
    available: RULE_KIND_INFO[r.kind].available,
    version: r.version,
    updatedAt: r.updatedAt,
  };
}
export type AlertRuleView = ReturnType<typeof ruleView>;

export async function listAlerts(
  db: Db,
  actor: Actor,
  q: AlertListQuery,
): Promise<{ items: AlertItem[]; nextCursor: string | null }> {
  let query = db
    .selectFrom('alerts')
    .selectAll()
    .where((eb) => alertVisible(eb, actor.scope));
  if (q.view === 'mine') {
    const me = actor.memberId;
    if (me === null) return { items: [], nextCursor: null };
    query = query.where((eb) => eb.or(aboutMember(eb, me)));
  } else if (q.view === 'team' && !actor.scope.all) {
    const paths = actor.scope.unitPaths;
    if (paths.length === 0) return { items: [], nextCursor: null };
    query = query.where((eb) => eb.or(paths.map((p) => eb('alerts.unit_path', 'like', `${p}%`))));
  }
  query =
    q.state === 'active'
      ? query.where('state', 'in', [...ACTIVE_STATES])
      : query.where('state', '=', q.state);
  if (q.severity) query = query.where('severity', '=', q.severity);
  if (q.ruleKind) {
    const kind = q.ruleKind;
    query = query.where('rule_id', 'in', (eb) =>
      eb.selectFrom('alert_rules').select('id').where('kind', '=', kind),
    );
  }
  if (q.unitId !== undefined) {
    const unit = await db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', q.unitId)
      .executeTakeFirst();
    if (!unit) return { items: [], nextCursor: null };
    query = query.where('unit_path', 'like', `${unit.path}%`);
  }
  if (q.cursor !== undefined) {
    const after = Number(q.cursor);
    if (!Number.isSafeInteger(after) || after <= 0)
      throw new AppError('VALIDATION', { field: 'cursor', reason: q.cursor });
    query = query.where('id', '<', after);
  }
  const rows = await query
    .orderBy('id', 'desc')
    .limit(q.limit + 1)
    .execute();
  const page = rows.slice(0, q.limit);
  const items = await toItems(db, page, actor.locale);
  return {
    items,
    nextCursor: rows.length > q.limit ? String(page.at(-1)?.id ?? '') : null,
  };
}

/** Active, non-suppressed alerts: about me (or assigned to me), and in my subtrees. */
export async function alertSummary(db: Db, actor: Actor): Promise<{ mine: number; team: number }> {
  const base = () =>
    db
      .selectFrom('alerts')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('state', 'in', [...ACTIVE_STATES])
      .where('suppressed_by', 'is', null)
      .where((eb) => alertVisible(eb, actor.scope));
  const me = actor.memberId;
  const mine =
    me === null
      ? 0
      : Number(
          (
            await base()
              .where((eb) => eb.or(aboutMember(eb, me)))
              .executeTakeFirst()
          )?.n ?? 0,
        );
  let team = 0;
  if (actor.scope.all) team = Number((await base().executeTakeFirst())?.n ?? 0);
  else if (actor.scope.unitPaths.length > 0) {
    const paths = actor.scope.unitPaths;
    team = Number(
      (
        await base()
          .where((eb) => eb.or(paths.map((p) => eb('alerts.unit_path', 'like', `${p}%`))))
          .executeTakeFirst()
      )?.n ?? 0,
    );
  }
  return { mine, team };
}

export async function toItems(
  db: Db,
  rows: readonly AlertRow[],
  locale: Locale,
): Promise<AlertItem[]> {
  if (rows.length === 0) return [];
  const memberIds = new Set<number>();
  const unitIds = new Set<number>();
  for (const r of rows) {
    (r.subject_type === 'member' ? memberIds : unitIds).add(r.subject_id);
    unitIds.add(r.unit_id);
    if (r.assignee_member_id !== null) memberIds.add(r.assignee_member_id);
  }
  const ruleIds = [...new Set(rows.map((r) => r.rule_id))];
  const [members, units, rules] = await Promise.all([
    memberIds.size === 0
      ? []
      : db
          .selectFrom('members')
          .select(['id', 'name_zh', 'name_en'])
          .where('id', 'in', [...memberIds])
          .execute(),
    db
      .selectFrom('org_units')
      .select(['id', 'name_zh', 'name_en'])
      .where('id', 'in', [...unitIds])
      .execute(),
    db.selectFrom('alert_rules').selectAll().where('id', 'in', ruleIds).execute(),
  ]);
  const m = new Map(members.map((x) => [x.id, x]));
  const u = new Map(units.map((x) => [x.id, x]));
  const rl = new Map(rules.map((x) => [x.id, ruleFromRow(x)]));
  return rows.map((r) => {
    const rule = rl.get(r.rule_id);
    const named = r.subject_type === 'member' ? m.get(r.subject_id) : u.get(r.subject_id);
    const unit = u.get(r.unit_id);
    const assignee = r.assignee_member_id === null ? undefined : m.get(r.assignee_member_id);
    const subjectName = {
      nameZh: named?.name_zh ?? `#${r.subject_id}`,
      nameEn: named?.name_en ?? `#${r.subject_id}`,
    };
    const text = renderAlert(
      {
        kind: rule?.kind ?? 'attainment_review',
        metric: rule?.metric ?? '',
        period: r.period,
        subjectName: { 'zh-CN': subjectName.nameZh, en: subjectName.nameEn },
        evidence: JSON.parse(r.evidence) as AlertEvidence,
        transition: null,
        link: alertLink(r.id),
      },
      locale,
    );
    return {
      id: r.id,
      ruleId: r.rule_id,
      ruleKind: rule?.kind ?? 'attainment_review',
      severity: r.severity as AlertSeverity,
      state: r.state as AlertState,
      period: r.period,
      subject: {
        type: r.subject_type,
        id: r.subject_id,
        ...subjectName,
        unitId: r.unit_id,
        unitNameZh: unit?.name_zh ?? '',
        unitNameEn: unit?.name_en ?? '',
      },
      title: text.title,
      summary: text.summary,
      openedAt: r.opened_at,
      acknowledgedAt: r.acknowledged_at,
      resolvedAt: r.resolved_at,
      snoozedUntil: r.snoozed_until,
      snoozeReason: r.snooze_reason,
      assignee: assignee
        ? { memberId: assignee.id, nameZh: assignee.name_zh, nameEn: assignee.name_en }
        : null,
      escalationLevel: Number(r.escalation_level),
      suppressedBy: r.suppressed_by,
      version: Number(r.version),
    };
  });
}

export async function readAlertItem(db: Db, actor: Actor, id: number): Promise<AlertItem> {
  const row = await loadVisibleAlert(db, actor, id);
  const [item] = await toItems(db, [row], actor.locale);
  if (!item) throw new AppError('NOT_FOUND', { entity: 'alert' });
  return item;
}

export async function readAlert(db: Db, actor: Actor, id: number) {
  const row = await loadVisibleAlert(db, actor, id);
  const [item] = await toItems(db, [row], actor.locale);
  if (!item) throw new AppError('NOT_FOUND', { entity: 'alert' });
  const [history, plan, ruleRow] = await Promise.all([
    db
      .selectFrom('alert_events as e')
      .leftJoin('users as u', 'u.id', 'e.actor_user_id')
      .select(['e.at', 'e.transition', 'e.note', 'u.display_name'])
      .where('e.alert_id', '=', id)
      .orderBy('e.id')
      .execute(),
    db
      .selectFrom('alert_contingency_plans as p')
      .innerJoin('members as m', 'm.id', 'p.owner_member_id')
      .leftJoin('users as u', 'u.id', 'p.recorded_by')
      .select([
        'p.owner_member_id',
        'm.name_zh',
        'm.name_en',
        'p.due_date',
        'p.text',
        'p.recorded_at',
        'u.display_name',
      ])
      .where('p.alert_id', '=', id)
      .executeTakeFirst(),
    db
      .selectFrom('alert_rules')
      .selectAll()
      .where('id', '=', row.rule_id)
      .executeTakeFirstOrThrow(),
  ]);
  const rule = ruleFromRow(ruleRow);
  const evidence = JSON.parse(row.evidence) as AlertEvidence;
  const text = renderAlert(
    {
      kind: rule.kind,
      metric: rule.metric,
      period: row.period,
      subjectName: { 'zh-CN': item.subject.nameZh, en: item.subject.nameEn },
      evidence,
      transition: null,
      link: alertLink(row.id),
    },
    actor.locale,
  );
  return {
    ...item,
    evidence,
    history: history.map((h) => ({
      at: h.at,
      transition: h.transition as AlertTransition,
      actorName: h.display_name ?? null,
      note: h.note,
    })),
    contingencyPlan: plan
      ? {
          owner: { memberId: plan.owner_member_id, nameZh: plan.name_zh, nameEn: plan.name_en },
          dueDate: plan.due_date,
          text: plan.text,
          recordedAt: plan.recorded_at,
          recordedBy: plan.display_name ?? null,
        }
      : null,
    rule: ruleView(rule),
    lines: text.lines,
  };
}

export async function listAlertRules(db: Db, actor: Actor): Promise<AlertRuleView[]> {
  if (actor.role !== 'admin') throw new AppError('FORBIDDEN');
  return (await loadRules(db)).map(ruleView);
}

export async function readAlertRule(db: Db, actor: Actor, id: number) {
  if (actor.role !== 'admin') throw new AppError('FORBIDDEN');
  const row = await db
    .selectFrom('alert_rules')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'alert rule' });
  const versions = await db
    .selectFrom('alert_rule_versions as v')
    .leftJoin('users as u', 'u.id', 'v.changed_by')
    .select(['v.version', 'v.snapshot', 'v.changed_at', 'u.display_name'])
    .where('v.rule_id', '=', id)
    .orderBy('v.version', 'desc')
    .execute();
  const view = ruleView(ruleFromRow(row));
  return {
    ...view,
    versions: versions.map((v) => {
      const s = ruleFromRow({
        ...row,
        ...(JSON.parse(v.snapshot) as Partial<typeof row>),
        version: v.version,
      });
      const { id: _id, available: _a, updatedAt: _u, version: _v, ...rule } = ruleView(s);
      return {
        version: v.version,
        changedAt: v.changed_at,
        changedBy: v.display_name ?? null,
        rule,
      };
    }),
  };
}

/** The most pressing alerts a weekly sheet lists (critical first, then the newest). */
const SHEET_ALERTS = 20;
const SEVERITY_ORDER: Record<string, number> = { critical: 0, warning: 1, info: 2 };

/**
 * The active, non-suppressed alerts about a unit's subtree, as the weekly sheet lists them: one
 * line each in both languages with its link. The caller has already checked the unit is in the
 * actor's scope; the alerts are narrowed to that scope again all the same.
 */
export async function openAlertLines(
  db: Db,
  actor: Actor,
  unitPath: string,
): Promise<{ severity: AlertSeverity; textZh: string; textEn: string; link: string | null }[]> {
  const rows = await db
    .selectFrom('alerts')
    .selectAll()
    .where('state', 'in', [...ACTIVE_STATES])
    .where('suppressed_by', 'is', null)
    .where('unit_path', 'like', `${unitPath}%`)
    .where((eb) => alertVisible(eb, actor.scope))
    .execute();
  const top = rows
    .sort(
      (a, b) =>
        (SEVERITY_ORDER[a.severity] ?? 3) - (SEVERITY_ORDER[b.severity] ?? 3) || b.id - a.id,
    )
    .slice(0, SHEET_ALERTS);
  const [zh, en] = await Promise.all([toItems(db, top, 'zh-CN'), toItems(db, top, 'en')]);
  return zh.map((z, i) => ({
    severity: z.severity,
    textZh: `${z.subject.nameZh}：${z.summary}`,
    textEn: `${en[i]!.subject.nameEn}: ${en[i]!.summary}`,
    link: alertLink(z.id),
  }));
}
