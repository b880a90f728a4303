import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { chinaToday } from '../clock.ts';
import { loadRules, type StoredRule } from '../../db/alerts.ts';
import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { emitEvents } from '../../db/outbox.ts';
import type { AlertsTable } from '../../db/schema.ts';
import { getSetting } from '../../db/settings.ts';
import type {
  AlertChangedEvent,
  AlertRuleKind,
  AlertTransition,
} from '../../domain/alerts/alert-event.ts';
import { evaluateRule, suppressions, type AlertEvidence } from '../../domain/alerts/evaluate.ts';
import { maxEscalation } from '../../domain/alerts/recipients.ts';
import { RULE_KIND_INFO } from '../../domain/alerts/rules.ts';
import {
  applyVerdict,
  escalate,
  isActive,
  type AlertStatus,
  type Step,
} from '../../domain/alerts/state-machine.ts';
import { AppError } from '../../domain/errors.ts';
import { isValidDate, periodRange } from '../../domain/periods.ts';
import type { Insertable, Selectable } from 'kysely';
import { alertChangedEvent } from './announce.ts';
import { loadAlertNumbers, ruleWindow, subjectNumbers } from './alert-numbers.ts';
import {
  ACTIVE_STATES,
  chainOf,
  loadOrgContext,
  routingUnit,
  type OrgContext,
  type SubjectType,
} from './org-context.ts';

export interface EvaluateAlertsInput {
  /** The day to evaluate as of (default: today in China); a past day backfills. */
  asOf?: string;
  /**
   * Only these nodes (an import's): the units and their ancestors, and these members; and only
   * the rule kinds whose inputs the import changed (`kinds`, default all).
   */
  touched?: {
    unitIds: readonly number[];
    memberIds: readonly number[];
    kinds?: readonly AlertRuleKind[];
  };
  /** Escalate open alerts nobody acknowledged (the daily run). */
  escalate?: boolean;
  /** Filled with milliseconds per stage (reads, verdicts, writes) for the bench. */
  stageMs?: Map<string, number>;
}

export interface EvaluateAlertsResult {
  asOf: string;
  rules: number;
  verdicts: number;
  firing: number;
  transitions: Partial<Record<AlertTransition, number>>;
}

type AlertRow = Selectable<AlertsTable>;

interface Pending {
  rule: StoredRule;
  subjectType: SubjectType;
  subjectId: number;
  unitId: number;
  period: string;
  fires: boolean;
  suppressedByRule: number | null;
  evidence: AlertEvidence;
}

const alertKey = (ruleId: number, type: string, id: number, period: string) =>
  `${ruleId}|${type}|${id}|${period}`;

function statusOf(row: AlertRow): AlertStatus {
  return {
    state: row.state as AlertStatus['state'],
    snoozedUntil: row.snoozed_until,
    escalationClockFrom: chinaToday(new Date(row.escalated_at ?? row.opened_at)),
    escalationLevel: Number(row.escalation_level),
  };
}

/**
 * Evaluates every enabled rule for the whole company (or the nodes an import touched) as of a
 * day, and moves each (rule, subject, period) alert through its state machine in one
 * transaction: each change gets its history row and its `alert.changed` event; an alert that
 * keeps firing is left alone. The daily run also escalates open alerts nobody acknowledged.
 * Admin only (the CLI, the jobs and the demo act as the system actor).
 */
export async function evaluateAlerts(
  db: Db,
  actor: Actor,
  input: EvaluateAlertsInput,
  now: Date,
): Promise<EvaluateAlertsResult> {
  assertRole(actor, ['admin']);
  let mark = performance.now();
  const lap = (stage: string) => {
    const t = performance.now();
    input.stageMs?.set(stage, (input.stageMs.get(stage) ?? 0) + t - mark);
    mark = t;
  };
  const realToday = chinaToday(now);
  const today = input.asOf ?? realToday;
  if (!isValidDate(today)) throw new AppError('DATE_INVALID', { value: today });
  const fsm = await getSetting(db, 'fiscalYearStartMonth');
  const kinds = input.touched?.kinds;
  const rules = (await loadRules(db)).filter(
    (r) => r.enabled && RULE_KIND_INFO[r.kind].available && (!kinds || kinds.includes(r.kind)),
  );
  const wide = input.touched && input.touched.memberIds.length > 4_000;
  const ctx = await loadOrgContext(
    db,
    input.touched && !wide ? input.touched.memberIds : undefined,
  );
  lap('rules + org');
  const only = touchedOwners(ctx, input.touched);
  const numbers = await loadAlertNumbers(db, ctx, rules, today, fsm, input.stageMs, only);
  lap('numbers');
  const inScope = scopeFilter(ctx, input.touched);

  // Verdicts: pure, per rule and subject with data.
  const pending: Pending[] = [];
  for (const rule of rules) {
    const scopePath =
      rule.scopeUnitId === null ? null : (ctx.units.get(rule.scopeUnitId)?.path ?? null);
    if (rule.scopeUnitId !== null && scopePath === null) continue;
    const { period } = ruleWindow(rule, today, fsm);
    const range = periodRange(period, fsm);
    const routeDay = range.end < today ? range.end : today;
    for (const s of numbers.subjects.get(rule.id) ?? []) {
      const [type, idText] = s.split('|') as [SubjectType, string];
      const id = Number(idText);
      if (rule.subjects === 'members' && type !== 'member') continue;
      if (rule.subjects === 'units' && type !== 'unit') continue;
      if (type === 'member') {
        const m = ctx.members.get(id);
        if (!m || (m.leaveDate !== null && m.leaveDate <= range.start)) continue;
      }
      const unitId = routingUnit(ctx, type, id, routeDay);
      if (unitId === null) continue;
      const path = ctx.units.get(unitId)?.path ?? '';
      if (scopePath !== null && !path.startsWith(scopePath)) continue;
      if (!inScope(type, id, path)) continue;
      const verdict = evaluateRule(rule, subjectNumbers(numbers, rule, type, id));
      if (!verdict) continue;
      pending.push({
        rule,
        subjectType: type,
        subjectId: id,
        unitId,
        period,
        fires: verdict.fires,
        suppressedByRule: null,
        evidence: verdict.evidence,
      });
    }
  }
  const sup = suppressions(
    pending.map((p) => ({
      ruleId: p.rule.id,
      kind: p.rule.kind,
      periodKind: p.rule.periodKind,
      subjectKey: `${p.subjectType}|${p.subjectId}|${p.period}`,
      fires: p.fires,
    })),
  );
  pending.forEach((p, i) => (p.suppressedByRule = sup[i] ?? null));
  lap('verdicts');

  const transitions: Partial<Record<AlertTransition, number>> = {};
  await db.transaction().execute(async (trx) => {
    const at = now.toISOString();
    const ruleIds = rules.map((r) => r.id);
    const periods = [...new Set(pending.map((p) => p.period))];
    const existing = new Map<string, AlertRow>();
    let existingQ = trx
      .selectFrom('alerts')
      .selectAll()
      .where('rule_id', 'in', ruleIds.length > 0 ? ruleIds : [0])
      .where('period', 'in', periods.length > 0 ? periods : ['']);
    if (only)
      existingQ = existingQ.where((eb) =>
        eb.or([
          eb.and([
            eb('subject_type', '=', 'member'),
            eb('subject_id', 'in', [0, ...only.memberIds]),
          ]),
          eb.and([eb('subject_type', '=', 'unit'), eb('subject_id', 'in', [0, ...only.unitIds])]),
        ]),
      );
    if (ruleIds.length > 0 && periods.length > 0)
      for (const row of await existingQ.execute())
        existing.set(alertKey(row.rule_id, row.subject_type, row.subject_id, row.period), row);

    lap('read alerts');
    const changes: { row: AlertRow | null; p: Pending; step: Step }[] = [];
    const closedPeriods = new Map<string, boolean>();
    for (const p of pending) {
      const row = existing.get(alertKey(p.rule.id, p.subjectType, p.subjectId, p.period)) ?? null;
      let closed = closedPeriods.get(p.period);
      if (closed === undefined)
        closedPeriods.set(p.period, (closed = periodRange(p.period, fsm).end < today));
      const step = applyVerdict(
        row ? statusOf(row) : null,
        { fires: p.fires, suppressed: p.suppressedByRule !== null, periodClosed: closed },
        today,
      );
      changes.push({ row, p, step });
    }
    // An active alert the evaluation no longer produces a verdict for (its target was removed, its
    // subject left the rule's scope) is resolved: the condition is no longer there.
    const seen = new Set(changes.map((c) => c.row?.id).filter((x) => x !== undefined));
    // Only alerts about the period each rule evaluated: a backfill as of an earlier day leaves
    // the alerts of later periods alone.
    const orphans = [...existing.values()].filter(
      (r) =>
        !seen.has(r.id) &&
        r.period === numbers.windows.get(r.rule_id)?.period &&
        isActive(r.state as AlertStatus['state']) &&
        touchedRow(ctx, inScope, r),
    );

    // Inserts first, so the new alerts have ids for their events and for suppression.
    const inserts = changes.filter((c) => c.row === null && c.step.next !== null);
    const ids = new Map<string, number>();
    for (let i = 0; i < inserts.length; i += 200) {
      const chunk = inserts.slice(i, i + 200);
      const rows = await trx
        .insertInto('alerts')
        .values(
          chunk.map(({ p }): Insertable<AlertsTable> => ({
            rule_id: p.rule.id,
            rule_version: p.rule.version,
            subject_type: p.subjectType,
            subject_id: p.subjectId,
            period: p.period,
            state: 'open',
            severity: p.rule.severity,
            unit_id: p.unitId,
            unit_path: ctx.units.get(p.unitId)?.path ?? '/',
            opened_at: at,
            fires: 1,
            evidence: JSON.stringify(p.evidence),
            version: 1,
            updated_at: at,
          })),
        )
        .returning(['id', 'rule_id', 'subject_type', 'subject_id', 'period'])
        .execute();
      for (const r of rows)
        ids.set(alertKey(r.rule_id, r.subject_type, r.subject_id, r.period), r.id);
    }
    for (const r of existing.values())
      ids.set(alertKey(r.rule_id, r.subject_type, r.subject_id, r.period), r.id);

    const history: {
      alert_id: number;
      at: string;
      transition: string;
      actor_user_id: number | null;
      note: string | null;
    }[] = [];
    const events: AlertChangedEvent[] = [];
    const announce = (
      id: number,
      p: {
        rule: StoredRule;
        period: string;
        subjectType: SubjectType;
        subjectId: number;
        unitId: number;
        evidence: AlertEvidence;
      },
      state: AlertStatus['state'],
      level: number,
      assignee: number | null,
      transition: AlertTransition,
      note: string | null,
    ) => {
      transitions[transition] = (transitions[transition] ?? 0) + 1;
      history.push({ alert_id: id, at, transition, actor_user_id: auditUserId(actor), note });
      events.push(
        alertChangedEvent(
          {
            id,
            rule: p.rule,
            state,
            period: p.period,
            subjectType: p.subjectType,
            subjectId: p.subjectId,
            unitId: p.unitId,
            evidence: p.evidence,
            escalationLevel: level,
            assigneeMemberId: assignee,
          },
          transition,
          ctx,
          now,
        ),
      );
    };

    for (const { row, p, step } of changes) {
      const id = ids.get(alertKey(p.rule.id, p.subjectType, p.subjectId, p.period));
      if (id === undefined) continue;
      const suppressedBy =
        p.suppressedByRule === null
          ? null
          : (ids.get(alertKey(p.suppressedByRule, p.subjectType, p.subjectId, p.period)) ?? null);
      const evidence = JSON.stringify(p.evidence);
      if (row === null) {
        if (step.transition) announce(id, p, 'open', 0, null, step.transition, null);
        continue;
      }
      const next = step.next ?? statusOf(row);
      const changed = step.transition !== null;
      const dataChanged =
        row.evidence !== evidence ||
        Number(row.fires) !== (p.fires ? 1 : 0) ||
        row.suppressed_by !== suppressedBy;
      if (!changed && !dataChanged) continue;
      const reopened = changed && next.state === 'open' && row.state !== 'open';
      await trx
        .updateTable('alerts')
        .set({
          state: next.state,
          snoozed_until: next.snoozedUntil,
          snooze_reason: next.state === 'snoozed' ? row.snooze_reason : null,
          fires: p.fires ? 1 : 0,
          evidence,
          suppressed_by: suppressedBy,
          rule_version: p.rule.version,
          ...(reopened
            ? {
                opened_at: at,
                acknowledged_at: null,
                resolved_at: null,
                escalation_level: 0,
                escalated_at: null,
              }
            : {}),
          ...(changed && next.state === 'resolved' ? { resolved_at: at } : {}),
          version: Number(row.version) + 1,
          updated_at: at,
        })
        .where('id', '=', row.id)
        .execute();
      if (step.transition)
        announce(
          row.id,
          p,
          next.state,
          reopened ? 0 : Number(row.escalation_level),
          row.assignee_member_id,
          step.transition,
          step.transition === 'verdict_changed' ? 'data changed for a closed period' : null,
        );
    }

    const rulesById = new Map(rules.map((r) => [r.id, r]));
    const fromRow = (r: AlertRow) => ({
      rule: rulesById.get(r.rule_id) as StoredRule,
      period: r.period,
      subjectType: r.subject_type,
      subjectId: r.subject_id,
      unitId: r.unit_id,
      evidence: JSON.parse(r.evidence) as AlertEvidence,
    });
    /** Resolves an alert the evaluation no longer upholds, and announces it with `note`. */
    const resolve = async (r: AlertRow, note: string, clearFires: boolean) => {
      await trx
        .updateTable('alerts')
        .set({
          state: 'resolved',
          snoozed_until: null,
          ...(clearFires ? { fires: 0 } : {}),
          resolved_at: at,
          version: Number(r.version) + 1,
          updated_at: at,
        })
        .where('id', '=', r.id)
        .execute();
      announce(
        r.id,
        fromRow(r),
        'resolved',
        Number(r.escalation_level),
        r.assignee_member_id,
        'resolved',
        note,
      );
    };
    for (const r of orphans) {
      if (rulesById.has(r.rule_id)) await resolve(r, 'no longer applies', true);
    }

    lap('write changes');
    if (input.escalate) {
      // Periods in progress end: an alert about a period before the current one that only the
      // current period can decide (behind_time, no_activity) resolves with its period.
      const current = new Map(rules.map((r) => [r.id, ruleWindow(r, today, fsm).period]));
      const open = await trx
        .selectFrom('alerts')
        .selectAll()
        .where('state', 'in', [...ACTIVE_STATES])
        .where('rule_id', 'in', ruleIds.length > 0 ? ruleIds : [0])
        .execute();
      for (const r of open) {
        const rule = rulesById.get(r.rule_id);
        if (!rule) continue;
        const inProgressKind = rule.kind === 'behind_time' || rule.kind === 'no_activity';
        if (
          inProgressKind &&
          r.period < (current.get(rule.id) ?? '') &&
          r.period.length === (current.get(rule.id) ?? '').length
        ) {
          await resolve(r, 'period ended', false);
          continue;
        }
        if (r.state !== 'open' || r.suppressed_by !== null) continue;
        const chain = chainOf(ctx, r.subject_type, r.subject_id, r.unit_id);
        const step = escalate(
          statusOf(r),
          rule.escalateAfterDays,
          realToday,
          maxEscalation(rule.recipients, chain),
        );
        if (!step.transition || !step.next) continue;
        await trx
          .updateTable('alerts')
          .set({
            escalation_level: step.next.escalationLevel,
            escalated_at: at,
            version: Number(r.version) + 1,
            updated_at: at,
          })
          .where('id', '=', r.id)
          .execute();
        announce(
          r.id,
          fromRow(r),
          'open',
          step.next.escalationLevel,
          r.assignee_member_id,
          'escalated',
          null,
        );
      }
    }

    lap('escalation');
    for (let i = 0; i < history.length; i += 500)
      await trx
        .insertInto('alert_events')
        .values(history.slice(i, i + 500))
        .execute();
    await emitEvents(trx, 'alert.changed', events, now);
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'evaluate',
      entity: 'alert',
      after: {
        asOf: today,
        touched: input.touched
          ? { units: input.touched.unitIds.length, members: input.touched.memberIds.length }
          : null,
        verdicts: pending.length,
        transitions,
      },
    });
  });
  lap('history + events + commit');
  return {
    asOf: today,
    rules: rules.length,
    verdicts: pending.length,
    firing: pending.filter((p) => p.fires && p.suppressedByRule === null).length,
    transitions,
  };
}

/** The owners an import touched, to read only theirs; null (read everyone) for a very wide import. */
function touchedOwners(
  ctx: OrgContext,
  touched: EvaluateAlertsInput['touched'],
): { memberIds: number[]; unitIds: number[] } | undefined {
  if (!touched) return undefined;
  const units = new Set<number>();
  for (const id of touched.unitIds) {
    const path = ctx.units.get(id)?.path;
    if (path) for (const part of path.split('/')) if (part) units.add(Number(part));
  }
  // Parameter lists stay well inside SQLite's and PostgreSQL's limits; wider imports read everyone.
  if (touched.memberIds.length + units.size > 5_000) return undefined;
  return { memberIds: [...touched.memberIds], unitIds: [...units] };
}

type InScope = (type: SubjectType, id: number, path: string) => boolean;

/** With `touched`: the touched members, and units on the path of a touched unit (it or an ancestor). */
function scopeFilter(ctx: OrgContext, touched: EvaluateAlertsInput['touched']): InScope {
  if (!touched) return () => true;
  const members = new Set(touched.memberIds);
  const units = new Set<number>();
  for (const id of touched.unitIds) {
    const path = ctx.units.get(id)?.path;
    if (path) for (const part of path.split('/')) if (part) units.add(Number(part));
  }
  return (type, id) => (type === 'member' ? members.has(id) : units.has(id));
}

function touchedRow(ctx: OrgContext, inScope: InScope, r: AlertRow): boolean {
  return inScope(r.subject_type, r.subject_id, ctx.units.get(r.unit_id)?.path ?? r.unit_path);
}
