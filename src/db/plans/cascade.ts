import { sql, type Kysely, type SqlBool, type Transaction } from 'kysely';
import { allocate, allocator } from '../../domain/allocation.ts';
import { AppError } from '../../domain/errors.ts';
import { periodRange } from '../../domain/periods.ts';
import { retimeChildren } from '../../domain/planning/blended-seasonality.ts';
import {
  decompose,
  type DecomposeNode,
  type SplitMethod,
} from '../../domain/planning/decompose.ts';
import type { Database } from '../schema.ts';
import { assumptionsFromLenses, memberCapacity, type CapacityAssumptions } from './capacity.ts';
import { cellByKey, insertCells, isFrozenPeriod, type NewCell } from './cells.ts';
import { describeKey, periodMonths, type SplitContext } from './decompose-cell.ts';
import { keyOfRow, keyText, NO_DIMS, ownerRef, type CellKey } from './keys.ts';
import { loadOrg, type MemberInfo, type OrgSnapshot } from './org.ts';
import { deleteOrphanSplits, insertSplits, splitIdentity, type NewSplit } from './splits.ts';
import { splitYearForPlan, type TimeInputs } from './time-axis.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface CascadeRequest {
  /** The company root's fiscal-year cell. */
  parent: CellKey;
  time: { method: string; inputs: TimeInputs };
  /** How every unit's month is split down the org: the same method at every level. */
  org: {
    method: 'even' | 'weights' | 'history' | 'capacity';
    inputs: Record<string, unknown>;
    /**
     * Each unit's own seasonal shape (unit id → one weight per fiscal month, e.g. its history
     * blended toward its parent's): the org method still decides every unit's year, and the
     * months of each unit's year follow its shape instead of its parent's (`retimeChildren`).
     * Absent: every unit inherits the company's months.
     */
    unitShapes?: ReadonlyMap<number, readonly number[]>;
  };
  /** Optional last level: each member's month over the top-level product lines. */
  productLines?: { method: 'even' | 'weights' | 'history'; inputs: Record<string, unknown> };
}

export interface CascadeResult {
  months: { period: string; value: number }[];
  cellsWritten: number;
  splitsWritten: number;
}

/** Rows per round trip while streaming the leaves (splits, then their cells). */
const LEAF_BATCH = 500;

/**
 * The whole plan in one call (METHOD §3): the root's year over months, then every month down the
 * org tree — units, then the members who belong to each team that month — and optionally each
 * member's month over product lines. Set-based: the numbers are computed in memory by the domain
 * (`splitYear`, `decompose`) and written in large chunks inside the caller's transaction; the same
 * statements run on SQLite and PostgreSQL. Locked cells keep their value (siblings absorb the rest),
 * key strategies (notes) survive, and the frozen months of a revision are left untouched.
 */
export async function cascadePlan(
  q: Q,
  ctx: SplitContext,
  req: CascadeRequest,
): Promise<CascadeResult> {
  const root = await cellByKey(q, ctx.versionId, ctx.metricId, req.parent);
  if (!root) throw new AppError('PLAN_CELL_MISSING', { key: describeKey(req.parent) });
  const { range } = periodMonths(req.parent.period, ctx.fiscalStartMonth);
  const org = await loadOrg(q, range);
  if (
    req.parent.ownerType !== 'unit' ||
    req.parent.ownerId !== org.root.id ||
    keyText(req.parent) !== keyText({ ...req.parent, ...NO_DIMS })
  ) {
    throw new AppError('PLANNING_INVALID', {
      reason: 'a cascade starts from the company root’s fiscal-year cell',
    });
  }

  // What survives a rebuild: locks and key strategies (by key), and everything in frozen months.
  const kept = new Map<string, { value: number; locked: boolean; note: string | null }>();
  const keptRows = await q
    .selectFrom('target_cells')
    .selectAll()
    .where('version_id', '=', ctx.versionId)
    .where('metric_id', '=', ctx.metricId)
    .where((eb) => eb.or([eb('locked', '=', 1), eb('note', 'is not', null)]))
    .execute();
  for (const r of keptRows)
    kept.set(keyText(keyOfRow(r)), { value: r.value, locked: r.locked === 1, note: r.note });
  const frozenMonths = new Map<string, number>();
  if (ctx.frozenBefore) {
    const rows = await q
      .selectFrom('target_cells')
      .select(['period', 'value'])
      .where('version_id', '=', ctx.versionId)
      .where('metric_id', '=', ctx.metricId)
      .where('owner_type', '=', 'unit')
      .where('owner_id', '=', org.root.id)
      .where('product_line_id', '=', 0)
      .where('region_id', '=', 0)
      .where('segment_id', '=', 0)
      .where('channel_id', '=', 0)
      .where('lifecycle', '=', '')
      .where('period', '<', ctx.frozenBefore)
      .execute();
    for (const r of rows) frozenMonths.set(r.period, r.value);
  }

  // Most cascades keep nothing (a fresh plan): skip building a key text for millions of cells.
  const keptOf = (k: CellKey) => (kept.size === 0 ? undefined : kept.get(keyText(k)));
  const lockOf = (k: CellKey): number | undefined => {
    const e = keptOf(k);
    return e?.locked ? e.value : undefined;
  };
  const timeLocks: Record<string, number> = {};
  const { months: fyMonths } = periodMonths(req.parent.period, ctx.fiscalStartMonth);
  for (const m of fyMonths) {
    const frozen = isFrozenPeriod(m, ctx.frozenBefore);
    const l = frozen ? (frozenMonths.get(m) ?? 0) : lockOf({ ...req.parent, period: m });
    if (l !== undefined) timeLocks[m] = l;
  }
  const assumptions = (): CapacityAssumptions | null => {
    const p = req.org.inputs.productivity as CapacityAssumptions['productivity'] | undefined;
    return p ? { productivity: p } : assumptionsFromLenses(ctx.lensesJson);
  };
  const time = await splitYearForPlan(q, {
    total: root.value,
    period: req.parent.period,
    fiscalStartMonth: ctx.fiscalStartMonth,
    method: req.time.method,
    inputs: req.time.inputs,
    locks: timeLocks,
    capacity: () => ({ org, assumptions: assumptions() }),
  });

  // Clear everything below the root except the frozen past (one statement; splits follow at the end).
  await q
    .deleteFrom('target_cells')
    .where('version_id', '=', ctx.versionId)
    .where('metric_id', '=', ctx.metricId)
    .where('id', '!=', root.id)
    .where((eb) => (ctx.frozenBefore ? eb('period', '>=', ctx.frozenBefore) : sql<SqlBool>`1 = 1`))
    .execute();

  const at = ctx.now.toISOString();
  const newSplit = (
    parentKey: string,
    axis: NewSplit['axis'],
    method: string,
    inputs: unknown,
  ): NewSplit => ({
    versionId: ctx.versionId,
    metricId: ctx.metricId,
    parentKey,
    axis,
    method,
    inputs,
    userId: ctx.userId,
    at,
  });
  const cell = (k: CellKey, value: number, splitId: number | null): NewCell => {
    const e = keptOf(k);
    return {
      versionId: ctx.versionId,
      metricId: ctx.metricId,
      key: k,
      value,
      splitId,
      locked: e?.locked ?? false,
      note: e?.note ?? null,
    };
  };
  let cellsWritten = 0;
  let splitsWritten = 0;

  const rootText = keyText(req.parent);
  const timeIds = await insertSplits(q, [
    newSplit(rootText, 'time', req.time.method, { ...req.time.inputs, ...time.profile }),
  ]);
  splitsWritten += 1;
  const timeSplitId = timeIds.get(splitIdentity(rootText, 'time')) ?? null;
  if (ctx.frozenBefore && timeSplitId !== null) {
    // The frozen months stay as they were but now belong to this split, so the root keeps one time split.
    await q
      .updateTable('target_cells')
      .set({ split_id: timeSplitId })
      .where('version_id', '=', ctx.versionId)
      .where('metric_id', '=', ctx.metricId)
      .where('owner_type', '=', 'unit')
      .where('owner_id', '=', org.root.id)
      .where(
        'period',
        'in',
        fyMonths.filter((m) => isFrozenPeriod(m, ctx.frozenBefore)).concat(['']),
      )
      .where('product_line_id', '=', 0)
      .where('region_id', '=', 0)
      .where('segment_id', '=', 0)
      .where('channel_id', '=', 0)
      .where('lifecycle', '=', '')
      .execute();
  }
  const openMonths = time.months
    .map((m, i) => ({ month: m, value: time.values[i] ?? 0 }))
    .filter((m) => !isFrozenPeriod(m.month, ctx.frozenBefore));
  await insertCells(
    q,
    openMonths.map((m) => cell({ ...req.parent, period: m.month }, m.value, timeSplitId)),
  );
  cellsWritten += openMonths.length;

  const capacity =
    req.org.method === 'capacity'
      ? memberCapacity([...org.members.values()], fyMonths, assumptions())
      : null;
  const lines =
    req.productLines === undefined
      ? []
      : await q
          .selectFrom('product_lines')
          .select(['id'])
          .where('parent_id', 'is', null)
          .orderBy('sort_order')
          .orderBy('code')
          .execute();

  // Each member-month over the product lines. Without locks every member uses the same weights,
  // so one exact allocator serves them all; a member with locked lines goes through `decompose`.
  const plWeightOf = (id: number): number => {
    const pl = req.productLines;
    if (!pl || pl.method === 'even') return 1;
    const w = (pl.inputs.weights ?? pl.inputs.history) as Record<string, number> | undefined;
    return w?.[String(id)] ?? 0;
  };
  const plMethod: SplitMethod = req.productLines?.method ?? 'even';
  const plWeights = lines.map((l) => plWeightOf(l.id));
  // Bad weights take the `decompose` path, which names the offending node in its error.
  const plAllocate =
    plWeights.length > 0 && plWeights.every((w) => Number.isFinite(w) && w >= 0)
      ? allocator(plWeights)
      : null;
  const splitProductLines = (parentKey: CellKey, total: number): readonly number[] => {
    const locks = lines.map((l) => lockOf({ ...parentKey, productLineId: l.id }));
    if (plAllocate && locks.every((l) => l === undefined)) {
      if (total !== 0 && plWeights.every((w) => w === 0))
        throw new AppError('DECOMPOSE_NO_WEIGHT', { parentId: 'p', method: plMethod });
      return plAllocate(total);
    }
    const lr = decompose({
      total,
      nodes: [
        { id: 'p', parentId: null },
        ...lines.map((l, j) => {
          const n: DecomposeNode = { id: String(l.id), parentId: 'p' };
          if (plMethod === 'weights') n.weight = plWeightOf(l.id);
          if (plMethod === 'history') n.history = plWeightOf(l.id);
          const lk = locks[j];
          if (lk !== undefined) n.locked = lk;
          return n;
        }),
      ],
      methods: [plMethod],
    });
    return lines.map((l) => lr.values[String(l.id)] ?? 0);
  };

  // First every month down the org in memory, then (own shapes) re-timed, then written.
  const perMonth = openMonths.map(({ month, value }) => {
    const monthIndex = fyMonths.indexOf(month);
    const tree = orgTreeForMonth(org, month);
    const nodes: DecomposeNode[] = [];
    const leafCount = new Map<string, number>();
    const countLeaves = (id: string): number => {
      const kids = tree.children.get(id) ?? [];
      const n =
        kids.length === 0
          ? id.startsWith('member:')
            ? 1
            : 0
          : kids.reduce((a, k) => a + countLeaves(k), 0);
      leafCount.set(id, n);
      return n;
    };
    const capOf = (id: string): number => {
      const kids = tree.children.get(id) ?? [];
      if (kids.length > 0) return kids.reduce((a, k) => a + capOf(k), 0);
      if (!id.startsWith('member:')) return 0;
      return capacity?.get(Number(id.slice(7)))?.[monthIndex] ?? 0;
    };
    const rootId = ownerRef({ ownerType: 'unit', ownerId: org.root.id });
    countLeaves(rootId);
    const perChild = (req.org.inputs.weights ?? req.org.inputs.history) as
      Record<string, number> | undefined;
    const method: SplitMethod = req.org.method === 'even' ? 'weights' : req.org.method;
    for (const [id, parentId] of tree.parent) {
      const k = keyFromRef(id, month);
      const node: DecomposeNode = { id, parentId };
      if (parentId !== null) {
        if (req.org.method === 'even') node.weight = leafCount.get(id) ?? 0;
        else if (req.org.method === 'capacity') node.capacity = capOf(id);
        else if (req.org.method === 'weights') node.weight = perChild?.[id] ?? 0;
        else node.history = perChild?.[id] ?? 0;
        const l = lockOf(k);
        if (l !== undefined) node.locked = l;
      }
      nodes.push(node);
    }
    // The same method at every level of the tree.
    const r = decompose({ total: value, nodes, methods: nodes.map(() => method) });
    return { month, tree, r };
  });
  const shapes = req.org.unitShapes;
  if (shapes) {
    if (
      keptRows.some(
        (k) => k.locked === 1 && !(k.owner_type === 'unit' && k.owner_id === org.root.id),
      )
    )
      throw new AppError('PLANNING_INVALID', {
        reason:
          'own seasonality per unit cannot keep locked cells yet: unlock them or use the company’s',
      });
    retimeUnits(org, perMonth, shapes, fyMonths);
  }

  for (const { month, tree, r } of perMonth) {
    // One org split per parent with children, then the cells pointing at them.
    const splits: NewSplit[] = [];
    for (const [id, kids] of tree.children) {
      if (kids.length === 0) continue;
      splits.push(
        newSplit(
          keyText(keyFromRef(id, month)),
          'org',
          req.org.method,
          shapes
            ? // Re-timed: the month's shares are what each unit's own shape made of its year.
              {
                seasonality: 'own',
                weights: Object.fromEntries(kids.map((kid) => [kid, r.values[kid] ?? 0])),
              }
            : {
                ...(req.org.method === 'even' ? { basis: 'members' } : {}),
                weights: Object.fromEntries(
                  kids.map((kid) => [kid, r.provenance[kid]?.weight ?? 0]),
                ),
              },
        ),
      );
    }
    const ids = await insertSplits(q, splits);
    splitsWritten += splits.length;
    const orgCells: NewCell[] = [];
    for (const [id, parentId] of tree.parent) {
      if (parentId === null) continue;
      const splitId = ids.get(splitIdentity(keyText(keyFromRef(parentId, month)), 'org')) ?? null;
      orgCells.push(cell(keyFromRef(id, month), r.values[id] ?? 0, splitId));
    }
    await insertCells(q, orgCells);
    cellsWritten += orgCells.length;

    if (req.productLines && lines.length > 0) {
      const pl = req.productLines;
      const leaves = [...tree.parent.keys()].filter((id) => id.startsWith('member:'));
      for (let i = 0; i < leaves.length; i += LEAF_BATCH) {
        const batch = leaves.slice(i, i + LEAF_BATCH);
        const plSplits: NewSplit[] = [];
        const parents: { key: CellKey; text: string; values: readonly number[] }[] = [];
        for (const leaf of batch) {
          const key = keyFromRef(leaf, month);
          const text = keyText(key);
          const total = r.values[leaf] ?? 0;
          parents.push({ key, text, values: splitProductLines(key, total) });
          plSplits.push(newSplit(text, 'product_line', pl.method, pl.inputs));
        }
        const plIds = await insertSplits(q, plSplits);
        splitsWritten += plSplits.length;
        const plCells: NewCell[] = [];
        for (const p of parents) {
          const splitId = plIds.get(splitIdentity(p.text, 'product_line')) ?? null;
          lines.forEach((l, j) =>
            plCells.push(cell({ ...p.key, productLineId: l.id }, p.values[j] ?? 0, splitId)),
          );
        }
        await insertCells(q, plCells);
        cellsWritten += plCells.length;
      }
    }
  }
  await deleteOrphanSplits(q, ctx.versionId, ctx.metricId);
  return {
    months: time.months.map((m, i) => ({ period: m, value: time.values[i] ?? 0 })),
    cellsWritten,
    splitsWritten,
  };
}

type MonthTree = ReturnType<typeof orgTreeForMonth>;

/**
 * Re-times the org split month by month so every unit's months follow its own shape: top-down,
 * the sub-units of a unit keep their years (what the org method gave them over the open months)
 * and share the unit's (re-timed) months by `retimeChildren`; the members of a team then share
 * its re-timed month in proportion to what the org method gave them that month. In place.
 */
function retimeUnits(
  org: OrgSnapshot,
  perMonth: { tree: MonthTree; r: { values: Record<string, number> }; month: string }[],
  shapes: ReadonlyMap<number, readonly number[]>,
  fyMonths: readonly string[],
): void {
  const open = perMonth.map((pm) => fyMonths.indexOf(pm.month));
  const ref = (id: number) => ownerRef({ ownerType: 'unit', ownerId: id });
  const walk = (unitId: number, months: number[]) => {
    const self = ref(unitId);
    perMonth.forEach((pm, j) => (pm.r.values[self] = months[j] ?? 0));
    const subs = org.childUnits(unitId);
    if (subs.length === 0) {
      perMonth.forEach((pm, j) => {
        const members = pm.tree.children.get(self) ?? [];
        if (members.length === 0) return;
        const given = members.map((m) => pm.r.values[m] ?? 0);
        const weights = given.some((g) => g > 0) ? given : members.map(() => 1);
        const parts = allocate(months[j] ?? 0, weights);
        members.forEach((m, i) => (pm.r.values[m] = parts[i] ?? 0));
      });
      return;
    }
    const totals = subs.map((u) =>
      perMonth.reduce((a, pm) => a + (pm.r.values[ref(u.id)] ?? 0), 0),
    );
    const cells = retimeChildren({
      childTotals: totals,
      parentMonths: months,
      shapes: subs.map((u) => {
        const shape = shapes.get(u.id);
        return open.map((i) => (shape ? (shape[i] ?? 0) : 1));
      }),
    });
    subs.forEach((u, i) => walk(u.id, cells[i] ?? []));
  };
  walk(
    org.root.id,
    perMonth.map((pm) => pm.r.values[ref(org.root.id)] ?? 0),
  );
}

function keyFromRef(ref: string, period: string): CellKey {
  const [type, id] = ref.split(':');
  return {
    ownerType: type === 'member' ? 'member' : 'unit',
    ownerId: Number(id),
    period,
    ...NO_DIMS,
  };
}

/**
 * The org of one month as a tree of refs: units under units, and under every unit without
 * sub-units the members who belong to it that month. A member who changes teams during the month
 * counts for the team they are in on its first day (or the first team they join in it).
 */
function orgTreeForMonth(
  org: OrgSnapshot,
  month: string,
): { parent: Map<string, string | null>; children: Map<string, string[]> } {
  const range = periodRange(month);
  const parent = new Map<string, string | null>();
  const children = new Map<string, string[]>();
  const placed = new Set<number>();
  const add = (id: string, p: string | null) => {
    parent.set(id, p);
    children.set(id, []);
    if (p !== null) children.get(p)?.push(id);
  };
  const homeOf = new Map<number, number>();
  for (const m of org.memberships) {
    if (m.start > range.end || (m.end !== null && m.end <= range.start)) continue;
    const activeOnFirst = m.start <= range.start;
    if (!homeOf.has(m.memberId) || activeOnFirst) homeOf.set(m.memberId, m.unitId);
  }
  const visit = (unitId: number, p: string | null) => {
    const id = ownerRef({ ownerType: 'unit', ownerId: unitId });
    add(id, p);
    const subs = org.childUnits(unitId);
    for (const s of subs) visit(s.id, id);
    if (subs.length === 0) {
      for (const m of org.membersOf(unitId, range) as MemberInfo[]) {
        if (homeOf.get(m.id) !== unitId || placed.has(m.id)) continue;
        placed.add(m.id);
        add(ownerRef({ ownerType: 'member', ownerId: m.id }), id);
      }
    }
  };
  visit(org.root.id, null);
  return { parent, children };
}
