/**
 * The grid's arithmetic, apart from the screen: pending edits over the loaded cells, live row
 * totals and the parent check (children ≠ parent), and the tree the table renders.
 */
import { rebalanceSiblings } from '../../../domain/planning/rebalance.ts';
import type { GridCell, GridRow } from './plan-api.ts';

export interface PendingEdit {
  value?: number;
  locked?: boolean;
}
export type Pending = Record<number, PendingEdit>;

export interface ShownCell extends GridCell {
  /** Changed here and not yet saved. */
  dirty: boolean;
  /** Not edited here, but its value moves when the pending edits are saved (a sibling absorbing, a cell re-spread below). */
  absorbed: boolean;
}

/** What the cells will be once the pending edits are saved, by cell id (only the cells that move). */
export type Preview = ReadonlyMap<number, { value: number; locked: boolean }>;

export function shownCell(
  row: GridRow,
  period: string,
  pending: Pending,
  preview: Preview = new Map(),
): ShownCell | null {
  const c = row.cells[period];
  if (!c) return null;
  const p = pending[c.cellId];
  const after = preview.get(c.cellId);
  if (!p) {
    if (after && after.value !== c.value)
      return { ...c, value: after.value, dirty: false, absorbed: true };
    return { ...c, dirty: false, absorbed: false };
  }
  return {
    ...c,
    value: p.value ?? c.value,
    locked: p.locked ?? c.locked,
    dirty: true,
    absorbed: false,
  };
}

/**
 * The pending edits applied as the server will apply them (src/db/plans/edit-cells.ts): locks
 * first, then each typed value locks its cell and its unlocked siblings (the cells of the same
 * split) absorb the difference by the domain's `rebalanceSiblings`; the cells below every changed
 * cell re-spread. Only cells the grid holds are previewed. A value the siblings cannot absorb
 * (locks above the parent) stays unbalanced here, and the save reports it.
 */
export function previewEdits(
  rows: readonly GridRow[],
  fy: string,
  frozenBefore: string | null,
  pending: Pending,
): Preview {
  const out = new Map<number, { value: number; locked: boolean }>();
  if (Object.keys(pending).length === 0) return out;
  interface Ref {
    row: GridRow;
    period: string;
    cell: GridCell;
  }
  const cells = new Map<number, Ref>();
  const bySplit = new Map<number, number[]>();
  const rowByRef = new Map(rows.map((r) => [r.ref, r]));
  for (const row of rows)
    for (const [period, cell] of Object.entries(row.cells)) {
      if (!cell) continue;
      cells.set(cell.cellId, { row, period, cell });
      if (cell.splitId === null) continue;
      const list = bySplit.get(cell.splitId) ?? [];
      list.push(cell.cellId);
      bySplit.set(cell.splitId, list);
    }
  // A split's parent: the parent row's cell for an org split (its cells share one period), else
  // (the months of one row) the row's year cell.
  const parentOf = new Map<number, number>();
  const splitsBelow = new Map<number, number[]>();
  for (const [splitId, ids] of bySplit) {
    const first = cells.get(ids[0]!)!;
    const onePeriod = ids.every((id) => cells.get(id)!.period === first.period);
    const parent = !onePeriod
      ? first.row.cells[fy]
      : first.row.parentRef
        ? rowByRef.get(first.row.parentRef)?.cells[first.period]
        : undefined;
    if (!parent) continue;
    parentOf.set(splitId, parent.cellId);
    splitsBelow.set(parent.cellId, [...(splitsBelow.get(parent.cellId) ?? []), splitId]);
  }
  const state = (id: number) => {
    const s = out.get(id);
    if (s) return s;
    const c = cells.get(id)!.cell;
    return { value: c.value, locked: c.locked };
  };
  const held = (id: number) =>
    state(id).locked || (frozenBefore !== null && cells.get(id)!.period.slice(0, 7) < frozenBefore);
  const respread = (changed: number[]) => {
    for (let level = changed, depth = 0; level.length > 0 && depth < 32; depth++) {
      const next: number[] = [];
      for (const parent of level)
        for (const splitId of splitsBelow.get(parent) ?? []) {
          const kids = bySplit.get(splitId)!;
          const total = state(parent).value;
          if (kids.reduce((a, k) => a + state(k).value, 0) === total) continue;
          const parts = tryRebalance(
            kids.map((k) => ({ value: state(k).value, held: held(k) })),
            total,
          );
          kids.forEach((k, i) => {
            const v = parts?.[i];
            if (v === undefined || v === state(k).value) return;
            out.set(k, { ...state(k), value: v });
            next.push(k);
          });
        }
      level = next;
    }
  };
  const edits = Object.entries(pending).map(([id, e]) => ({ id: Number(id), ...e }));
  for (const e of edits)
    if (e.value === undefined && e.locked !== undefined && cells.has(e.id))
      out.set(e.id, { ...state(e.id), locked: e.locked });
  for (const e of edits) {
    if (e.value === undefined || !cells.has(e.id)) continue;
    const locked = e.locked ?? true;
    if (e.value === state(e.id).value) {
      out.set(e.id, { ...state(e.id), locked });
      continue;
    }
    const splitId = cells.get(e.id)!.cell.splitId;
    const siblings = splitId === null ? undefined : bySplit.get(splitId);
    const changed = [e.id];
    if (siblings && splitId !== null) {
      const parent = parentOf.get(splitId);
      const total =
        parent === undefined
          ? siblings.reduce((a, s) => a + state(s).value, 0)
          : state(parent).value;
      const parts = tryRebalance(
        siblings.map((s) => ({ value: state(s).value, held: held(s) })),
        total,
        new Map([[siblings.indexOf(e.id), e.value]]),
      );
      if (parts)
        siblings.forEach((s, i) => {
          const v = parts[i]!;
          if (s !== e.id && v !== state(s).value) {
            out.set(s, { ...state(s), value: v });
            changed.push(s);
          }
        });
    }
    out.set(e.id, { value: e.value, locked });
    respread(changed);
  }
  return out;
}

function tryRebalance(
  siblings: Parameters<typeof rebalanceSiblings>[0],
  total: number,
  overrides?: ReadonlyMap<number, number>,
): number[] | null {
  try {
    return rebalanceSiblings(siblings, total, overrides);
  } catch {
    return null;
  }
}

export interface LiveRow {
  row: GridRow;
  /** Σ of the month cells, with pending edits. */
  total: number;
  /** Periods where the children do not add up to this row, or 'FY…' where the months do not add up to the year. */
  mismatches: string[];
  children: LiveRow[];
}

/** Rows in tree order → a tree with live totals and checks. */
export function liveTree(
  rows: GridRow[],
  months: string[],
  fy: string,
  pending: Pending,
  preview: Preview = new Map(),
): LiveRow[] {
  const byRef = new Map<string, LiveRow>();
  const roots: LiveRow[] = [];
  for (const row of rows) {
    const node: LiveRow = { row, total: 0, mismatches: [], children: [] };
    byRef.set(row.ref, node);
    const parent = row.parentRef ? byRef.get(row.parentRef) : undefined;
    (parent ? parent.children : roots).push(node);
  }
  for (const node of byRef.values()) {
    const val = (r: GridRow, p: string) => shownCell(r, p, pending, preview)?.value;
    node.total = months.reduce((a, m) => a + (val(node.row, m) ?? 0), 0);
    for (const p of [...months, fy]) {
      const own = val(node.row, p);
      if (own === undefined) continue;
      const parts = node.children
        .map((k) => val(k.row, p))
        .filter((x): x is number => x !== undefined);
      if (parts.length > 0 && parts.reduce((a, x) => a + x, 0) !== own) node.mismatches.push(p);
    }
    const year = val(node.row, fy);
    if (
      year !== undefined &&
      months.some((m) => val(node.row, m) !== undefined) &&
      node.total !== year
    )
      node.mismatches.push(`${fy}:months`);
  }
  return roots;
}

/** Refs of the rows down to `depth` (0 = the top rows), for the default expansion. */
export function refsToDepth(rows: GridRow[], depth: number): string[] {
  return rows.filter((r) => r.depth < depth).map((r) => r.ref);
}
