import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import type { AlertRuleKind, AlertSeverity } from '../domain/alerts/alert-event.ts';
import type {
  AlertPeriodKind,
  AlertRecipient,
  AlertRule,
  AlertSubjects,
} from '../domain/alerts/rules.ts';
import type { AlertRulesTable, Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * The alert tables (migration 0016) and the grouped reads an evaluation needs: every figure for
 * every subject in a handful of queries (targets, the sales rollups, funnel counts, the last
 * activity), never one query per subject.
 */
export type AlertRuleRow = Selectable<AlertRulesTable>;

export interface StoredRule extends AlertRule {
  nameZh: string;
  nameEn: string;
  channels: string[];
  updatedAt: string;
}

export function ruleFromRow(r: AlertRuleRow): StoredRule {
  return {
    id: r.id,
    kind: r.kind as AlertRuleKind,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    metric: r.metric,
    periodKind: r.period_kind as AlertPeriodKind,
    threshold: Number(r.threshold),
    consecutivePeriods: Number(r.consecutive_periods),
    scopeUnitId: r.scope_unit_id,
    subjects: r.subjects as AlertSubjects,
    severity: r.severity as AlertSeverity,
    recipients: JSON.parse(r.recipients) as AlertRecipient[],
    channels: JSON.parse(r.channels) as string[],
    escalateAfterDays: r.escalate_after_days,
    enabled: Number(r.enabled) === 1,
    version: Number(r.version),
    updatedAt: r.updated_at,
  };
}

export async function loadRules(q: Q): Promise<StoredRule[]> {
  const rows = await q.selectFrom('alert_rules').selectAll().orderBy('id').execute();
  return rows.map(ruleFromRow);
}

export interface OwnerPeriodValue {
  ownerType: 'unit' | 'member';
  ownerId: number;
  period: string;
  value: number;
}

/** Σ of undivided month cells per owner and month, both owner types, in one grouped query. */
export async function monthTargets(
  q: Q,
  versionIds: readonly number[],
  metricId: number,
  months: readonly string[],
  only?: Owners,
): Promise<OwnerPeriodValue[]> {
  if (versionIds.length === 0 || months.length === 0) return [];
  const read = (owners?: { type: 'member' | 'unit'; ids: readonly number[] }) => {
    let query = q
      .selectFrom('target_cells')
      .select((eb) => ['owner_type', 'owner_id', 'period', eb.fn.sum<number>('value').as('value')])
      .where('version_id', 'in', [...versionIds])
      .where('metric_id', '=', metricId);
    // One owner type and its ids per statement, so the cells' key serves the lookup.
    if (owners)
      query = query
        .where('owner_type', '=', owners.type)
        .where('owner_id', 'in', [0, ...owners.ids]);
    return query
      .where('period', 'in', [...months])
      .where('product_line_id', '=', 0)
      .where('region_id', '=', 0)
      .where('segment_id', '=', 0)
      .where('channel_id', '=', 0)
      .where('lifecycle', '=', '')
      .groupBy(['owner_type', 'owner_id', 'period'])
      .execute();
  };
  const rows = only
    ? (
        await Promise.all([
          read({ type: 'member', ids: only.memberIds }),
          read({ type: 'unit', ids: only.unitIds }),
        ])
      ).flat()
    : await read();
  return rows.map((r) => ({
    ownerType: r.owner_type,
    ownerId: r.owner_id,
    period: r.period,
    value: Number(r.value),
  }));
}

/** Owners to read (an import's nodes); absent: everyone. */
export interface Owners {
  memberIds: readonly number[];
  unitIds: readonly number[];
}

/** Sales per unit (whole subtree) and per member by month, from the month rollups. */
export async function monthActuals(
  q: Q,
  months: readonly string[],
  only?: Owners,
): Promise<OwnerPeriodValue[]> {
  if (months.length === 0) return [];
  let units = q
    .selectFrom('rollup_unit_month')
    .select(['org_unit_id', 'month', 'amount'])
    .where('dim', '=', '')
    .where('month', 'in', [...months]);
  let members = q
    .selectFrom('rollup_sales_month')
    .select((eb) => ['member_id', 'month', eb.fn.sum<number>('amount').as('amount')])
    .where('month', 'in', [...months])
    .where('member_id', '!=', 0);
  if (only) {
    units = units.where('org_unit_id', 'in', [0, ...only.unitIds]);
    members = members.where('member_id', 'in', [0, ...only.memberIds]);
  }
  const [unitRows, memberRows] = await Promise.all([
    units.execute(),
    members.groupBy(['member_id', 'month']).execute(),
  ]);
  return [
    ...unitRows.map((r) => ({
      ownerType: 'unit' as const,
      ownerId: r.org_unit_id,
      period: r.month,
      value: Number(r.amount),
    })),
    ...memberRows.map((r) => ({
      ownerType: 'member' as const,
      ownerId: r.member_id,
      period: r.month,
      value: Number(r.amount),
    })),
  ];
}

/** Sales per unit and per member over [start, end] (a period to date), from the day rollups. */
export async function rangeActuals(
  q: Q,
  start: string,
  end: string,
  only?: Owners,
): Promise<{ ownerType: 'unit' | 'member'; ownerId: number; value: number }[]> {
  let unitQ = q
    .selectFrom('rollup_unit_day')
    .select((eb) => ['org_unit_id', eb.fn.sum<number>('amount').as('amount')])
    .where('day', '>=', start)
    .where('day', '<=', end)
    .where('dim', '=', '');
  let memberQ = q
    .selectFrom('rollup_sales_day')
    .select((eb) => ['member_id', eb.fn.sum<number>('amount').as('amount')])
    .where('day', '>=', start)
    .where('day', '<=', end)
    .where('member_id', '!=', 0);
  if (only) {
    unitQ = unitQ.where('org_unit_id', 'in', [0, ...only.unitIds]);
    memberQ = memberQ.where('member_id', 'in', [0, ...only.memberIds]);
  }
  const [units, members] = await Promise.all([
    unitQ.groupBy('org_unit_id').execute(),
    memberQ.groupBy('member_id').execute(),
  ]);
  return [
    ...units.map((r) => ({
      ownerType: 'unit' as const,
      ownerId: r.org_unit_id,
      value: Number(r.amount),
    })),
    ...members.map((r) => ({
      ownerType: 'member' as const,
      ownerId: r.member_id,
      value: Number(r.amount),
    })),
  ];
}

export interface FunnelRow {
  memberId: number;
  unitId: number;
  period: string;
  leads: number;
  opportunities: number;
  deals: number;
}

/**
 * Leads and opportunities created, and opportunities won (closed), per member, unit and period
 * over [start, end]. These facts have no rollups (see fact-totals.ts); three grouped reads over
 * their (org_unit_id, date) indexes. `periodOfMonth` folds months into the rule's period.
 */
export async function funnelRows(q: Q, start: string, end: string): Promise<FunnelRow[]> {
  // Rows per member, unit and month of `dateCol`, within [start, end].
  const countBy = (table: 'leads' | 'opportunities', dateCol: string, wonOnly = false) => {
    const month = sql<string>`substr(${sql.ref(dateCol)}, 1, 7)`;
    let q1 = q
      .selectFrom(table)
      .select((eb) => ['member_id', 'org_unit_id', month.as('m'), eb.fn.countAll<number>().as('n')])
      .where(sql.ref(dateCol), '>=', start)
      .where(sql.ref(dateCol), '<=', end);
    if (wonOnly) q1 = q1.where(sql.ref('status'), '=', 'won');
    return q1.groupBy(['member_id', 'org_unit_id', month]).execute();
  };
  const [leads, opps, won] = await Promise.all([
    countBy('leads', 'created_date'),
    countBy('opportunities', 'created_date'),
    countBy('opportunities', 'closed_date', true),
  ]);
  const out = new Map<string, FunnelRow>();
  const add = (
    rows: { member_id: number; org_unit_id: number; m: string; n: number | string | bigint }[],
    field: 'leads' | 'opportunities' | 'deals',
  ) => {
    for (const r of rows) {
      const key = `${r.member_id}|${r.org_unit_id}|${r.m}`;
      const row = out.get(key) ?? {
        memberId: Number(r.member_id),
        unitId: Number(r.org_unit_id),
        period: r.m,
        leads: 0,
        opportunities: 0,
        deals: 0,
      };
      row[field] += Number(r.n);
      out.set(key, row);
    }
  };
  add(leads, 'leads');
  add(opps, 'opportunities');
  add(won, 'deals');
  return [...out.values()];
}

/** Each member's last activity on or before `asOf`. */
export async function lastActivities(q: Q, asOf: string): Promise<Map<number, string>> {
  const rows = await q
    .selectFrom('activities')
    .select((eb) => ['member_id', eb.fn.max<string>('activity_date').as('last')])
    .where('activity_date', '<=', asOf)
    .where('member_id', '!=', 0)
    .groupBy('member_id')
    .execute();
  return new Map(rows.map((r) => [Number(r.member_id), String(r.last)]));
}

export interface OrgRow {
  id: number;
  parentId: number | null;
  path: string;
  nameZh: string;
  nameEn: string;
  managerMemberId: number | null;
}

export async function orgUnits(q: Q): Promise<OrgRow[]> {
  const rows = await q
    .selectFrom('org_units')
    .select(['id', 'parent_id', 'path', 'name_zh', 'name_en', 'manager_member_id'])
    .execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    path: r.path,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    managerMemberId: r.manager_member_id,
  }));
}

export interface MemberRow {
  id: number;
  nameZh: string;
  nameEn: string;
  leaveDate: string | null;
  /** [start, end) memberships by start. */
  units: { unitId: number; start: string; end: string | null }[];
}

/** Every member (or only `ids`) with their memberships. */
export async function membersWithUnits(
  q: Q,
  ids?: readonly number[],
): Promise<Map<number, MemberRow>> {
  let mq = q.selectFrom('members').select(['id', 'name_zh', 'name_en', 'leave_date']);
  let lq = q
    .selectFrom('member_units')
    .select(['member_id', 'org_unit_id', 'start_date', 'end_date'])
    .orderBy('start_date');
  if (ids) {
    mq = mq.where('id', 'in', [0, ...ids]);
    lq = lq.where('member_id', 'in', [0, ...ids]);
  }
  const [members, links] = await Promise.all([mq.execute(), lq.execute()]);
  const out = new Map<number, MemberRow>(
    members.map((m) => [
      m.id,
      { id: m.id, nameZh: m.name_zh, nameEn: m.name_en, leaveDate: m.leave_date, units: [] },
    ]),
  );
  for (const l of links)
    out
      .get(l.member_id)
      ?.units.push({ unitId: l.org_unit_id, start: l.start_date, end: l.end_date });
  return out;
}

/** The member's unit on `day` ([start, end)), or their last unit before it; null if none. */
export function unitOn(m: MemberRow, day: string): number | null {
  let found: number | null = null;
  for (const u of m.units) {
    if (u.start > day) break;
    found = u.unitId;
    if (u.end === null || u.end > day) return u.unitId;
  }
  return found;
}
