import type { CellRow } from '../../db/plans/cells.ts';
import { NO_DIMS, parseKeyText, type Dims } from '../../db/plans/keys.ts';
import type { MetricRow } from '../../db/plans/metrics.ts';
import { loadOrg, type OrgSnapshot } from '../../db/plans/org.ts';
import {
  fiscalYearId,
  getVersion,
  type PlanRow,
  type VersionRow,
} from '../../db/plans/versions.ts';
import type { Db } from '../../db/connect.ts';
import type { OwnerType } from '../../db/schema.ts';
import { getSetting } from '../../db/settings.ts';
import { AppError } from '../../domain/errors.ts';
import { monthsOfFiscalYear, periodRange } from '../../domain/periods.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import type { Actor } from '../actor.ts';
import { visibleOwners } from './access.ts';

/**
 * The decomposition grid, the one read model behind the planner's screen (`readPlanGrid`), the
 * Excel export and the Excel import: org rows in tree order (units, then under a team the members
 * who belong to it during the year, and under a unit with sub-units the members split directly
 * from it) × the fiscal year's months and the year. Cells of one dimension slice (default: not
 * split by any dimension); what lies below them (product lines…) follows through the re-spread.
 */
export interface GridRow {
  index: number;
  ownerType: OwnerType;
  ownerId: number;
  code: string;
  nameZh: string;
  nameEn: string;
  /** Index of the row above in the tree; null for a top row. */
  parent: number | null;
  /** Code of that row ('' for a top row): with type and code, the row's key in a file. */
  parentCode: string;
  depth: number;
  children: number[];
  /** Stored cells by period ('YYYY-MM' or 'FY2026'). */
  cells: Map<string, CellRow>;
}

export interface GridModel {
  plan: PlanRow;
  version: VersionRow;
  metric: MetricRow;
  months: string[];
  /** 'FY2026'. */
  year: string;
  rows: GridRow[];
  org: OrgSnapshot;
}

export interface GridScope {
  /** Units and members the reader may see; null = everything. */
  visible: { units: Set<number>; members: Set<number> } | null;
  /** Start from this unit instead of the top of what is visible. */
  unitId?: number;
  /** A reader who manages nothing still sees their own row. */
  memberId: number | null;
  /** Unit levels below the start unit (0 = only it); members show under the deepest units shown. */
  depth?: number;
  /** The dimension slice (default: cells not split by any dimension). */
  dims?: Dims;
}

export function rowKey(ownerType: OwnerType, code: string, parentCode: string): string {
  return `${ownerType}|${code}|${parentCode}`;
}

/**
 * Builds the grid of one version and metric. Members are placed where the plan put them: under the
 * unit their month was split from (so a member split directly from a region shows there), else
 * under the team whose membership covers the month. The version row (with its `version` and
 * `cells_rev`) is read before the cells, so an edit sent with them never misses a later change.
 */
export async function buildPlanGrid(
  db: Db,
  head: { plan: PlanRow; version: VersionRow; metric: MetricRow },
  scope: GridScope,
): Promise<GridModel> {
  const { plan, version, metric } = head;
  const fsm = await getSetting(db, 'fiscalYearStartMonth');
  const months = monthsOfFiscalYear(plan.fiscal_year, fsm);
  const year = fiscalYearId(plan.fiscal_year);
  const org = await loadOrg(db, periodRange(year, fsm));

  const dims = scope.dims ?? NO_DIMS;
  const cells = await db
    .selectFrom('target_cells')
    .selectAll()
    .where('version_id', '=', version.id)
    .where('metric_id', '=', metric.id)
    .where('product_line_id', '=', dims.productLineId)
    .where('region_id', '=', dims.regionId)
    .where('segment_id', '=', dims.segmentId)
    .where('channel_id', '=', dims.channelId)
    .where('lifecycle', '=', dims.lifecycle)
    .where('period', 'in', [...months, year])
    .execute();
  // The unit each member cell was split from: only the org splits of the member cells read.
  const splitParentUnit = new Map<number, number>();
  const memberSplits = [
    ...new Set(
      cells.flatMap((c) => (c.owner_type === 'member' && c.split_id !== null ? [c.split_id] : [])),
    ),
  ];
  for (let i = 0; i < memberSplits.length; i += 1000) {
    const found = await db
      .selectFrom('target_splits')
      .select(['id', 'parent_key'])
      .where('id', 'in', memberSplits.slice(i, i + 1000))
      .where('axis', '=', 'org')
      .execute();
    for (const s of found) {
      const k = parseKeyText(s.parent_key);
      if (k.ownerType === 'unit') splitParentUnit.set(s.id, k.ownerId);
    }
  }
  const parentUnitOf = (c: CellRow) =>
    c.split_id === null ? undefined : splitParentUnit.get(c.split_id);

  // Members split directly from a unit that has sub-units (includeDirectMembers) get a row there.
  const direct = new Map<number, Set<number>>();
  for (const c of cells) {
    const u = parentUnitOf(c);
    if (c.owner_type !== 'member' || u === undefined || org.childUnits(u).length === 0) continue;
    direct.set(u, (direct.get(u) ?? new Set()).add(c.owner_id));
  }

  const canSeeUnit = (id: number) => scope.visible === null || scope.visible.units.has(id);
  const canSeeMember = (id: number) => scope.visible === null || scope.visible.members.has(id);
  const rows: GridRow[] = [];
  const memberRows = new Map<number, GridRow[]>();
  const coveredMonths = new Map<GridRow, Set<string>>();
  const push = (r: Omit<GridRow, 'index' | 'children' | 'cells'>): GridRow => {
    const row: GridRow = { ...r, index: rows.length, children: [], cells: new Map() };
    rows.push(row);
    if (row.parent !== null) rows[row.parent]?.children.push(row.index);
    return row;
  };
  const addMember = (
    memberId: number,
    parent: GridRow | null,
    depth: number,
    spans: { start: string; end: string | null; unitId?: number }[],
  ) => {
    const m = org.members.get(memberId);
    if (!m || !canSeeMember(m.id)) return;
    const home = spans.at(-1)?.unitId;
    const parentCode =
      parent?.code ?? (home === undefined ? '' : (org.units.get(home)?.code ?? ''));
    const row = push({
      ownerType: 'member',
      ownerId: m.id,
      code: m.code,
      nameZh: m.nameZh,
      nameEn: m.nameEn,
      parent: parent?.index ?? null,
      parentCode,
      depth,
    });
    memberRows.set(m.id, [...(memberRows.get(m.id) ?? []), row]);
    const covered = months.filter((mo) => {
      const r = periodRange(mo);
      return spans.some((s) => s.start <= r.end && (s.end === null || s.end > r.start));
    });
    coveredMonths.set(row, new Set(covered));
  };
  const addUnit = (unitId: number, parent: GridRow | null, depth: number) => {
    const u = org.units.get(unitId);
    if (!u) return;
    // The parent code is the org's, even for the top row of a subtree, so a manager's file keys its rows as the whole grid does.
    const parentCode = u.parentId === null ? '' : (org.units.get(u.parentId)?.code ?? '');
    const row = push({
      ownerType: 'unit',
      ownerId: u.id,
      code: u.code,
      nameZh: u.nameZh,
      nameEn: u.nameEn,
      parent: parent?.index ?? null,
      parentCode,
      depth,
    });
    if (scope.depth !== undefined && depth >= scope.depth) return;
    const subs = org.childUnits(u.id);
    for (const s of subs) addUnit(s.id, row, depth + 1);
    if (subs.length === 0) {
      // One row per member and team, however many memberships of that team they had in the year.
      const spans = new Map<number, { start: string; end: string | null }[]>();
      for (const ms of org.memberships)
        if (ms.unitId === u.id) spans.set(ms.memberId, [...(spans.get(ms.memberId) ?? []), ms]);
      for (const [memberId, list] of spans) addMember(memberId, row, depth + 1, list);
    } else {
      for (const memberId of direct.get(u.id) ?? []) addMember(memberId, row, depth + 1, []);
    }
  };

  let starts: number[];
  if (scope.unitId !== undefined) {
    if (!org.units.has(scope.unitId)) throw new AppError('NOT_FOUND', { entity: 'org_unit' });
    if (!canSeeUnit(scope.unitId)) throw new AppError('FORBIDDEN');
    starts = [scope.unitId];
  } else if (scope.visible === null) {
    starts = [org.root.id];
  } else {
    const v = scope.visible;
    starts = [...org.units.values()]
      .filter((u) => v.units.has(u.id) && (u.parentId === null || !v.units.has(u.parentId)))
      .map((u) => u.id);
  }
  for (const s of starts) addUnit(s, null, 0);
  if (starts.length === 0 && scope.memberId !== null) {
    const own = org.memberships.filter((ms) => ms.memberId === scope.memberId);
    if (own.length > 0) addMember(scope.memberId, null, 0, own);
  }

  const unitRow = new Map(rows.filter((r) => r.ownerType === 'unit').map((r) => [r.ownerId, r]));
  for (const c of cells) {
    if (c.owner_type === 'unit') {
      unitRow.get(c.owner_id)?.cells.set(c.period, c);
      continue;
    }
    const list = memberRows.get(c.owner_id) ?? [];
    const from = parentUnitOf(c);
    const target =
      list.find(
        (r) =>
          from !== undefined &&
          rows[r.parent ?? -1]?.ownerId === from &&
          rows[r.parent ?? -1]?.ownerType === 'unit',
      ) ??
      (c.period === year
        ? list[list.length - 1]
        : (list.find((r) => coveredMonths.get(r)?.has(c.period)) ?? list[list.length - 1]));
    target?.cells.set(c.period, c);
  }
  return { plan, version, metric, months, year, rows, org };
}

/**
 * How a cell of the grid is written and checked. `children`: the row's children hold cells for
 * this period, so the cell is their SUM (a formula) — unless it is stored and does not equal that
 * sum, in which case the plan is not consistent there and the stored number is shown as it is.
 * The year is always the SUM of the row's months unless only the year is stored (or it disagrees).
 */
export function isChildSum(model: GridModel, row: GridRow, period: string): boolean {
  let any = false;
  let sum = 0;
  for (const k of row.children) {
    const c = model.rows[k]?.cells.get(period);
    if (c) {
      any = true;
      sum += c.value;
    }
  }
  if (!any) return false;
  const own = row.cells.get(period);
  return own === undefined || own.value === sum;
}

export function isMonthSum(model: GridModel, row: GridRow): boolean {
  const fy = row.cells.get(model.year);
  if (!fy) return true;
  let any = false;
  let sum = 0;
  for (const m of model.months) {
    const c = row.cells.get(m);
    if (c) {
      any = true;
      sum += c.value;
    }
  }
  return any && sum === fy.value;
}

export interface PlanGridRequest {
  versionId: number;
  metricCode: string;
  /** Start from this unit (default: the top of what the actor may see). */
  unitId?: number;
  depth?: number;
  dims?: Dims;
}

/** The grid an actor may read: their scope, from `unitId` or the top of what they see. */
export async function buildPlanGridFor(
  db: Db,
  actor: Actor,
  input: PlanGridRequest,
): Promise<GridModel> {
  const head = await getVersion(db, input.versionId);
  const metric = await metricByCode(db, input.metricCode);
  const visible = await visibleOwners(db, actor.scope);
  return buildPlanGrid(
    db,
    { ...head, metric },
    {
      visible,
      memberId: actor.memberId,
      ...(input.unitId === undefined ? {} : { unitId: input.unitId }),
      ...(input.depth === undefined ? {} : { depth: input.depth }),
      ...(input.dims === undefined ? {} : { dims: input.dims }),
    },
  );
}
