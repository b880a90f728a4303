import type { Db } from '../../db/connect.ts';
import type { FactOwner, SalesFilter } from '../../db/rollups.ts';
import { loadWorkCalendar } from '../../db/plans/work-calendar.ts';
import { getSetting } from '../../db/settings.ts';
import type { WorkCalendar } from '../../domain/calendar.ts';
import { daysBetween } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { parsePeriod, periodRange, type DateRange } from '../../domain/periods.ts';
import type { Actor, Scope } from '../actor.ts';
import type { TrackingSnapshot } from './answer-cache.ts';
import type { ActualsSource } from './actuals.ts';
import type { MyTargetChoice, TrackingQuery, TrackedMetric } from './types.ts';
import { isFilterable, type Dimension } from '../../domain/tracking/tracked-metrics.ts';

/** The org node whose numbers are tracked: a unit's whole subtree, or one member. */
export interface TrackingNode {
  type: 'unit' | 'member';
  id: number;
  nameZh: string;
  nameEn: string;
  /** The unit's materialized path; null for a member. */
  path: string | null;
  owner: FactOwner;
}

export interface TrackingPeriod extends DateRange {
  /** Canonical period id, or 'start..end' for a custom range. */
  id: string;
}

/** Everything a tracking read needs to know about the request, resolved and authorized once. */
export interface TrackingContext {
  node: TrackingNode;
  period: TrackingPeriod;
  asOf: string;
  /** Today in China: rollup reads widen to whole months only when nothing later can exist yet. */
  today: string;
  metric: TrackedMetric;
  fiscalStartMonth: number;
  /** The dimension member the numbers are restricted to (sales metrics only), or null. */
  filter: TrackingFilter | null;
  /**
   * The working-day calendar (official holidays and 调休 with the admin's overrides), built once
   * per generation: building it from the holiday data was ≈ 5% of a company-year overview.
   */
  calendar: Promise<WorkCalendar>;
}

export interface TrackingFilter extends SalesFilter {
  dim: Dimension;
  key: string;
  nameZh: string;
  nameEn: string;
}

/** The actuals read of a context: its metric, its node, its filter. */
export function sourceOf(ctx: TrackingContext): ActualsSource {
  return {
    metric: ctx.metric,
    owner: ctx.node.owner,
    filter: ctx.filter ? { dim: ctx.filter.dim, key: ctx.filter.key } : null,
  };
}

export function filterOut(ctx: TrackingContext) {
  const f = ctx.filter;
  return f ? { dim: f.dim, key: f.key, nameZh: f.nameZh, nameEn: f.nameEn } : null;
}

/** A custom range longer than this is refused: the screens chart days, and nobody tracks a decade. */
const MAX_RANGE_DAYS = 3 * 366;

/**
 * The request resolved and authorized: the node (checked against the actor's scope on every
 * call, from lookups kept per generation), the period, the filter and the fiscal year's first
 * month. `snap` holds what earlier requests already looked up while nothing changed.
 */
export async function trackingContext(
  db: Db,
  user: Actor,
  q: TrackingQuery,
  today: string,
  snap: TrackingSnapshot,
): Promise<TrackingContext> {
  const asOf = q.asOf ?? today;
  const fiscalStartMonth = await snap.lookup('fiscal-start', () =>
    getSetting(db, 'fiscalYearStartMonth'),
  );
  const node = await resolveNode(db, user, q, snap);
  const period = resolvePeriod(q, asOf, fiscalStartMonth);
  const filter = await resolveFilter(db, q, snap);
  const calendar = snap.lookup('calendar', () => loadWorkCalendar(db));
  return { node, period, asOf, today, metric: q.metric, fiscalStartMonth, filter, calendar };
}

/**
 * Everything a cached answer of `ctx` depends on besides the generations: the node, the days,
 * the metric, the slice and the days that decide how a running month is read. Names are not in
 * it (an answer carries both languages); the caller adds the table's own options.
 */
export function contextKey(ctx: TrackingContext): string {
  const f = ctx.filter;
  return [
    ctx.node.type,
    ctx.node.id,
    ctx.period.id,
    ctx.period.start,
    ctx.period.end,
    ctx.asOf,
    ctx.today,
    ctx.metric,
    f ? `${f.dim}=${f.key}` : '',
    // A member read through a manager's subtrees is a different answer from the whole member.
    'within' in ctx.node.owner && ctx.node.owner.within ? ctx.node.owner.within.join(',') : '',
  ].join('|');
}

const LIFECYCLES: Record<string, { nameZh: string; nameEn: string }> = {
  '': { nameZh: '未区分', nameEn: 'Unassigned' },
  new: { nameZh: '新客户', nameEn: 'New customers' },
  existing: { nameZh: '老客户', nameEn: 'Existing customers' },
  referral: { nameZh: '转介绍', nameEn: 'Referrals' },
};

/** dim + key, checked (a known member of the dimension, a metric that carries it) and named. */
async function resolveFilter(
  db: Db,
  q: Pick<TrackingQuery, 'dim' | 'key' | 'metric'>,
  snap: TrackingSnapshot,
): Promise<TrackingFilter | null> {
  if (q.dim === undefined && q.key === undefined) return null;
  if (q.dim === undefined || q.key === undefined) {
    throw new AppError('VALIDATION', {
      field: q.dim === undefined ? 'dim' : 'key',
      reason: 'a filter needs dim and key',
    });
  }
  const { dim, key } = q;
  if (!isFilterable(q.metric))
    throw new AppError('TRACKING_FILTER_UNSUPPORTED', { metric: q.metric, dim });
  if (dim === 'lifecycle') {
    const names = LIFECYCLES[key];
    if (!names) throw new AppError('VALIDATION', { field: 'key', reason: `no lifecycle "${key}"` });
    return { dim, key, ...names };
  }
  if (!/^\d{1,12}$/.test(key))
    throw new AppError('VALIDATION', { field: 'key', reason: 'an id (0 = none)' });
  const id = Number(key);
  if (id === 0) return { dim, key: '0', nameZh: '未分配', nameEn: 'None' };
  const row = await snap.lookup(`filter:${dim}:${id}`, () =>
    dim === 'product_line'
      ? db
          .selectFrom('product_lines')
          .select(['name_zh', 'name_en'])
          .where('id', '=', id)
          .executeTakeFirst()
      : db
          .selectFrom('dimension_members')
          .select(['name_zh', 'name_en'])
          .where('dimension', '=', dim)
          .where('id', '=', id)
          .executeTakeFirst(),
  );
  if (!row) throw new AppError('NOT_FOUND', { entity: dim });
  return { dim, key: String(id), nameZh: row.name_zh, nameEn: row.name_en };
}

/**
 * The node asked for, or the caller's natural one: the company for admin/finance/viewer, the
 * (first) managed unit for a manager, one's own member record for a rep. Scope: a rep reads only
 * their own member node, a manager their subtree (and themself), the others everything.
 */
export async function resolveNode(
  db: Db,
  user: Actor,
  q: Pick<TrackingQuery, 'unitId' | 'memberId'>,
  snap: TrackingSnapshot,
): Promise<TrackingNode> {
  if (q.unitId !== undefined && q.memberId !== undefined) {
    throw new AppError('VALIDATION', {
      field: 'unitId',
      reason: 'give unitId or memberId, not both',
    });
  }
  if (q.memberId !== undefined) return memberNode(db, user, q.memberId, snap);
  if (q.unitId !== undefined) return unitNode(db, user, q.unitId, snap);
  if (user.scope.all) {
    const root = await snap.lookup('root', () =>
      db
        .selectFrom('org_units')
        .select('id')
        .where('parent_id', 'is', null)
        .orderBy('id')
        .executeTakeFirst(),
    );
    if (!root) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
    return unitNode(db, user, root.id, snap);
  }
  const managed = user.scope.unitPaths[0];
  if (managed) return unitNode(db, user, Number(managed.split('/').at(-2)), snap);
  if (user.memberId !== null) return memberNode(db, user, user.memberId, snap);
  throw new AppError('NOT_FOUND', { entity: 'member' });
}

/**
 * What "my targets" offers a member: themself first, then every unit they manage that their
 * session may read (a unit's manager answers for its number), by path.
 */
export async function myTargetChoices(
  db: Db,
  user: Actor,
  memberId: number,
  snap: TrackingSnapshot,
): Promise<MyTargetChoice[]> {
  const { self, managed } = await snap.lookup(`choices:${memberId}`, async () => {
    const [self, managed] = await Promise.all([
      db
        .selectFrom('members')
        .select(['id', 'name_zh', 'name_en'])
        .where('id', '=', memberId)
        .executeTakeFirst(),
      db
        .selectFrom('org_units')
        .select(['id', 'name_zh', 'name_en', 'path'])
        .where('manager_member_id', '=', memberId)
        .orderBy('path')
        .execute(),
    ]);
    return { self, managed };
  });
  if (!self) throw new AppError('NOT_FOUND', { entity: 'member' });
  return [
    { type: 'member', id: self.id, nameZh: self.name_zh, nameEn: self.name_en },
    ...managed
      .filter((u) => unitReadable(user.scope, u.path))
      .map((u) => ({ type: 'unit' as const, id: u.id, nameZh: u.name_zh, nameEn: u.name_en })),
  ];
}

/** The scope rule of `unitPathInScope`, in memory: everything, or inside a managed subtree. */
function unitReadable(scope: Scope, path: string): boolean {
  return scope.all || scope.unitPaths.some((p) => path.startsWith(p));
}

/**
 * The scope rule of `memberInScope`, in memory: oneself, or a member who ever belonged to a
 * unit inside a managed subtree (`paths`: the current paths of every unit they belonged to).
 */
function memberReadable(scope: Scope, memberId: number, paths: readonly string[]): boolean {
  if (scope.all || scope.memberId === memberId) return true;
  return paths.some((path) => unitReadable(scope, path));
}

/**
 * How much of a readable member a scope sees: everything (undefined) for admin/finance/viewer,
 * oneself and a member who never sat outside the managed subtrees; otherwise only the member's
 * facts credited inside them (`FactOwner.within`) — the days the member sat there. A former
 * manager keeps the history before a transfer, a new manager sees from the transfer date on.
 */
function memberWithin(
  scope: Scope,
  memberId: number,
  paths: readonly string[],
): readonly string[] | undefined {
  if (scope.all || scope.memberId === memberId) return undefined;
  return paths.every((path) => unitReadable(scope, path)) ? undefined : scope.unitPaths;
}

async function unitNode(
  db: Db,
  user: Actor,
  id: number,
  snap: TrackingSnapshot,
): Promise<TrackingNode> {
  const u = await snap.lookup(`unit:${id}`, () =>
    db
      .selectFrom('org_units')
      .select(['id', 'name_zh', 'name_en', 'path'])
      .where('id', '=', id)
      .executeTakeFirst(),
  );
  if (!u) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
  if (!unitReadable(user.scope, u.path)) throw new AppError('FORBIDDEN');
  return {
    type: 'unit',
    id: u.id,
    nameZh: u.name_zh,
    nameEn: u.name_en,
    path: u.path,
    owner: { unitPath: u.path },
  };
}

async function memberNode(
  db: Db,
  user: Actor,
  id: number,
  snap: TrackingSnapshot,
): Promise<TrackingNode> {
  const m = await snap.lookup(`member:${id}`, async () => {
    const [row, units] = await Promise.all([
      db
        .selectFrom('members')
        .select(['id', 'name_zh', 'name_en'])
        .where('id', '=', id)
        .executeTakeFirst(),
      db
        .selectFrom('member_units as mu')
        .innerJoin('org_units as ou', 'ou.id', 'mu.org_unit_id')
        .select('ou.path')
        .where('mu.member_id', '=', id)
        .execute(),
    ]);
    return row ? { ...row, paths: units.map((u) => u.path) } : undefined;
  });
  if (!m) throw new AppError('NOT_FOUND', { entity: 'member' });
  if (!memberReadable(user.scope, id, m.paths)) throw new AppError('FORBIDDEN');
  const within = memberWithin(user.scope, id, m.paths);
  return {
    type: 'member',
    id: m.id,
    nameZh: m.name_zh,
    nameEn: m.name_en,
    path: null,
    owner: within ? { memberId: m.id, within } : { memberId: m.id },
  };
}

/** A period id, a custom start..end, or by default the calendar month holding asOf. */
export function resolvePeriod(
  q: Pick<TrackingQuery, 'period' | 'start' | 'end'>,
  asOf: string,
  fiscalStartMonth: number,
): TrackingPeriod {
  const custom = q.start !== undefined || q.end !== undefined;
  if (q.period !== undefined && custom) {
    throw new AppError('VALIDATION', {
      field: 'period',
      reason: 'give period or start and end, not both',
    });
  }
  if (custom) {
    if (q.start === undefined || q.end === undefined) {
      throw new AppError('VALIDATION', {
        field: q.start === undefined ? 'start' : 'end',
        reason: 'a custom range needs start and end',
      });
    }
    if (q.end < q.start) throw new AppError('DATE_ORDER', { start: q.start, end: q.end });
    if (daysBetween(q.start, q.end) >= MAX_RANGE_DAYS) {
      throw new AppError('VALIDATION', { field: 'end', reason: `at most ${MAX_RANGE_DAYS} days` });
    }
    return { id: `${q.start}..${q.end}`, start: q.start, end: q.end };
  }
  const p = parsePeriod(q.period ?? asOf.slice(0, 7));
  return { id: p.id, ...periodRange(p, fiscalStartMonth) };
}

/** The days whose actuals count: [start, min(asOf, end)], or null before the period starts. */
export function elapsedWindow(period: DateRange, asOf: string): DateRange | null {
  if (asOf < period.start) return null;
  return { start: period.start, end: asOf < period.end ? asOf : period.end };
}

/**
 * Region and segment live only in the month rollup, so a read grouped or filtered by them needs
 * whole months. A month to date is read as the whole month when asOf is today and the period runs
 * to the month's end (no later sales can exist yet); otherwise a partial month is refused by the
 * rollups with ROLLUP_MONTHS_ONLY rather than answered wrongly.
 */
export function readWindow(
  ctx: TrackingContext,
  window: DateRange | null,
  groupBy?: string,
): DateRange | null {
  const monthsOnly = (d: string | undefined) => d === 'region' || d === 'segment';
  if (!window || !(monthsOnly(groupBy) || monthsOnly(ctx.filter?.dim))) return window;
  const month = window.end.slice(0, 7);
  const [y, m] = [Number(month.slice(0, 4)), Number(month.slice(5, 7))];
  const monthEnd = `${month}-${String(new Date(Date.UTC(y, m, 0)).getUTCDate()).padStart(2, '0')}`;
  if (window.end === ctx.asOf && ctx.asOf >= ctx.today && ctx.period.end >= monthEnd)
    return { ...window, end: monthEnd };
  return window;
}
