import type { Kysely, Transaction } from 'kysely';
import { allocate } from '../../domain/allocation.ts';
import { AppError } from '../../domain/errors.ts';
import type { Database } from '../schema.ts';
import {
  cellByKey,
  cellsOfSplits,
  insertCell,
  isFrozenPeriod,
  updateCells,
  type CellRow,
} from './cells.ts';
import { deleteSubtrees } from './decompose-cell.ts';
import { keyOfRow, keyText, parseKeyText, type CellKey } from './keys.ts';
import { rebalance, respreadBelow } from './rebalance.ts';
import { insertSplits, splitIdentity, splitsOfParents } from './splits.ts';
import { lockVersionRow, touchVersion, type VersionRow } from './versions.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * What happens to a transferred member's remaining target (METHOD §11 "a transfer needs a decision
 * about the remaining target"): move it with the member to the new unit, keep it with the old
 * unit, or re-split it over the old unit's remaining members.
 */
export type TransferDecision = 'move' | 'keep' | 'resplit';

/** One month of a member's target that the transfer date leaves behind in another unit. */
export interface RemainingCell {
  cell: CellRow;
  /** The org cell the member's cell was split from (the old unit, that month). */
  parentKey: CellKey;
  splitId: number;
}

export interface RemainingTarget {
  version: VersionRow;
  planId: number;
  fiscalYear: number;
  planNameZh: string;
  planNameEn: string;
  metricId: number;
  metricCode: string;
  metricNameZh: string;
  metricNameEn: string;
  metricUnit: string;
  cells: RemainingCell[];
  total: number;
}

/**
 * The first month a transfer on `date` hands over: the month of `date` when it is the 1st,
 * otherwise the next one (a month is never split between two units; crediting still follows the
 * exact day).
 */
export function firstHandedMonth(date: string): string {
  const month = date.slice(0, 7);
  if (date.endsWith('-01')) return month;
  const [y, m] = month.split('-').map(Number) as [number, number];
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}

/**
 * The member's target cells a transfer to `unitId` on `date` would leave behind: months from the
 * first handed-over month on, in draft and active versions, split from a unit other than the new
 * one, additive metrics only. Frozen months of a revision stay out, and so do the closed months
 * of an active version (before today's month): attainment of a closed period never changes.
 */
export async function remainingTargets(
  q: Q,
  memberId: number,
  unitId: number,
  date: string,
  today: string,
): Promise<RemainingTarget[]> {
  const from = firstHandedMonth(date);
  const rows = await q
    .selectFrom('target_cells as c')
    .innerJoin('target_splits as s', 's.id', 'c.split_id')
    .innerJoin('plan_versions as v', 'v.id', 'c.version_id')
    .innerJoin('plans as p', 'p.id', 'v.plan_id')
    .innerJoin('metrics as m', 'm.id', 'c.metric_id')
    .selectAll('c')
    .select([
      's.parent_key',
      'p.fiscal_year',
      'p.name_zh as plan_name_zh',
      'p.name_en as plan_name_en',
      'm.code as metric_code',
      'm.name_zh as metric_name_zh',
      'm.name_en as metric_name_en',
      'm.unit as metric_unit',
    ])
    .where('c.owner_type', '=', 'member')
    .where('c.owner_id', '=', memberId)
    .where('s.axis', '=', 'org')
    .where('m.kind', '=', 'additive')
    .where('v.status', 'in', ['draft', 'active'])
    .where('c.period', '>=', from)
    .orderBy('c.version_id')
    .orderBy('c.metric_id')
    .orderBy('c.period')
    .orderBy('c.id')
    .execute();
  const versions = new Map<number, VersionRow>();
  const out = new Map<string, RemainingTarget>();
  const todayMonth = today.slice(0, 7);
  for (const r of rows) {
    if (!/^\d{4}-\d{2}$/.test(r.period)) continue;
    const parentKey = parseKeyText(r.parent_key);
    if (parentKey.ownerType !== 'unit' || parentKey.ownerId === unitId) continue;
    let v = versions.get(r.version_id);
    if (!v) {
      v = await q
        .selectFrom('plan_versions')
        .selectAll()
        .where('id', '=', r.version_id)
        .executeTakeFirstOrThrow();
      versions.set(v.id, v);
    }
    if (isFrozenPeriod(r.period, v.frozen_before)) continue;
    if (v.status === 'active' && r.period < todayMonth) continue;
    const k = `${r.version_id}|${r.metric_id}`;
    let t = out.get(k);
    if (!t) {
      t = {
        version: v,
        planId: v.plan_id,
        fiscalYear: r.fiscal_year,
        planNameZh: r.plan_name_zh,
        planNameEn: r.plan_name_en,
        metricId: r.metric_id,
        metricCode: r.metric_code,
        metricNameZh: r.metric_name_zh,
        metricNameEn: r.metric_name_en,
        metricUnit: r.metric_unit,
        cells: [],
        total: 0,
      };
      out.set(k, t);
    }
    t.cells.push({ cell: cellOf(r), parentKey, splitId: r.split_id ?? 0 });
    t.total += r.value;
  }
  return [...out.values()];
}

/**
 * Whether anything is actually left behind: cells at 0 alone need no decision (they stay where
 * they are), but once a decision is made they follow it like the rest.
 */
export function needsDecision(remaining: readonly RemainingTarget[]): boolean {
  return remaining.some((t) => t.cells.some((c) => c.cell.value !== 0));
}

function cellOf(r: CellRow): CellRow {
  return {
    id: r.id,
    version_id: r.version_id,
    metric_id: r.metric_id,
    owner_type: r.owner_type,
    owner_id: r.owner_id,
    period: r.period,
    product_line_id: r.product_line_id,
    region_id: r.region_id,
    segment_id: r.segment_id,
    channel_id: r.channel_id,
    lifecycle: r.lifecycle,
    value: r.value,
    locked: r.locked,
    split_id: r.split_id,
    note: r.note,
    rev: r.rev,
  };
}

export interface TransferTargetsRequest {
  memberId: number;
  unitId: number;
  date: string;
  decision: TransferDecision;
  /** Re-split: the member's target in the new unit per metric code, spread over the months like the old one (default 0). */
  newUnitAmounts?: Record<string, number>;
  userId: number;
  now: Date;
}

export interface ChangedCell {
  cellId: number;
  owner: string;
  period: string;
  before: number | null;
  after: number;
}

export interface TransferTargetsOutcome {
  versionId: number;
  metric: string;
  decision: TransferDecision;
  months: { period: string; amount: number; newUnit: number }[];
  total: number;
  changed: ChangedCell[];
  /** The version's `version` after the adjustment. */
  version: number;
}

/**
 * Applies the decision to every remaining target, version by version, in the caller's transaction.
 * Every parent still equals the sum of its children afterwards, to the fen:
 *
 * - move: the member's month cell is re-attached under the new unit's month; the old unit and its
 *   ancestors up to the common ancestor go down by the amount, the new unit's chain goes up by it
 *   (missing cells on that chain are created at 0 first). Nothing above the common ancestor moves.
 *   Locks on the chain do not block: the amount travels along the tree, no sibling absorbs it.
 * - keep: nothing moves; the cells stay with the old unit and get a note saying why.
 * - resplit: the old unit's other members absorb the amount (in proportion to their current
 *   targets, locks kept), and the member's cell goes to the new unit at the amount the manager
 *   entered (0 by default), which the new unit's other members give up the same way.
 *
 * Cells below anything that changed re-spread (product lines of a member, …). Each version's
 * `version` is bumped so an editor holding a stale grid gets a conflict instead of overwriting.
 */
export async function applyTransferTargets(
  q: Q,
  req: TransferTargetsRequest,
  remaining: readonly RemainingTarget[],
): Promise<TransferTargetsOutcome[]> {
  const newUnit = await q
    .selectFrom('org_units')
    .select(['id', 'path', 'name_zh', 'name_en'])
    .where('id', '=', req.unitId)
    .executeTakeFirst();
  if (!newUnit) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
  const paths = new Map(
    (await q.selectFrom('org_units').select(['id', 'path']).execute()).map((u) => [u.id, u.path]),
  );
  const outcomes: TransferTargetsOutcome[] = [];
  const bumped = new Map<number, number>();
  for (const t of remaining) {
    // The version row first, as cell edits take it: queued behind an edit of the same draft
    // instead of deadlocking with it on PostgreSQL (cells locked here, the row there).
    await lockVersionRow(q, t.version.id);
    const changed = new Map<number, ChangedCell>();
    const note = (row: CellRow, after: number) => {
      const prev = changed.get(row.id);
      changed.set(row.id, {
        cellId: row.id,
        owner: `${row.owner_type}:${row.owner_id}`,
        period: row.period,
        before: prev ? prev.before : row.value,
        after,
      });
    };
    const wanted = req.newUnitAmounts?.[t.metricCode] ?? 0;
    const newUnitShares =
      req.decision === 'resplit'
        ? allocate(wanted, t.total > 0 ? t.cells.map((c) => c.cell.value) : t.cells.map(() => 1))
        : t.cells.map(() => 0);
    const ctx: Ctx = {
      q,
      versionId: t.version.id,
      metricId: t.metricId,
      frozenBefore: t.version.frozen_before,
      paths,
      newUnitId: req.unitId,
      userId: req.userId,
      at: req.now.toISOString(),
      note,
    };
    for (const [i, rc] of t.cells.entries()) {
      if (req.decision === 'move') await moveCell(ctx, rc);
      else if (req.decision === 'resplit') await resplitCell(ctx, rc, newUnitShares[i] ?? 0);
      else {
        const text = keepNote(req.date, rc.cell.note);
        await q
          .updateTable('target_cells')
          .set({ note: text })
          .where('id', '=', rc.cell.id)
          .execute();
      }
    }
    const current = bumped.get(t.version.id) ?? t.version.version;
    const next = await touchVersion(q, { ...t.version, version: current }, current);
    bumped.set(t.version.id, next);
    outcomes.push({
      versionId: t.version.id,
      metric: t.metricCode,
      decision: req.decision,
      months: t.cells.map((c, i) => ({
        period: c.cell.period,
        amount: c.cell.value,
        newUnit: newUnitShares[i] ?? 0,
      })),
      total: t.total,
      changed: [...changed.values()],
      version: next,
    });
  }
  return outcomes;
}

/** The note a kept cell carries (appended to a key strategy, never replacing it). */
export function keepNote(date: string, existing: string | null): string {
  const line = `调动（${date}）后目标保留在原单位 / Target kept with the old unit after the transfer on ${date}`;
  return existing ? `${existing}\n${line}` : line;
}

interface Ctx {
  q: Q;
  versionId: number;
  metricId: number;
  frozenBefore: string | null;
  paths: Map<number, string>;
  newUnitId: number;
  userId: number;
  at: string;
  note: (row: CellRow, after: number) => void;
}

/** The cell of an org unit that month with the member cell's own dimensions. */
function unitKey(memberKey: CellKey, unitId: number): CellKey {
  return { ...memberKey, ownerType: 'unit', ownerId: unitId };
}

async function mustCell(ctx: Ctx, key: CellKey): Promise<CellRow> {
  const c = await cellByKey(ctx.q, ctx.versionId, ctx.metricId, key);
  if (!c)
    throw new AppError('PLAN_CELL_MISSING', {
      key: `${key.ownerType}:${key.ownerId} ${key.period}`,
    });
  return c;
}

/**
 * The old unit's chain, from its month cell up through org splits: [old unit, its parent, …]
 * until a cell that was not split over the org (the month of the company, or a dimension cell).
 */
async function orgChain(ctx: Ctx, start: CellKey): Promise<CellRow[]> {
  const chain: CellRow[] = [];
  let key: CellKey | null = start;
  for (let depth = 0; key && depth < 32; depth++) {
    const cell = await mustCell(ctx, key);
    chain.push(cell);
    if (cell.split_id === null) break;
    const split = await ctx.q
      .selectFrom('target_splits')
      .select(['parent_key', 'axis'])
      .where('id', '=', cell.split_id)
      .executeTakeFirst();
    key = split && split.axis === 'org' ? parseKeyText(split.parent_key) : null;
  }
  return chain;
}

/**
 * The new unit's month cell, created at 0 (with every missing cell between it and `common`) when
 * the plan has none yet, and the id of its split over the org (created, method 'transfer', when it
 * was never split). Returns the chain below `common`, new unit first.
 */
async function ensureNewChain(
  ctx: Ctx,
  memberKey: CellKey,
  commonId: number,
): Promise<{ chain: CellRow[]; splitId: number }> {
  const ids = (ctx.paths.get(ctx.newUnitId) ?? '').split('/').filter(Boolean).map(Number);
  const below = ids.slice(ids.indexOf(commonId) + 1); // top-down, ending with the new unit
  let parentKey = unitKey(memberKey, commonId);
  const chain: CellRow[] = [];
  for (const id of below) {
    const key = unitKey(memberKey, id);
    let cell = await cellByKey(ctx.q, ctx.versionId, ctx.metricId, key);
    if (!cell) {
      const splitId = await orgSplitOf(ctx, parentKey);
      cell = await insertCell(ctx.q, {
        versionId: ctx.versionId,
        metricId: ctx.metricId,
        key,
        value: 0,
        splitId,
      });
    }
    chain.unshift(cell);
    parentKey = key;
  }
  return { chain, splitId: await orgSplitOf(ctx, parentKey) };
}

/** The org split of a unit's cell, if it has been split over the org. */
async function existingOrgSplit(ctx: Ctx, parent: CellKey): Promise<number | null> {
  const [s] = await splitsOfParents(ctx.q, ctx.versionId, ctx.metricId, [keyText(parent)], 'org');
  return s?.id ?? null;
}

/**
 * The org split of a unit's cell; a new one (method 'transfer') when it has never been split —
 * only for a cell at 0, since a new split's only child must add up to its parent.
 */
async function orgSplitOf(ctx: Ctx, parent: CellKey): Promise<number> {
  const text = keyText(parent);
  const existing = await existingOrgSplit(ctx, parent);
  if (existing !== null) return existing;
  const cell = await cellByKey(ctx.q, ctx.versionId, ctx.metricId, parent);
  if (cell && cell.value !== 0)
    throw new AppError('PLANNING_INVALID', {
      reason: `${parent.ownerType}:${parent.ownerId} ${parent.period} has a target but no split over the org; split it first`,
    });
  const ids = await insertSplits(ctx.q, [
    {
      versionId: ctx.versionId,
      metricId: ctx.metricId,
      parentKey: text,
      axis: 'org',
      method: 'transfer',
      inputs: { transfer: true },
      userId: ctx.userId,
      at: ctx.at,
    },
  ]);
  return ids.get(splitIdentity(text, 'org')) ?? 0;
}

async function moveCell(ctx: Ctx, rc: RemainingCell): Promise<void> {
  const x = rc.cell.value;
  const memberKey = keyOfRow(rc.cell);
  const oldChain = await orgChain(ctx, rc.parentKey);
  const newIds = new Set(
    (ctx.paths.get(ctx.newUnitId) ?? '').split('/').filter(Boolean).map(Number),
  );
  // The common ancestor: the first cell up the old chain whose unit is on the new unit's path.
  const commonAt = oldChain.findIndex((c) => c.owner_type === 'unit' && newIds.has(c.owner_id));
  if (commonAt < 0)
    throw new AppError('PLANNING_INVALID', {
      reason: `the old and the new unit share no split of ${rc.cell.period}; re-split or keep instead`,
    });
  const common = oldChain[commonAt]!;
  const { chain: newChain, splitId } = await ensureNewChain(ctx, memberKey, common.owner_id);
  const updates = [
    ...oldChain.slice(0, commonAt).map((c) => ({ row: c, value: c.value - x })),
    ...newChain.map((c) => ({ row: c, value: c.value + x })),
  ];
  await updateCells(ctx.q, [
    ...updates.map((u) => ({ id: u.row.id, value: u.value })),
    { id: rc.cell.id, value: x, splitId },
  ]);
  for (const u of updates) ctx.note(u.row, u.value);
  // Other splits of the chain cells (a unit's product lines, …) follow their new totals.
  await respreadBelow(ctx.q, ctx.versionId, ctx.metricId, updates, ctx.frozenBefore);
}

async function resplitCell(ctx: Ctx, rc: RemainingCell, newValue: number): Promise<void> {
  const x = rc.cell.value;
  const parent = await mustCell(ctx, rc.parentKey);
  const siblings = (await cellsOfSplits(ctx.q, [rc.splitId])).filter((s) => s.id !== rc.cell.id);
  const free = siblings.filter(
    (s) => s.locked !== 1 && !isFrozenPeriod(s.period, ctx.frozenBefore),
  );
  if (x !== 0 && free.length === 0)
    throw new AppError('TRANSFER_RESPLIT_NO_MEMBERS', { period: rc.cell.period });
  const parts = rebalance(siblings, parent.value, ctx.frozenBefore);
  const downstream: { row: CellRow; value: number }[] = [];
  const updates = siblings.map((s, i) => ({ id: s.id, value: parts[i] ?? 0 }));
  siblings.forEach((s, i) => {
    const v = parts[i] ?? 0;
    if (v !== s.value) {
      downstream.push({ row: s, value: v });
      ctx.note(s, v);
    }
  });
  await updateCells(ctx.q, updates);

  // The member in the new unit: the amount entered (taken from the new teammates), or nothing.
  const newParentKey = unitKey(keyOfRow(rc.cell), ctx.newUnitId);
  const newParent = await cellByKey(ctx.q, ctx.versionId, ctx.metricId, newParentKey);
  const newSplit = newParent ? await existingOrgSplit(ctx, newParentKey) : null;
  if (!newParent || newSplit === null) {
    // The new unit's month is not split over people: the member starts there with nothing.
    if (newValue !== 0)
      throw new AppError('TRANSFER_NEW_UNIT_ABSORB', { period: rc.cell.period, amount: newValue });
    await deleteSubtrees(ctx.q, ctx, [rc.cell]);
    ctx.note(rc.cell, 0);
    await respreadBelow(ctx.q, ctx.versionId, ctx.metricId, downstream, ctx.frozenBefore);
    return;
  }
  const splitId = newSplit;
  const mates = await cellsOfSplits(ctx.q, [splitId]);
  const moved = { ...rc.cell, split_id: splitId, value: newValue, locked: newValue > 0 ? 1 : 0 };
  const all = [...mates, moved];
  let newParts: number[];
  try {
    newParts = rebalance(all, newParent.value, ctx.frozenBefore, new Map([[moved.id, newValue]]));
  } catch {
    throw new AppError('TRANSFER_NEW_UNIT_ABSORB', { period: rc.cell.period, amount: newValue });
  }
  await updateCells(ctx.q, [
    ...mates.map((s, i) => ({ id: s.id, value: newParts[i] ?? 0 })),
    { id: rc.cell.id, value: newValue, splitId, locked: newValue > 0 },
  ]);
  mates.forEach((s, i) => {
    const v = newParts[i] ?? 0;
    if (v !== s.value) {
      downstream.push({ row: s, value: v });
      ctx.note(s, v);
    }
  });
  ctx.note(rc.cell, newValue);
  if (newValue !== x) downstream.push({ row: rc.cell, value: newValue });
  await respreadBelow(ctx.q, ctx.versionId, ctx.metricId, downstream, ctx.frozenBefore);
}
