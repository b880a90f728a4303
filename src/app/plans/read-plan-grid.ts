import type { Db } from '../../db/connect.ts';
import { ownerRef, type Dims } from '../../db/plans/keys.ts';
import type { OwnerType } from '../../db/schema.ts';
import type { Actor } from '../actor.ts';
import { buildPlanGridFor, type GridModel } from './build-plan-grid.ts';

export interface PlanGridCellView {
  value: number;
  locked: boolean;
  cellId: number;
  /** The split that made this cell (its siblings share it): the grid's rebalance preview groups by it. */
  splitId: number | null;
  note: string | null;
}

export interface PlanGridRowView {
  ownerType: OwnerType;
  ownerId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  /** 'unit:12' of the row above in the tree; null for a top row. */
  parentRef: string | null;
  ref: string;
  depth: number;
  cells: Record<string, PlanGridCellView | null>;
  /** Σ of the month cells. */
  total: number;
  check: boolean;
  mismatches: string[];
}

export interface PlanGridView {
  metric: string;
  periods: string[];
  /** The version's whole-version `version` and its `cells_rev`, read before the cells: an edit sends both back. */
  version: number;
  cellsRev: number;
  rows: PlanGridRowView[];
}

/** The planner's grid screen: the same read model as the Excel export, as JSON rows. */
export async function readPlanGrid(
  db: Db,
  actor: Actor,
  input: {
    versionId: number;
    metricCode: string;
    unitId?: number;
    depth?: number;
    dims?: Dims;
  },
): Promise<PlanGridView> {
  return planGridView(await buildPlanGridFor(db, actor, input));
}

/** The grid model as screen rows: cells by period, the months' total and the check flags. */
export function planGridView(model: GridModel): PlanGridView {
  const periods = [...model.months, model.year];
  const rows: PlanGridRowView[] = model.rows.map((r) => {
    const parent = r.parent === null ? undefined : model.rows[r.parent];
    const cells: PlanGridRowView['cells'] = {};
    for (const p of periods) {
      const c = r.cells.get(p);
      cells[p] = c
        ? {
            value: c.value,
            locked: c.locked === 1,
            cellId: c.id,
            splitId: c.split_id,
            note: c.note,
          }
        : null;
    }
    return {
      ownerType: r.ownerType,
      ownerId: r.ownerId,
      code: r.code,
      nameZh: r.nameZh,
      nameEn: r.nameEn,
      parentRef: parent ? ownerRef(parent) : null,
      ref: ownerRef(r),
      depth: r.depth,
      cells,
      total: model.months.reduce((a, m) => a + (r.cells.get(m)?.value ?? 0), 0),
      check: false,
      mismatches: [],
    };
  });
  model.rows.forEach((r, i) => {
    const view = rows[i];
    if (!view) return;
    for (const p of periods) {
      const own = r.cells.get(p);
      if (!own) continue;
      const parts = r.children.flatMap((k) => {
        const c = model.rows[k]?.cells.get(p);
        return c ? [c.value] : [];
      });
      if (parts.length > 0 && parts.reduce((a, x) => a + x, 0) !== own.value)
        view.mismatches.push(p);
    }
    const year = r.cells.get(model.year);
    if (year && model.months.some((m) => r.cells.has(m)) && view.total !== year.value)
      view.mismatches.push(`${model.year}:months`);
    view.check = view.mismatches.length > 0;
  });
  return {
    metric: model.metric.code,
    periods,
    version: model.version.version,
    cellsRev: model.version.cells_rev,
    rows,
  };
}
