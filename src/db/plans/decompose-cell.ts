import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import {
  monthsOfFiscalYear,
  parsePeriod,
  periodRange,
  type DateRange,
} from '../../domain/periods.ts';
import {
  decompose,
  type DecomposeNode,
  type SplitMethod,
} from '../../domain/planning/decompose.ts';
import type { Database, Lifecycle } from '../schema.ts';
import { assumptionsFromLenses, memberCapacity, type CapacityAssumptions } from './capacity.ts';
import {
  cellByKey,
  cellsByKeys,
  cellsOfSplits,
  deleteCells,
  insertCells,
  isFrozenPeriod,
  updateCells,
  type CellRow,
  type CellUpdate,
  type NewCell,
} from './cells.ts';
import { keyOfRow, keyText, ownerRef, withDims, type CellKey } from './keys.ts';
import { loadOrg, type MemberInfo, type OrgSnapshot } from './org.ts';
import { respreadBelow } from './rebalance.ts';
import { insertSplits, splitIdentity, splitsOfParents, type Axis } from './splits.ts';
import { splitYearForPlan, type TimeInputs } from './time-axis.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface SplitContext {
  versionId: number;
  metricId: number;
  frozenBefore: string | null;
  fiscalStartMonth: number;
  /** `plan_versions.lenses`: the capacity split reads productivity by tier from it. */
  lensesJson: string;
  userId: number;
  now: Date;
}

/**
 * Inputs of a split on any axis but time. Per-child maps are keyed by the child's reference:
 * 'unit:12' / 'member:5' on the org axis, the product line / region / segment / channel id as text,
 * or 'new' | 'existing' | 'referral' for the customer lifecycle.
 */
export interface SplitInputs extends Omit<TimeInputs, 'history'> {
  weights?: Record<string, number>;
  /** Time axis: [{ month, amount }]; other axes: last period's actual per child. */
  history?: TimeInputs['history'] | Record<string, number>;
  capacity?: Record<string, number>;
  values?: Record<string, number>;
  productivity?: CapacityAssumptions['productivity'];
  rampCurve?: number[];
  /** Org axis: split a unit over its sub-units and also its direct members (default: sub-units only). */
  includeDirectMembers?: boolean;
}

export interface DecomposeCellRequest {
  parent: CellKey;
  axis: Axis;
  method: string;
  inputs: Record<string, unknown>;
}

export interface WrittenChild {
  cellId: number;
  ref: string;
  key: CellKey;
  value: number;
  locked: boolean;
}

export interface DecomposeCellResult {
  splitId: number;
  parentCellId: number;
  parentValue: number;
  children: WrittenChild[];
  /** Cells below the children re-spread so that every level still sums exactly. */
  respread: number;
}

interface ChildSpec {
  ref: string;
  key: CellKey;
}

const LIFECYCLES: Lifecycle[] = ['new', 'existing', 'referral'];

export function periodMonths(
  period: string,
  fiscalStartMonth: number,
): { range: DateRange; months: string[] } {
  const p = parsePeriod(period);
  const range = periodRange(p, fiscalStartMonth);
  if (p.kind === 'year') return { range, months: monthsOfFiscalYear(p.year, fiscalStartMonth) };
  if (p.kind === 'month') return { range, months: [p.id] };
  if (p.kind === 'quarter') {
    const all = monthsOfFiscalYear(p.year, fiscalStartMonth);
    return { range, months: all.slice((p.quarter - 1) * 3, p.quarter * 3) };
  }
  throw new AppError('PLANNING_INVALID', {
    reason: `targets are set per year, quarter or month, not ${period}`,
  });
}

/** Members of a unit's whole subtree during a range (each once). */
export function subtreeMembers(org: OrgSnapshot, unitId: number, range: DateRange): MemberInfo[] {
  const seen = new Map<number, MemberInfo>();
  const stack = [unitId];
  while (stack.length > 0) {
    const id = stack.pop() ?? 0;
    for (const m of org.membersOf(id, range)) seen.set(m.id, m);
    for (const c of org.childUnits(id)) stack.push(c.id);
  }
  return [...seen.values()];
}

async function childrenOf(
  q: Q,
  ctx: SplitContext,
  parent: CellKey,
  axis: Exclude<Axis, 'time'>,
  inputs: SplitInputs,
  org: () => Promise<OrgSnapshot>,
): Promise<ChildSpec[]> {
  const invalid = (reason: string) => new AppError('PLANNING_INVALID', { reason });
  const same = (dims: Partial<CellKey>): CellKey => ({ ...parent, ...dims });
  switch (axis) {
    case 'org': {
      if (parent.ownerType !== 'unit')
        throw invalid('only a unit is split over the org; a member is a leaf');
      const o = await org();
      const { range } = periodMonths(parent.period, ctx.fiscalStartMonth);
      const units = o.childUnits(parent.ownerId);
      const members =
        units.length === 0 || inputs.includeDirectMembers ? o.membersOf(parent.ownerId, range) : [];
      return [
        ...units.map((u) => ({
          ref: ownerRef({ ownerType: 'unit', ownerId: u.id }),
          key: same({ ownerType: 'unit', ownerId: u.id }),
        })),
        ...members.map((m) => ({
          ref: ownerRef({ ownerType: 'member', ownerId: m.id }),
          key: same({ ownerType: 'member', ownerId: m.id }),
        })),
      ];
    }
    case 'product_line': {
      let sel = q.selectFrom('product_lines').select(['id']).orderBy('sort_order').orderBy('code');
      sel =
        parent.productLineId === 0
          ? sel.where('parent_id', 'is', null)
          : sel.where('parent_id', '=', parent.productLineId);
      const rows = await sel.execute();
      return rows.map((r) => ({ ref: String(r.id), key: same({ productLineId: r.id }) }));
    }
    case 'region':
    case 'segment':
    case 'channel': {
      const field = axis === 'region' ? 'regionId' : axis === 'segment' ? 'segmentId' : 'channelId';
      if (parent[field] !== 0) throw invalid(`the parent is already split by ${axis}`);
      const rows = await q
        .selectFrom('dimension_members')
        .select(['id'])
        .where('dimension', '=', axis)
        .orderBy('sort_order')
        .orderBy('code')
        .execute();
      return rows.map((r) => ({ ref: String(r.id), key: same({ [field]: r.id }) }));
    }
    case 'lifecycle':
      if (parent.lifecycle !== '') throw invalid('the parent is already split by lifecycle');
      return LIFECYCLES.map((l) => ({ ref: l, key: same({ lifecycle: l }) }));
  }
}

/**
 * Splits one parent cell over one axis (METHOD §3) and writes the children: previous children of
 * that parent on that axis are replaced, locked ones are kept as locks (their siblings absorb the
 * difference), frozen months of a revision stay as they were. Records the split (method, inputs and
 * the weight each child entered with) and points every child at it — the provenance `why` reads.
 * Cells below re-spread so the whole tree keeps summing exactly.
 */
export async function decomposeCell(
  q: Q,
  ctx: SplitContext,
  req: DecomposeCellRequest,
): Promise<DecomposeCellResult> {
  const parentRow = await cellByKey(q, ctx.versionId, ctx.metricId, req.parent);
  if (!parentRow) throw new AppError('PLAN_CELL_MISSING', { key: describeKey(req.parent) });
  const parentText = keyText(req.parent);
  const inputs = req.inputs as SplitInputs;
  let orgCache: OrgSnapshot | undefined;
  const { range } = periodMonths(req.parent.period, ctx.fiscalStartMonth);
  const org = async () => (orgCache ??= await loadOrg(q, range));

  const oldSplits = await splitsOfParents(q, ctx.versionId, ctx.metricId, [parentText], req.axis);
  const oldChildren = await cellsOfSplits(
    q,
    oldSplits.map((s) => s.id),
  );

  let specs: ChildSpec[];
  if (req.axis === 'time') {
    const { months } = periodMonths(req.parent.period, ctx.fiscalStartMonth);
    specs = months.map((m) => ({ ref: m, key: { ...req.parent, period: m } }));
  } else {
    if (isFrozenPeriod(req.parent.period, ctx.frozenBefore)) {
      throw new AppError('PLAN_PERIOD_FROZEN', {
        period: req.parent.period,
        frozenBefore: ctx.frozenBefore ?? '',
      });
    }
    specs = await childrenOf(q, ctx, req.parent, req.axis, inputs, org);
  }
  const existing = await cellsByKeys(
    q,
    ctx.versionId,
    ctx.metricId,
    specs.map((s) => s.key),
  );
  // Locked children that no longer belong (a member who left) stay, as locks: their value is kept.
  const specTexts = new Set(specs.map((s) => keyText(s.key)));
  for (const old of oldChildren) {
    const t = keyText(keyOfRow(old));
    if (old.locked === 1 && !specTexts.has(t)) {
      specs.push({ ref: refOf(req.axis, keyOfRow(old)), key: keyOfRow(old) });
      existing.set(t, old);
    }
  }
  if (specs.length === 0)
    throw new AppError('PLANNING_INVALID', {
      reason: `nothing to split ${describeKey(req.parent)} over by ${req.axis}`,
    });

  const lockOf = (s: ChildSpec): number | undefined => {
    const e = existing.get(keyText(s.key));
    if (req.axis === 'time' && isFrozenPeriod(s.key.period, ctx.frozenBefore)) return e?.value ?? 0;
    return e && e.locked === 1 ? e.value : undefined;
  };

  let values: number[];
  let weights: Record<string, number> | undefined;
  let profile: Record<string, unknown> = {};
  if (req.axis === 'time') {
    const locks: Record<string, number> = {};
    for (const s of specs) {
      const l = lockOf(s);
      if (l !== undefined) locks[s.key.period] = l;
    }
    const orgForTime = req.method === 'capacity' ? await org() : undefined;
    const split = await splitYearForPlan(q, {
      total: parentRow.value,
      period: req.parent.period,
      fiscalStartMonth: ctx.fiscalStartMonth,
      method: req.method,
      inputs: inputs as TimeInputs,
      locks,
      capacity: () => {
        if (!orgForTime) throw new AppError('INTERNAL');
        return { org: orgForTime, assumptions: assumptionsOf(ctx, inputs) };
      },
    });
    values = split.values;
    profile = split.profile;
  } else {
    const method = domainMethod(req.method);
    const field =
      method === 'weights'
        ? 'weights'
        : method === 'history'
          ? 'history'
          : method === 'manual'
            ? 'values'
            : 'capacity';
    let perChild =
      method === 'even' ? undefined : (inputs[field] as Record<string, number> | undefined);
    if (method === 'capacity' && !perChild) {
      perChild = await capacityByChild(await org(), specs, req.parent.period, ctx, inputs);
    }
    const nodes: DecomposeNode[] = [
      { id: '__parent', parentId: null },
      ...specs.map((s) => {
        const node: DecomposeNode = { id: s.ref, parentId: '__parent' };
        const w = perChild?.[s.ref];
        if (w !== undefined) {
          if (method === 'weights') node.weight = w;
          else if (method === 'history') node.history = w;
          else if (method === 'capacity') node.capacity = w;
          else if (method === 'manual') node.manual = w;
        }
        const l = lockOf(s);
        if (l !== undefined) node.locked = l;
        return node;
      }),
    ];
    const r = decompose({ total: parentRow.value, nodes, methods: [method] });
    values = specs.map((s) => r.values[s.ref] ?? 0);
    weights = Object.fromEntries(specs.map((s) => [s.ref, r.provenance[s.ref]?.weight ?? 0]));
  }

  const at = ctx.now.toISOString();
  const ids = await insertSplits(q, [
    {
      versionId: ctx.versionId,
      metricId: ctx.metricId,
      parentKey: parentText,
      axis: req.axis,
      method: req.method,
      inputs: { ...req.inputs, ...profile, ...(weights ? { weights } : {}) },
      userId: ctx.userId,
      at,
    },
  ]);
  const splitId = ids.get(splitIdentity(parentText, req.axis)) ?? 0;

  const updates: CellUpdate[] = [];
  const inserts: NewCell[] = [];
  const changed: { row: CellRow; value: number }[] = [];
  specs.forEach((s, i) => {
    const value = values[i] ?? 0;
    const e = existing.get(keyText(s.key));
    if (e) {
      updates.push({ id: e.id, value, splitId });
      if (e.value !== value) changed.push({ row: e, value });
    } else {
      inserts.push({
        versionId: ctx.versionId,
        metricId: ctx.metricId,
        key: s.key,
        value,
        splitId,
      });
    }
  });
  const keep = new Set([...existing.values()].map((e) => e.id));
  const stale = oldChildren.filter((c) => !keep.has(c.id));
  await deleteSubtrees(q, ctx, stale);
  await updateCells(q, updates);
  await insertCells(q, inserts);
  const respread = await respreadBelow(q, ctx.versionId, ctx.metricId, changed, ctx.frozenBefore);
  await deleteSplitsIfUnused(
    q,
    oldSplits.map((s) => s.id),
  );

  const written = await cellsOfSplits(q, [splitId]);
  const byText = new Map(written.map((c) => [keyText(keyOfRow(c)), c]));
  return {
    splitId,
    parentCellId: parentRow.id,
    parentValue: parentRow.value,
    respread,
    children: specs.map((s) => {
      const c = byText.get(keyText(s.key));
      return {
        cellId: c?.id ?? 0,
        ref: s.ref,
        key: s.key,
        value: c?.value ?? 0,
        locked: c?.locked === 1,
      };
    }),
  };
}

function assumptionsOf(ctx: SplitContext, inputs: SplitInputs): CapacityAssumptions | null {
  if (inputs.productivity)
    return {
      productivity: inputs.productivity,
      ...(inputs.rampCurve ? { rampCurve: inputs.rampCurve } : {}),
    };
  return assumptionsFromLenses(ctx.lensesJson);
}

async function capacityByChild(
  org: OrgSnapshot,
  specs: readonly ChildSpec[],
  period: string,
  ctx: SplitContext,
  inputs: SplitInputs,
): Promise<Record<string, number>> {
  const { range, months } = periodMonths(period, ctx.fiscalStartMonth);
  const out: Record<string, number> = {};
  for (const s of specs) {
    const members =
      s.key.ownerType === 'member'
        ? [org.members.get(s.key.ownerId)].filter((m): m is MemberInfo => m !== undefined)
        : subtreeMembers(org, s.key.ownerId, range);
    const cap = memberCapacity(members, months, assumptionsOf(ctx, inputs));
    out[s.ref] = [...cap.values()].reduce((a, list) => a + list.reduce((x, y) => x + y, 0), 0);
  }
  return out;
}

function domainMethod(method: string): SplitMethod {
  if (
    method === 'even' ||
    method === 'weights' ||
    method === 'history' ||
    method === 'capacity' ||
    method === 'manual'
  )
    return method;
  throw new AppError('PLANNING_INVALID', { reason: `method ${method} splits time only` });
}

function refOf(axis: Axis, k: CellKey): string {
  switch (axis) {
    case 'time':
      return k.period;
    case 'org':
      return ownerRef(k);
    case 'product_line':
      return String(k.productLineId);
    case 'region':
      return String(k.regionId);
    case 'segment':
      return String(k.segmentId);
    case 'channel':
      return String(k.channelId);
    case 'lifecycle':
      return k.lifecycle;
  }
}

export function describeKey(k: CellKey): string {
  return `${k.ownerType}:${k.ownerId} ${k.period}`;
}

/** Deletes cells and everything split from them, level by level. */
export async function deleteSubtrees(
  q: Q,
  ctx: Pick<SplitContext, 'versionId' | 'metricId'>,
  rows: readonly CellRow[],
): Promise<void> {
  let level = rows;
  const splitIds: number[] = [];
  while (level.length > 0) {
    const splits = await splitsOfParents(
      q,
      ctx.versionId,
      ctx.metricId,
      level.map((r) => keyText(keyOfRow(r))),
    );
    await deleteCells(
      q,
      level.map((r) => r.id),
    );
    splitIds.push(...splits.map((s) => s.id));
    level = await cellsOfSplits(
      q,
      splits.map((s) => s.id),
    );
  }
  await deleteSplitsIfUnused(q, splitIds);
}

export async function deleteSplitsIfUnused(q: Q, ids: readonly number[]): Promise<void> {
  for (let i = 0; i < ids.length; i += 1000) {
    await q
      .deleteFrom('target_splits')
      .where('id', 'in', ids.slice(i, i + 1000))
      .where((eb) =>
        eb.not(
          eb.exists(
            eb
              .selectFrom('target_cells as c')
              .select('c.id')
              .whereRef('c.split_id', '=', 'target_splits.id'),
          ),
        ),
      )
      .execute();
  }
}

export { withDims };
