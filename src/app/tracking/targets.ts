import type { Db } from '../../db/connect.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { settingsOf } from '../../db/plans/versions.ts';
import { loadWorkCalendar } from '../../db/plans/work-calendar.ts';
import type { FactOwner } from '../../db/rollups.ts';
import type { OwnerType } from '../../db/schema.ts';
import {
  activeVersions,
  memberMemberships,
  memberMonthSplitPaths,
  memberUnitOn,
  monthTargetRows,
  ratioCells,
  subtreeMembers,
  type ActiveVersion,
  type TargetDim,
} from '../../db/tracking.ts';
import type { WorkCalendar } from '../../domain/calendar.ts';
import { daysInMonth } from '../../domain/dates.ts';
import { isAppError } from '../../domain/errors.ts';
import { fiscalYearOf, type DateRange } from '../../domain/periods.ts';
import { splitMonthToDays, type PeriodAmount } from '../../domain/planning/time-split.ts';
import { targetTiers, type TargetTiers } from '../../domain/tiers.ts';

/**
 * Targets for tracking (METHOD §11, days are the atoms of time): a node's target over any range
 * is built from the month cells of the ACTIVE plan version of each fiscal year the range touches.
 * Whole months count as stored; a partial month (a week, a custom range, a month to date)
 * counts the days of the month's day split — working days with the holidays and make-up days of
 * the calendar, admin overrides included — so a week straddling two months is the sum of both
 * months' days, and time progress uses the very same day weights.
 */
export interface TargetPlan {
  range: DateRange;
  months: string[];
  /** By fiscal year (the calendar year it starts in). */
  versions: Map<number, ActiveVersion>;
  /** null when the metric is not in the catalogue (then nothing has a target). */
  metricId: number | null;
  calendar: WorkCalendar;
  /** Day splits already computed, by month and value (members often share a value). */
  splits: Map<string, PeriodAmount[]>;
}

export async function loadTargetPlan(
  db: Db,
  metricCode: string,
  range: DateRange,
  fiscalStartMonth: number,
  /** The working-day calendar when the caller already has it (it is the same for every request). */
  knownCalendar?: Promise<WorkCalendar>,
): Promise<TargetPlan> {
  const months = monthsIn(range);
  const years = [...new Set(months.map((m) => Number(fiscalYearOf(m, fiscalStartMonth).slice(2))))];
  const [versions, metricId, calendar] = await Promise.all([
    activeVersions(db, years),
    metricByCode(db, metricCode).then(
      (m) => m.id,
      (e: unknown) => {
        if (isAppError(e) && e.code === 'METRIC_UNKNOWN') return null;
        throw e;
      },
    ),
    knownCalendar ?? loadWorkCalendar(db),
  ]);
  return { range, months, versions, metricId, calendar, splits: new Map() };
}

export function planVersionIds(plan: TargetPlan): number[] {
  return [...plan.versions.values()].map((v) => v.id).sort((a, b) => a - b);
}

/** Month → target of each owner (and of each dimension member when `dim` is given), one query. */
export async function ownerMonthTargets(
  db: Db,
  plan: TargetPlan,
  ownerType: OwnerType,
  ownerIds: readonly number[],
  dim?: TargetDim,
): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (plan.metricId === null) return out;
  const rows = await monthTargetRows(db, {
    versionIds: planVersionIds(plan),
    metricId: plan.metricId,
    ownerType,
    ownerIds,
    months: plan.months,
    ...(dim ? { dim } : {}),
  });
  for (const r of rows) {
    const key = dim ? r.dimKey : String(r.ownerId);
    const months = out.get(key) ?? new Map<string, number>();
    months.set(r.month, (months.get(r.month) ?? 0) + r.value);
    out.set(key, months);
  }
  return out;
}

type Months = Map<string, number>;

/**
 * Month targets of each owner for one dimension member (product line 12, lifecycle 'new'…) —
 * the plan's cells split by that dimension alone — and which owners have any cells by that
 * dimension at all (an owner without them has no target for the slice; one with them but none
 * for this member has a target of 0).
 */
async function sliceMonths(
  db: Db,
  plan: TargetPlan,
  ownerType: OwnerType,
  ownerIds: readonly number[],
  filter: { dim: TargetDim; key: string },
): Promise<{ byOwner: Map<number, Months>; split: Set<number> }> {
  const byOwner = new Map<number, Months>();
  const split = new Set<number>();
  if (plan.metricId === null) return { byOwner, split };
  const rows = await monthTargetRows(db, {
    versionIds: planVersionIds(plan),
    metricId: plan.metricId,
    ownerType,
    ownerIds,
    months: plan.months,
    dim: filter.dim,
  });
  for (const r of rows) {
    split.add(r.ownerId);
    if (r.dimKey !== filter.key) continue;
    const m = byOwner.get(r.ownerId) ?? new Map<string, number>();
    m.set(r.month, (m.get(r.month) ?? 0) + r.value);
    byOwner.set(r.ownerId, m);
  }
  return { byOwner, split };
}

function addMonths(into: Months, from: ReadonlyMap<string, number> | undefined): void {
  for (const [k, v] of from ?? []) into.set(k, (into.get(k) ?? 0) + v);
}

export interface OwnerRef {
  type: OwnerType;
  id: number;
  /** A unit's materialized path (null for a member). */
  path: string | null;
}

/**
 * Month targets of each owner, unfiltered or for the context's slice (undefined = no cells).
 * Sliced, a unit without its own cells by that dimension sums its members' (a cascade puts the
 * product-line cells on the reps), and has no target when they have none either.
 */
export async function ownersTargetMonths(
  db: Db,
  plan: TargetPlan,
  owners: readonly OwnerRef[],
  filter: { dim: TargetDim; key: string } | null,
  range: DateRange,
): Promise<Map<number, Months | undefined>> {
  const out = new Map<number, Months | undefined>();
  if (owners.length === 0) return out;
  const type = owners[0]!.type;
  const ids = owners.map((o) => o.id);
  if (!filter) {
    const all = await ownerMonthTargets(db, plan, type, ids);
    for (const id of ids) out.set(id, all.get(String(id)));
    return out;
  }
  const own = await sliceMonths(db, plan, type, ids, filter);
  for (const o of owners) {
    if (own.split.has(o.id)) {
      out.set(o.id, own.byOwner.get(o.id) ?? new Map());
      continue;
    }
    if (o.type !== 'unit' || o.path === null) {
      out.set(o.id, undefined);
      continue;
    }
    const members = await subtreeMembers(db, o.path, range.start, range.end);
    const theirs = await sliceMonths(
      db,
      plan,
      'member',
      members.map((m) => m.id),
      filter,
    );
    if (theirs.split.size === 0) {
      out.set(o.id, undefined);
      continue;
    }
    const sum: Months = new Map();
    for (const m of theirs.byOwner.values()) addMonths(sum, m);
    out.set(o.id, sum);
  }
  return out;
}

/**
 * A ratio target of a node (the collection rate), in basis points: never summed or averaged
 * (METHOD §11). The node's own cell, else the nearest ancestor's — a member inherits from the
 * unit they belong to at the period's end. A cell for the period's month (when the period is
 * within one month) wins over the fiscal year's.
 */
export async function ratioTarget(
  db: Db,
  plan: TargetPlan,
  metricCode: string,
  node: OwnerRef,
  fiscalStartMonth: number,
  /** A member read within a manager's subtrees: no rate of a unit outside them. */
  within?: readonly string[],
): Promise<number | null> {
  if (plan.versions.size === 0) return null;
  const metricId = await metricByCode(db, metricCode).then(
    (m) => m.id,
    () => null,
  );
  if (metricId === null) return null;
  let path = node.path;
  if (node.type === 'member')
    path = (await memberUnitOn(db, node.id, plan.range.end))?.path ?? null;
  const held = path;
  if (within && (held === null || !within.some((p) => held.startsWith(p)))) return null;
  const units = path ? path.split('/').filter(Boolean).map(Number).reverse() : [];
  const periods = [
    ...(plan.months.length === 1 ? plan.months : []),
    fiscalYearOf(plan.range.end, fiscalStartMonth),
  ];
  const cells = await ratioCells(db, {
    versionIds: planVersionIds(plan),
    metricId,
    units,
    members: node.type === 'member' ? [node.id] : [],
    periods,
  });
  const chain: [OwnerType, number][] = [
    ...(node.type === 'member' ? [['member', node.id] as [OwnerType, number]] : []),
    ...units.map((id) => ['unit', id] as [OwnerType, number]),
  ];
  for (const [type, id] of chain) {
    for (const period of periods) {
      const cell = cells.find(
        (c) => c.ownerType === type && c.ownerId === id && c.period === period,
      );
      if (cell) return cell.value;
    }
  }
  return null;
}

/**
 * A member read within a manager's subtrees (`FactOwner.within`) carries only the targets of the
 * months the plan puts there (see `monthsPlacedWithin`). Returns `months` itself for any other
 * owner.
 */
export async function heldMonths<T extends ReadonlyMap<string, number> | undefined>(
  db: Db,
  plan: TargetPlan,
  owner: FactOwner,
  months: T,
): Promise<T> {
  if (!('memberId' in owner) || owner.within === undefined || months === undefined) return months;
  const kept = await monthsPlacedWithin(
    db,
    plan,
    owner.within,
    new Map([[owner.memberId, months as ReadonlyMap<string, number>]]),
  );
  return kept.get(owner.memberId) as T;
}

/**
 * Each member's month targets, kept to the months the plan puts inside `within` (subtree
 * paths): a month goes with the unit its member cell was split from (the plan's own placement,
 * which a transfer's move re-points and a keep leaves with the old team), or, without such a
 * split, with the unit the member sat in on the month's first day (joining during the month: the
 * first unit joined) — transfers hand over whole months. Two queries for any number of members.
 */
export async function monthsPlacedWithin(
  db: Db,
  plan: TargetPlan,
  within: readonly string[],
  byMember: ReadonlyMap<number, ReadonlyMap<string, number> | undefined>,
): Promise<Map<number, Map<string, number> | undefined>> {
  const out = new Map<number, Map<string, number> | undefined>();
  const ids = [...byMember.keys()];
  const months = [...new Set([...byMember.values()].flatMap((m) => [...(m?.keys() ?? [])]))];
  const inside = (path: string) => within.some((p) => path.startsWith(p));
  const [memberships, splitPaths] = await Promise.all([
    memberMemberships(db, ids),
    plan.metricId === null
      ? new Map<number, Map<string, string[]>>()
      : memberMonthSplitPaths(db, {
          versionIds: planVersionIds(plan),
          metricId: plan.metricId,
          memberIds: ids,
          months,
        }),
  ]);
  for (const [id, monthly] of byMember) {
    if (monthly === undefined) {
      out.set(id, undefined);
      continue;
    }
    const spans = memberships.get(id) ?? [];
    const placedBy = splitPaths.get(id);
    const kept = new Map<string, number>();
    for (const [month, value] of monthly) {
      const placed = placedBy?.get(month);
      if (placed) {
        if (placed.some(inside)) kept.set(month, value);
        continue;
      }
      const first = `${month}-01`;
      const last = lastDayOf(month);
      const holder =
        spans.find((m) => m.start <= first && (m.end === null || m.end > first)) ??
        spans.find((m) => m.start > first && m.start <= last);
      if (holder && inside(holder.path)) kept.set(month, value);
    }
    out.set(id, kept);
  }
  return out;
}

/** The day targets inside the plan's range, in date order (Σ over a whole month = its target). */
export function dayTargets(
  plan: TargetPlan,
  months: ReadonlyMap<string, number> | undefined,
): PeriodAmount[] {
  const out: PeriodAmount[] = [];
  for (const month of plan.months) {
    const value = months?.get(month) ?? 0;
    for (const d of monthDays(plan, month, value))
      if (d.period >= plan.range.start && d.period <= plan.range.end) out.push(d);
  }
  return out;
}

/** The target over the plan's range: whole months as stored, partial months by their days. */
export function rangeTarget(
  plan: TargetPlan,
  months: ReadonlyMap<string, number> | undefined,
): number {
  let total = 0;
  for (const month of plan.months) {
    const value = months?.get(month) ?? 0;
    if (value === 0) continue;
    const first = `${month}-01`;
    const last = lastDayOf(month);
    if (plan.range.start <= first && plan.range.end >= last) total += value;
    else {
      for (const d of monthDays(plan, month, value)) {
        if (d.period >= plan.range.start && d.period <= plan.range.end) total += d.amount;
      }
    }
  }
  return total;
}

/** Base / target / challenge / sprint from the tier percentages of the version the period ends in. */
export function tiersFor(plan: TargetPlan, target: number, fiscalStartMonth: number): TargetTiers {
  const year = Number(fiscalYearOf(plan.range.end, fiscalStartMonth).slice(2));
  const version = plan.versions.get(year) ?? [...plan.versions.values()][0];
  return targetTiers(target, version ? settingsOf(version) : {});
}

/** Calendar months overlapping a range, in order. */
export function monthsIn(range: DateRange): string[] {
  const out: string[] = [];
  let y = Number(range.start.slice(0, 4));
  let m = Number(range.start.slice(5, 7));
  const last = range.end.slice(0, 7);
  for (;;) {
    const id = `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}`;
    if (id > last) break;
    out.push(id);
    m = m === 12 ? 1 : m + 1;
    if (m === 1) y++;
  }
  return out;
}

export function lastDayOf(month: string): string {
  return `${month}-${String(daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)))).padStart(2, '0')}`;
}

/** The month's day split (every calendar day, 0 on days off), computed once per plan and value. */
function monthDays(plan: TargetPlan, month: string, value: number): PeriodAmount[] {
  const key = `${month}:${value}`;
  let days = plan.splits.get(key);
  if (!days) {
    days =
      value === 0 ? zeroDays(month) : splitMonthToDays(value, { month, calendar: plan.calendar });
    plan.splits.set(key, days);
  }
  return days;
}

function zeroDays(month: string): PeriodAmount[] {
  const n = daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7)));
  return Array.from({ length: n }, (_, i) => ({
    period: `${month}-${String(i + 1).padStart(2, '0')}`,
    amount: 0,
  }));
}
