import type { Compare } from './plan-api.ts';

export interface OwnerRow {
  key: string;
  nameZh: string;
  nameEn: string;
  ownerType: string;
  parentRef: string | null;
  ref: string;
  order: number;
  cells: Record<string, { a: number | null; b: number | null; diff: number }>;
  /** This owner's own cells changed. */
  selfChanged: boolean;
  /** This owner changed, or someone below it did. */
  changed: boolean;
  children?: OwnerRow[];
}

/**
 * The compare rows as the org tree: units with their own cells (the subtotals of what lies below)
 * and, under each unit, its members; a member who moved teams appears under each unit for the
 * months they were there. Owners whose parent is outside the caller's scope are top rows.
 */
export function compareTree(rows: Compare['rows']): { tree: OwnerRow[]; owners: OwnerRow[] } {
  const map = new Map<string, OwnerRow>();
  for (const r of rows) {
    const ref = `${r.key.ownerType}:${r.key.ownerId}`;
    const key = r.key.ownerType === 'unit' ? ref : `${r.parentRef ?? ''}>${ref}`;
    const o = map.get(key) ?? {
      key,
      ref,
      nameZh: r.ownerNameZh,
      nameEn: r.ownerNameEn,
      ownerType: r.key.ownerType,
      parentRef: r.parentRef,
      order: r.order,
      cells: {},
      selfChanged: false,
      changed: false,
    };
    o.cells[r.key.period] = { a: r.a, b: r.b, diff: r.diff };
    if (r.diff !== 0 || r.a === null || r.b === null) o.selfChanged = o.changed = true;
    map.set(key, o);
  }
  const owners = [...map.values()];
  const tree: OwnerRow[] = [];
  const byOrder = (x: OwnerRow, y: OwnerRow) => x.order - y.order;
  for (const o of [...owners].sort(byOrder)) {
    const parent = o.parentRef ? map.get(o.parentRef) : undefined;
    if (parent) (parent.children ??= []).push(o);
    else tree.push(o);
  }
  const mark = (o: OwnerRow): boolean => {
    for (const c of o.children ?? []) if (mark(c)) o.changed = true;
    return o.changed;
  };
  tree.forEach(mark);
  return { tree, owners };
}

/** The tree without the owners that did not change (nor anyone below them). */
export function onlyChangedRows(rows: OwnerRow[]): OwnerRow[] {
  return rows
    .filter((o) => o.changed)
    .map((o) => {
      const kids = o.children ? onlyChangedRows(o.children) : [];
      const { children: _, ...rest } = o;
      return kids.length ? { ...rest, children: kids } : rest;
    });
}
