/**
 * The grid's arithmetic, apart from the screen: pending edits over the loaded cells, live row
 * totals and the parent check (children ≠ parent), and the tree the table renders.
 */
import type { GridCell, GridRow } from './plan-api.ts';

export interface PendingEdit {
  value?: number;
  locked?: boolean;
}
export type Pending = Record<number, PendingEdit>;

export interface ShownCell extends GridCell {
  /** Changed here and not yet saved. */
  dirty: boolean;
}

export function shownCell(row: GridRow, period: string, pending: Pending): ShownCell | null {
  const c = row.cells[period];
  if (!c) return null;
  const p = pending[c.cellId];
  if (!p) return { ...c, dirty: false };
  return { ...c, value: p.value ?? c.value, locked: p.locked ?? c.locked, dirty: true };
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
    const val = (r: GridRow, p: string) => shownCell(r, p, pending)?.value;
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
