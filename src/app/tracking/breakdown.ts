import type { Db } from '../../db/connect.ts';
import type { Dimension } from '../../db/schema.ts';
import { subtreeMembers, type TargetDim } from '../../db/tracking.ts';
import { AppError } from '../../domain/errors.ts';
import { attainment, structureShare } from '../../domain/tracking/index.ts';
import { actualsIn } from './actuals.ts';
import { elapsedWindow, filterOut, readWindow, sourceOf, type TrackingContext } from './context.ts';
import type { Breakdown } from './types.ts';
import {
  loadTargetPlan,
  ownerMonthTargets,
  heldMonths,
  monthsPlacedWithin,
  ownersTargetMonths,
  rangeTarget,
  type TargetPlan,
} from './targets.ts';

export type BreakdownBy = Breakdown['by'];
type Names = { nameZh: string; nameEn: string };

const LIFECYCLE_NAMES: Record<string, Names> = {
  '': { nameZh: '未区分', nameEn: 'Unassigned' },
  new: { nameZh: '新客户', nameEn: 'New customers' },
  existing: { nameZh: '老客户', nameEn: 'Existing customers' },
  referral: { nameZh: '转介绍', nameEn: 'Referrals' },
};
const NONE: Names = { nameZh: '未分配', nameEn: 'None' };

/**
 * Structure 结构占比 (METHOD §4): the actual to date split by a dimension, each part's share of
 * the whole (largest remainder, exactly 100.00%) and, where the plan has targets by that
 * dimension, each part's target and target share ("product A 20% vs 40% target").
 */
export async function buildBreakdown(
  db: Db,
  ctx: TrackingContext,
  by: BreakdownBy,
): Promise<Breakdown> {
  const { node, period, asOf, metric } = ctx;
  if (node.type === 'member' && by === 'child_unit') {
    throw new AppError('TRACKING_NEEDS_UNIT');
  }
  const window = readWindow(ctx, elapsedWindow(period, asOf), by);
  const [sales, plan] = await Promise.all([
    actualsIn(db, sourceOf(ctx), window, by),
    loadTargetPlan(db, metric, period, ctx.fiscalStartMonth, ctx.calendar),
  ]);
  let actualOf = new Map(sales.rows.map((r) => [String(r.key), r.value]));
  let targetOf = await targetsBy(db, ctx, plan, by);
  if (by === 'product_line') {
    // Facts sit on the sub-lines, plans split by the lines: both are shown at the top level.
    const rootOf = await productLineRoots(db);
    actualOf = foldKeys(actualOf, rootOf);
    targetOf = foldKeys(targetOf, rootOf);
  }
  if (ctx.filter && by === ctx.filter.dim) {
    // Filtered to one member of the dimension it is split by: that member's row only.
    for (const k of [...targetOf.keys()]) if (k !== ctx.filter.key) targetOf.delete(k);
  }
  if (by === 'child_unit' || by === 'member') {
    // Every child unit / member of the node is a row, with or without sales.
    for (const key of targetOf.keys()) if (!actualOf.has(key)) actualOf.set(key, 0);
  }
  const keys = [...new Set([...actualOf.keys(), ...targetOf.keys()])];
  const names = await namesOf(db, ctx, by, keys);
  const hasTargets = [...targetOf.values()].some((t) => t !== null);
  const actualShares = new Map(
    structureShare(keys.map((key) => ({ key, amount: Math.max(0, actualOf.get(key) ?? 0) }))).map(
      (s) => [s.key, s.shareBp],
    ),
  );
  const targetShares = new Map(
    structureShare(keys.map((key) => ({ key, amount: targetOf.get(key) ?? 0 }))).map((s) => [
      s.key,
      s.shareBp,
    ]),
  );
  const rows = keys.map((key) => {
    const actual = actualOf.get(key) ?? 0;
    const target = hasTargets ? (targetOf.get(key) ?? 0) : null;
    return {
      key,
      id: by === 'lifecycle' ? null : Number(key),
      ...(names.get(key) ?? NONE),
      actual,
      target,
      attainmentBp: target === null ? null : attainment(actual, target),
      shareBp: actualShares.get(key) ?? 0,
      targetShareBp: hasTargets ? (targetShares.get(key) ?? 0) : null,
    };
  });
  rows.sort(
    (a, b) =>
      b.actual - a.actual ||
      (b.target ?? 0) - (a.target ?? 0) ||
      (a.key < b.key ? -1 : a.key > b.key ? 1 : 0),
  );
  return {
    node: { type: node.type, id: node.id, nameZh: node.nameZh, nameEn: node.nameEn },
    period: { id: period.id, start: period.start, end: period.end },
    asOf,
    metric,
    filter: filterOut(ctx),
    by,
    total: sales.total,
    rows,
  };
}

/** Target per row key over the whole period, or an empty map when the plan has none by `by`. */
async function targetsBy(
  db: Db,
  ctx: TrackingContext,
  plan: TargetPlan,
  by: BreakdownBy,
): Promise<Map<string, number | null>> {
  const { node, filter } = ctx;
  const out = new Map<string, number | null>();
  const put = (months: Map<string, Map<string, number>>, keys?: readonly number[]) => {
    for (const k of keys ?? []) out.set(String(k), null);
    for (const [key, m] of months) out.set(key, (out.get(key) ?? 0) + rangeTarget(plan, m));
  };
  if (by === 'child_unit' || by === 'member') {
    const owners =
      by === 'child_unit'
        ? (
            await db
              .selectFrom('org_units')
              .select(['id', 'path'])
              .where('parent_id', '=', node.id)
              .execute()
          ).map((c) => ({ type: 'unit' as const, id: c.id, path: c.path }))
        : (node.type === 'member'
            ? [node.id]
            : (await subtreeMembers(db, node.path ?? '', ctx.period.start, ctx.period.end)).map(
                (m) => m.id,
              )
          ).map((id) => ({ type: 'member' as const, id, path: null }));
    const planned = await ownersTargetMonths(
      db,
      plan,
      owners,
      filter ? { dim: filter.dim, key: filter.key } : null,
      ctx.period,
    );
    // Members count the months the plan puts in this unit (or, for a member read within a
    // manager's subtrees, in those): see monthsPlacedWithin.
    const within =
      by !== 'member'
        ? undefined
        : node.type === 'unit'
          ? node.path === null
            ? undefined
            : [node.path]
          : 'within' in node.owner
            ? node.owner.within
            : undefined;
    const months = within ? await monthsPlacedWithin(db, plan, within, planned) : planned;
    for (const o of owners) out.set(String(o.id), null);
    for (const [id, m] of months) {
      if (m === undefined) continue;
      out.set(String(id), rangeTarget(plan, m));
    }
    return out;
  }
  // The plan has no cells split by two dimensions: a slice broken down by another has no targets.
  if (filter && filter.dim !== by) return out;
  const dim: TargetDim = by;
  const own = await ownerMonthTargets(db, plan, node.type, [node.id], dim);
  if (own.size > 0 || node.type === 'member') {
    const held = new Map<string, Map<string, number>>();
    for (const [key, m] of own) held.set(key, await heldMonths(db, plan, node.owner, m));
    put(held);
    return out;
  }
  // A cascade puts dimension cells on the members; a unit without its own then sums its members'.
  const members = await subtreeMembers(db, node.path ?? '', ctx.period.start, ctx.period.end);
  put(
    await ownerMonthTargets(
      db,
      plan,
      'member',
      members.map((m) => m.id),
      dim,
    ),
  );
  return out;
}

/** Product line id → the id of its top-level line (the first id of its path). */
async function productLineRoots(db: Db): Promise<Map<string, string>> {
  const rows = await db.selectFrom('product_lines').select(['id', 'path']).execute();
  return new Map(
    rows.map((r) => [String(r.id), r.path.split('/').filter(Boolean)[0] ?? String(r.id)]),
  );
}

function foldKeys<V extends number | null>(
  values: ReadonlyMap<string, V>,
  rootOf: ReadonlyMap<string, string>,
): Map<string, V> {
  const out = new Map<string, V>();
  for (const [k, v] of values) {
    const root = rootOf.get(k) ?? k;
    const cur = out.get(root);
    out.set(root, (v === null ? (cur ?? null) : (cur ?? 0) + v) as V);
  }
  return out;
}

const DIMENSION_OF: Partial<Record<BreakdownBy, Dimension>> = {
  channel: 'channel',
  region: 'region',
  segment: 'segment',
};

async function namesOf(
  db: Db,
  ctx: TrackingContext,
  by: BreakdownBy,
  keys: readonly string[],
): Promise<Map<string, Names>> {
  if (by === 'lifecycle')
    return new Map(keys.map((k) => [k, LIFECYCLE_NAMES[k] ?? { nameZh: k, nameEn: k }]));
  const ids = keys.map(Number).filter((id) => id > 0);
  if (ids.length === 0) return new Map();
  let rows: { id: number; name_zh: string; name_en: string }[];
  if (by === 'product_line') {
    rows = await db
      .selectFrom('product_lines')
      .select(['id', 'name_zh', 'name_en'])
      .where('id', 'in', ids)
      .execute();
  } else if (by === 'child_unit') {
    rows = await db
      .selectFrom('org_units')
      .select(['id', 'name_zh', 'name_en'])
      .where('id', 'in', ids)
      .execute();
  } else if (by === 'member') {
    rows = await db
      .selectFrom('members')
      .select(['id', 'name_zh', 'name_en'])
      .where('id', 'in', ids)
      .execute();
  } else {
    const dimension = DIMENSION_OF[by] ?? 'channel';
    rows = await db
      .selectFrom('dimension_members')
      .select(['id', 'name_zh', 'name_en'])
      .where('dimension', '=', dimension)
      .where('id', 'in', ids)
      .execute();
  }
  const out = new Map(rows.map((r) => [String(r.id), { nameZh: r.name_zh, nameEn: r.name_en }]));
  // The unit's own sales (not through a child unit) appear under the unit itself.
  if (by === 'child_unit' && out.has(String(ctx.node.id))) {
    out.set(String(ctx.node.id), {
      nameZh: `${ctx.node.nameZh}（直属）`,
      nameEn: `${ctx.node.nameEn} (direct)`,
    });
  }
  return out;
}
