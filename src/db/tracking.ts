import { sql, type Kysely, type Transaction } from 'kysely';
import type { OpenOpportunity } from '../domain/tracking/index.ts';
import { parseKeyText } from './plans/keys.ts';
import { ownerCondition, type FactOwner } from './rollups.ts';
import type { Database, OwnerType } from './schema.ts';

/**
 * Reads the tracking screens need beyond the sales rollups (`rollups.ts`): the active plan
 * versions and their target cells summed per owner and month, the members of a subtree, and the
 * few opportunity rows the forecasts and the sales cycle are computed from.
 */
type Q = Kysely<Database> | Transaction<Database>;

export interface ActiveVersion {
  id: number;
  number: number;
  fiscalYear: number;
  settings: string;
}

/** The active version of each fiscal year's plan (at most one per year; years without one are absent). */
export async function activeVersions(
  q: Q,
  fiscalYears: readonly number[],
): Promise<Map<number, ActiveVersion>> {
  if (fiscalYears.length === 0) return new Map();
  const rows = await q
    .selectFrom('plan_versions as v')
    .innerJoin('plans as p', 'p.id', 'v.plan_id')
    .select(['v.id', 'v.number', 'v.settings', 'p.fiscal_year'])
    .where('v.status', '=', 'active')
    .where('p.fiscal_year', 'in', [...fiscalYears])
    .orderBy('v.number', 'desc')
    .execute();
  const out = new Map<number, ActiveVersion>();
  for (const r of rows) {
    if (!out.has(r.fiscal_year))
      out.set(r.fiscal_year, {
        id: r.id,
        number: r.number,
        fiscalYear: r.fiscal_year,
        settings: r.settings,
      });
  }
  return out;
}

/** Dimensions a plan can split a target by, with their target_cells column. */
export const TARGET_DIM_COLUMN = {
  product_line: 'product_line_id',
  channel: 'channel_id',
  region: 'region_id',
  segment: 'segment_id',
  lifecycle: 'lifecycle',
} as const;
export type TargetDim = keyof typeof TARGET_DIM_COLUMN;

export interface MonthTargetRow {
  ownerId: number;
  month: string;
  /** The dimension member ('' without a dimension; the id as text, or the lifecycle). */
  dimKey: string;
  value: number;
}

/**
 * Σ of month cells per owner and month (and per member of `dim`), in one grouped query: the
 * cells of the given versions and metric whose period is one of `months`. Without `dim`, only
 * cells not split by any dimension; with it, only cells split by that dimension alone.
 */
export async function monthTargetRows(
  q: Q,
  input: {
    versionIds: readonly number[];
    metricId: number;
    ownerType: OwnerType;
    ownerIds: readonly number[];
    months: readonly string[];
    dim?: TargetDim;
  },
): Promise<MonthTargetRow[]> {
  if (input.versionIds.length === 0 || input.ownerIds.length === 0 || input.months.length === 0)
    return [];
  const dimColumn = input.dim ? TARGET_DIM_COLUMN[input.dim] : null;
  let query = q
    .selectFrom('target_cells')
    .where('version_id', 'in', [...input.versionIds])
    .where('metric_id', '=', input.metricId)
    .where('owner_type', '=', input.ownerType)
    .where('owner_id', 'in', [...input.ownerIds])
    .where('period', 'in', [...input.months]);
  for (const column of Object.values(TARGET_DIM_COLUMN)) {
    const none = column === 'lifecycle' ? '' : 0;
    query = column === dimColumn ? query.where(column, '!=', none) : query.where(column, '=', none);
  }
  const key = dimColumn ? sql<string | number>`${sql.ref(dimColumn)}` : sql<string>`''`;
  const rows = await query
    .select((eb) => [
      'owner_id',
      'period',
      key.as('dim_key'),
      eb.fn.sum<number>('value').as('value'),
    ])
    .groupBy(dimColumn ? ['owner_id', 'period', dimColumn] : ['owner_id', 'period'])
    .execute();
  return rows.map((r) => ({
    ownerId: r.owner_id,
    month: r.period,
    dimKey: String(r.dim_key),
    value: Number(r.value),
  }));
}

export interface SubtreeMember {
  id: number;
  nameZh: string;
  nameEn: string;
  code: string;
}

/** Members who belonged to a unit of the subtree at some time in [start, end] ([start, end) memberships), by code. */
export async function subtreeMembers(
  q: Q,
  unitPath: string,
  start: string,
  end: string,
): Promise<SubtreeMember[]> {
  const rows = await q
    .selectFrom('member_units as mu')
    .innerJoin('org_units as u', 'u.id', 'mu.org_unit_id')
    .innerJoin('members as m', 'm.id', 'mu.member_id')
    .select(['m.id', 'm.code', 'm.name_zh', 'm.name_en'])
    .distinct()
    .where('u.path', 'like', `${unitPath}%`)
    .where('mu.start_date', '<=', end)
    .where((eb) => eb.or([eb('mu.end_date', 'is', null), eb('mu.end_date', '>', start)]))
    .orderBy('m.code')
    .execute();
  return rows.map((r) => ({ id: r.id, code: r.code, nameZh: r.name_zh, nameEn: r.name_en }));
}

/** Open opportunities expected to close on or before `closingBy` (overdue ones included). */
export async function openOpportunities(
  q: Q,
  owner: FactOwner,
  closingBy: string,
): Promise<OpenOpportunity[]> {
  const rows = await (q as unknown as Kysely<any>)
    .selectFrom('opportunities')
    .select(['ext_id', 'amount', 'probability_bp', 'expected_close_date'])
    .where((eb) => ownerCondition(eb, owner))
    .where('status', '=', 'open')
    .where('expected_close_date', 'is not', null)
    .where('expected_close_date', '<=', closingBy)
    .orderBy('ext_id')
    .execute();
  return rows.map((r: Record<string, unknown>) => ({
    id: String(r.ext_id),
    amount: Math.max(0, Number(r.amount)),
    probabilityBp: Math.min(10_000, Math.max(0, Number(r.probability_bp))),
    expectedCloseDate: String(r.expected_close_date),
  }));
}

export interface WonDeal {
  createdDate: string;
  closedDate: string;
  amount: number;
}

/** Opportunities won with a closing date in [start, end]: the sales cycle's input. */
export async function wonDeals(
  q: Q,
  owner: FactOwner,
  start: string,
  end: string,
): Promise<WonDeal[]> {
  const rows = await (q as unknown as Kysely<any>)
    .selectFrom('opportunities')
    .select(['created_date', 'closed_date', 'amount'])
    .where((eb) => ownerCondition(eb, owner))
    .where('status', '=', 'won')
    .where('closed_date', '>=', start)
    .where('closed_date', '<=', end)
    .execute();
  return rows.map((r: Record<string, unknown>) => ({
    createdDate: String(r.created_date),
    closedDate: String(r.closed_date),
    amount: Number(r.amount),
  }));
}

export interface RatioCell {
  ownerType: OwnerType;
  ownerId: number;
  period: string;
  value: number;
}

/**
 * Undivided cells (no dimension) of a ratio metric for some owners and periods: the collection
 * rate is set per node (or inherited), never split or summed, so the reader picks one.
 */
export async function ratioCells(
  q: Q,
  input: {
    versionIds: readonly number[];
    metricId: number;
    units: readonly number[];
    members: readonly number[];
    periods: readonly string[];
  },
): Promise<RatioCell[]> {
  if (input.versionIds.length === 0 || input.periods.length === 0) return [];
  const owners = [
    ...input.units.map((id) => ['unit', id] as const),
    ...input.members.map((id) => ['member', id] as const),
  ];
  if (owners.length === 0) return [];
  let query = q
    .selectFrom('target_cells')
    .select(['owner_type', 'owner_id', 'period', 'value'])
    .where('version_id', 'in', [...input.versionIds])
    .where('metric_id', '=', input.metricId)
    .where('period', 'in', [...input.periods])
    .where((eb) =>
      eb.or(owners.map(([t, id]) => eb.and([eb('owner_type', '=', t), eb('owner_id', '=', id)]))),
    );
  for (const column of Object.values(TARGET_DIM_COLUMN))
    query = query.where(column, '=', column === 'lifecycle' ? '' : 0);
  const rows = await query.execute();
  return rows.map((r) => ({
    ownerType: r.owner_type,
    ownerId: r.owner_id,
    period: r.period,
    value: Number(r.value),
  }));
}

/** The unit a member belongs to on a day ([start, end) memberships), with its path; null if none. */
export async function memberUnitOn(
  q: Q,
  memberId: number,
  day: string,
): Promise<{ id: number; path: string } | null> {
  const row = await q
    .selectFrom('member_units as mu')
    .innerJoin('org_units as u', 'u.id', 'mu.org_unit_id')
    .select(['u.id', 'u.path'])
    .where('mu.member_id', '=', memberId)
    .where('mu.start_date', '<=', day)
    .where((eb) => eb.or([eb('mu.end_date', 'is', null), eb('mu.end_date', '>', day)]))
    .orderBy('mu.start_date', 'desc')
    .executeTakeFirst();
  return row ?? null;
}

/** Every membership of each member with its unit's current path, by start date. */
export async function memberMemberships(
  q: Q,
  memberIds: readonly number[],
): Promise<Map<number, { start: string; end: string | null; path: string }[]>> {
  const out = new Map<number, { start: string; end: string | null; path: string }[]>();
  if (memberIds.length === 0) return out;
  const rows = await q
    .selectFrom('member_units as mu')
    .innerJoin('org_units as u', 'u.id', 'mu.org_unit_id')
    .select(['mu.member_id', 'mu.start_date', 'mu.end_date', 'u.path'])
    .where('mu.member_id', 'in', [...memberIds])
    .orderBy('mu.member_id')
    .orderBy('mu.start_date')
    .execute();
  for (const r of rows) {
    const list = out.get(r.member_id) ?? [];
    list.push({ start: r.start_date, end: r.end_date, path: r.path });
    out.set(r.member_id, list);
  }
  return out;
}

/**
 * The path of the unit each member's month cells were split from (the org split's parent), by
 * member and month, in the given versions: where the plan puts a member's month (a transfer's
 * move re-points it, a keep leaves it with the old team; see build-plan-grid).
 */
export async function memberMonthSplitPaths(
  q: Q,
  input: {
    versionIds: readonly number[];
    metricId: number;
    memberIds: readonly number[];
    months: readonly string[];
  },
): Promise<Map<number, Map<string, string[]>>> {
  const out = new Map<number, Map<string, string[]>>();
  if (input.versionIds.length === 0 || input.months.length === 0 || input.memberIds.length === 0)
    return out;
  const rows = await q
    .selectFrom('target_cells as c')
    .innerJoin('target_splits as s', 's.id', 'c.split_id')
    .select(['c.owner_id', 'c.period', 's.parent_key'])
    .distinct()
    .where('c.version_id', 'in', [...input.versionIds])
    .where('c.metric_id', '=', input.metricId)
    .where('c.owner_type', '=', 'member')
    .where('c.owner_id', 'in', [...input.memberIds])
    .where('c.period', 'in', [...input.months])
    .where('s.axis', '=', 'org')
    .execute();
  const unitOf = new Map<string, number>();
  for (const r of rows) {
    const k = parseKeyText(r.parent_key);
    if (k.ownerType === 'unit') unitOf.set(r.parent_key, k.ownerId);
  }
  if (unitOf.size === 0) return out;
  const paths = new Map(
    (
      await q
        .selectFrom('org_units')
        .select(['id', 'path'])
        .where('id', 'in', [...new Set(unitOf.values())])
        .execute()
    ).map((u) => [u.id, u.path]),
  );
  for (const r of rows) {
    const id = unitOf.get(r.parent_key);
    const path = id === undefined ? undefined : paths.get(id);
    if (path === undefined) continue;
    const months = out.get(r.owner_id) ?? new Map<string, string[]>();
    months.set(r.period, [...(months.get(r.period) ?? []), path]);
    out.set(r.owner_id, months);
  }
  return out;
}
