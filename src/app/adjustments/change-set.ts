import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { cellById, cellByKey, isFrozenPeriod, type CellRow } from '../../db/plans/cells.ts';
import { editCells, type EditedCell } from '../../db/plans/edit-cells.ts';
import { parseKeyText } from '../../db/plans/keys.ts';
import { getVersion, type VersionRow } from '../../db/plans/versions.ts';
import type { Transaction } from 'kysely';
import type { Database, OwnerType } from '../../db/schema.ts';
import { respreadTotal } from '../../domain/adjustments/respread-total.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import { ownerInScope } from '../plans/access.ts';

type Trx = Transaction<Database>;

/**
 * What a request asks: chosen cells of the active version with their new values, or the year total
 * of one owner (a unit or a member) for one metric, re-spread over the months still open.
 */
export interface ChangeSpec {
  versionId: number;
  /**
   * What happens up the tree: 0 (default) the siblings absorb the change and the parent keeps
   * its total; n > 0 the parent's total changes too, n levels up, and the siblings there absorb
   * it (the request then climbs to whoever owns that total).
   */
  climb?: number;
  cells?: { cellId: number; value: number }[];
  total?: { ownerType: OwnerType; ownerId: number; metricId: number; value: number };
}

/** One cell a request asks to change (the rest of the diff follows from the plan's own rules). */
export interface RequestedCell {
  cellId: number;
  before: number;
  after: number;
}

/**
 * Months before this one are closed in an active version (today's month is still open), and a
 * revision keeps its own freeze when that is later: the apply never changes the past.
 */
export function firstOpenMonth(v: Pick<VersionRow, 'frozen_before'>, now: Date): string {
  const current = chinaToday(now).slice(0, 7);
  return v.frozen_before && v.frozen_before > current ? v.frozen_before : current;
}

/** The version a request works on: the plan's active one. */
export async function activeVersion(q: Db | Trx, versionId: number): Promise<VersionRow> {
  const { version } = await getVersion(q, versionId);
  if (version.status !== 'active')
    throw new AppError('ADJUSTMENT_VERSION_NOT_ACTIVE', {
      number: version.number,
      status: version.status,
    });
  return version;
}

/**
 * May `actor` ask to change this cell? A manager for cells in his subtree, a rep for his own
 * cells. Asking is not writing: the parent whose total absorbs the change may lie above the
 * requester, which is exactly what sends the request up to whoever owns that total.
 */
export async function assertRequestable(db: Db | Trx, actor: Actor, cell: CellRow): Promise<void> {
  if (actor.role === 'rep') {
    if (cell.owner_type === 'member' && cell.owner_id === actor.memberId) return;
    throw new AppError('FORBIDDEN');
  }
  if (actor.role !== 'manager') throw new AppError('FORBIDDEN');
  const managerScope = { ...actor.scope, memberId: null };
  if (!(await ownerInScope(db as Db, managerScope, cell.owner_type, cell.owner_id)))
    throw new AppError('FORBIDDEN');
}

/**
 * The cells above `cell` along its split chain, nearest first, `levels` of them (fewer at the
 * top). Setting them top-down to their value plus the change, then the cell itself, moves the
 * whole path by the same amount while every sibling on the way keeps its value: the siblings of
 * the top ancestor absorb the change.
 */
async function ancestors(q: Db | Trx, cell: CellRow, levels: number): Promise<CellRow[]> {
  const out: CellRow[] = [];
  let cur = cell;
  for (let i = 0; i < levels && cur.split_id !== null; i++) {
    const split = await q
      .selectFrom('target_splits')
      .select('parent_key')
      .where('id', '=', cur.split_id)
      .executeTakeFirstOrThrow();
    const parent = await cellByKey(
      q,
      cur.version_id,
      cur.metric_id,
      parseKeyText(split.parent_key),
    );
    if (!parent) break;
    out.push(parent);
    cur = parent;
  }
  return out;
}

/** Turns a spec into the cells it asks to change (a total becomes its open months' new values). */
export async function requestedCells(
  q: Db | Trx,
  v: VersionRow,
  spec: ChangeSpec,
  now: Date,
): Promise<RequestedCell[]> {
  const open = firstOpenMonth(v, now);
  const out: RequestedCell[] = [];
  for (const c of spec.cells ?? []) {
    const row = await cellById(q, c.cellId);
    if (row.version_id !== v.id) throw new AppError('NOT_FOUND', { entity: 'target_cell' });
    if (c.value < 0 || !Number.isSafeInteger(c.value))
      throw new AppError('VALIDATION', { field: `cells.${c.cellId}.value`, reason: '≥ 0 fen' });
    if (row.value === c.value) continue;
    // The ancestors that change with it come first, top-down: each is set and its siblings
    // absorb; the path below then gets the difference back exactly (see `withAncestors`).
    const up = await ancestors(q, row, spec.climb ?? 0);
    for (const a of up.reverse()) {
      const prev = out.find((o) => o.cellId === a.id);
      if (prev) prev.after += c.value - row.value;
      else out.push({ cellId: a.id, before: a.value, after: a.value + c.value - row.value });
    }
    out.push({ cellId: row.id, before: row.value, after: c.value });
  }
  if (spec.total) {
    const t = spec.total;
    const months = await q
      .selectFrom('target_cells')
      .select(['id', 'period', 'value'])
      .where('version_id', '=', v.id)
      .where('metric_id', '=', t.metricId)
      .where('owner_type', '=', t.ownerType)
      .where('owner_id', '=', t.ownerId)
      .where('product_line_id', '=', 0)
      .where('region_id', '=', 0)
      .where('segment_id', '=', 0)
      .where('channel_id', '=', 0)
      .where('lifecycle', '=', '')
      .where(sql<boolean>`length(period) = 7`)
      .orderBy('period')
      .execute();
    if (months.length === 0) throw new AppError('NOT_FOUND', { entity: 'target_cell' });
    const next = respreadTotal(
      months.map((m) => ({ period: m.period, value: m.value, frozen: m.period < open })),
      t.value,
    );
    months.forEach((m, i) => {
      const after = next[i] ?? m.value;
      if (after < 0)
        throw new AppError('VALIDATION', { field: `total.${m.period}`, reason: '≥ 0 fen' });
      if (after !== m.value) out.push({ cellId: m.id, before: m.value, after });
    });
  }
  return out;
}

/**
 * Runs the requested cells through the planner's own cell edit (the edited cell locks, its
 * unlocked siblings absorb the difference so the parent keeps its total, the cells below
 * re-spread, closed months stay) on the active version. The caller decides whether the result is
 * kept (the apply) or rolled back (the preview). Every changed cell comes back with before/after.
 */
export async function runChange(
  trx: Trx,
  v: VersionRow,
  cells: readonly RequestedCell[],
  now: Date,
  stamp?: { readRev: number; rev: number },
): Promise<EditedCell[]> {
  const open = firstOpenMonth(v, now);
  for (const c of cells) {
    const row = await cellById(trx, c.cellId);
    if (isFrozenPeriod(row.period, open))
      throw new AppError('PLAN_PERIOD_FROZEN', { period: row.period, frozenBefore: open });
  }
  // The cell edit reports the cells it re-balanced; the cells re-spread below it are found by
  // comparing the metric's cells before and after, so the diff (and the audit) is complete.
  const metricIds = new Set<number>();
  for (const c of cells) metricIds.add((await cellById(trx, c.cellId)).metric_id);
  const snapshot = async () =>
    new Map(
      (
        await trx
          .selectFrom('target_cells')
          .select(['id', 'value', 'locked'])
          .where('version_id', '=', v.id)
          .where('metric_id', 'in', [...metricIds])
          .execute()
      ).map((r) => [r.id, r]),
    );
  const before = await snapshot();
  let edited: EditedCell[];
  try {
    edited = await editCells(
      trx,
      { versionId: v.id, frozenBefore: open },
      cells.map((c) => ({ cellId: c.cellId, value: c.after })),
      async () => {},
      stamp,
    );
  } catch (e) {
    // A cell with no unlocked, open sibling: nothing can absorb the change under its parent.
    if (
      isAppError(e) &&
      (e.code === 'ALLOCATION_NO_WEIGHT' || e.code === 'ALLOCATION_LOCKS_EXCEED')
    )
      throw new AppError('VALIDATION', {
        field: 'cells',
        reason: 'no sibling can absorb the change',
      });
    throw e;
  }
  const after = await snapshot();
  const out = new Map(edited.map((e) => [e.cellId, e]));
  for (const [id, a] of after) {
    const b = before.get(id);
    if (!b || out.has(id) || b.value === a.value) continue;
    out.set(id, {
      cellId: id,
      before: { value: b.value, locked: b.locked === 1 },
      after: { value: a.value, locked: a.locked === 1 },
    });
  }
  return [...out.values()];
}

/** The unit whose total a cell's change is kept in: its split's parent owner (a member's unit). */
export async function ownerUnitOf(q: Db | Trx, cell: CellRow): Promise<number | null> {
  if (cell.split_id === null) return cell.owner_type === 'unit' ? cell.owner_id : null;
  const split = await q
    .selectFrom('target_splits')
    .select('parent_key')
    .where('id', '=', cell.split_id)
    .executeTakeFirstOrThrow();
  const parent = parseKeyText(split.parent_key);
  if (parent.ownerType === 'unit') return parent.ownerId;
  return memberUnit(q, parent.ownerId);
}

export async function memberUnit(q: Db | Trx, memberId: number): Promise<number | null> {
  const row = await q
    .selectFrom('member_units')
    .select('org_unit_id')
    .where('member_id', '=', memberId)
    .where('end_date', 'is', null)
    .executeTakeFirst();
  return row?.org_unit_id ?? null;
}
