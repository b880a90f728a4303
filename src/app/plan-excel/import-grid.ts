import { audit } from '../../db/audit.ts';
import type { Actor } from '../actor.ts';
import { isDirector, visibleOwners } from '../plans/access.ts';
import type { Db } from '../../db/connect.ts';
import {
  assertUnchangedSince,
  cellByKey,
  cellsById,
  cellsOfSplits,
  isFrozenPeriod,
  updateCells,
  type CellRow,
} from '../../db/plans/cells.ts';
import { keyText, NO_DIMS, parseKeyText, type CellKey } from '../../db/plans/keys.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { respreadBelow } from '../../db/plans/rebalance.ts';
import { assertDraft, beginCellEdit, getVersion } from '../../db/plans/versions.ts';
import { AppError, type Problem } from '../../domain/errors.ts';
import { formatMoney } from '../../domain/money.ts';
import {
  isChildSum,
  isMonthSum,
  buildPlanGrid,
  rowKey,
  type GridModel,
  type GridRow,
} from '../plans/build-plan-grid.ts';
import { word, META_SHEET } from './layout.ts';
import { readGridFile, readGridMeta, type FileRow } from './read-grid-file.ts';

export interface ImportGridOptions {
  versionId: number;
  actor: Actor;
  now: Date;
  fileName?: string;
}

export interface ImportGridResult {
  /** Data rows read. */
  rows: number;
  /** Grid cells whose value changed (months and years, totals included). */
  changed: number;
  /** Cells below them (product lines…) re-spread by the planner to keep every level exact. */
  respread: number;
  /** The version's `version` (an import is a cell edit: it leaves the whole-version `version` as it is). */
  version: number;
}

interface Change {
  row: GridRow;
  period: string;
  cell: CellRow;
  value: number;
}

/**
 * Reads back a grid exported by `exportGridXlsx` and applies what changed — all or nothing.
 *
 * Totals are recomputed here from the month cells (a formula cell only brings the result Excel
 * cached, which may be stale or typed over), and every problem is collected before anything is
 * written, each with its row and column: unknown rows, unreadable numbers, a parent whose children
 * no longer sum to it, a year that is not the sum of its months, edits to locked cells, frozen
 * months or the committed target, rows outside the actor's scope, a changed total above the file
 * that nobody re-split, and a file read at an older `version` of the plan.
 *
 * A valid file writes the changed cells with the planner's own `updateCells` and then its
 * `respreadBelow`, which re-spreads whatever hangs below them (product lines…) exactly as an edit
 * in the planner would, in one transaction with an audit record.
 */
export async function importGridXlsx(
  db: Db,
  buffer: Buffer,
  o: ImportGridOptions,
): Promise<ImportGridResult> {
  const director = await isDirector(db, o.actor);
  if (!director && o.actor.role !== 'manager') throw new AppError('FORBIDDEN');
  const fileName = o.fileName ?? 'grid.xlsx';
  const head = await getVersion(db, o.versionId);
  assertDraft(head.version);
  const meta = await readGridMeta(buffer, fileName);
  if (meta.versionId !== head.version.id) {
    throw new AppError('IMPORT_INVALID', { count: 1 }, [
      {
        column: META_SHEET,
        code: 'PLAN_IMPORT_OTHER_VERSION',
        params: { fileVersionId: meta.versionId, versionId: head.version.id },
      },
    ]);
  }
  const metric = await metricByCode(db, meta.metric);
  if (metric.kind !== 'additive')
    throw new AppError('METRIC_NOT_SPLITTABLE', { code: metric.code, kind: metric.kind });
  const model = await buildPlanGrid(db, { ...head, metric }, { visible: null, memberId: null });
  const file = await readGridFile(buffer, fileName, model.months, model.year, metric.unit);
  const problems: Problem[] = [...file.problems];
  if (meta.version !== head.version.version) {
    problems.push({
      column: META_SHEET,
      code: 'VERSION_CONFLICT',
      params: { current: head.version.version, given: meta.version },
    });
  }
  const unit = meta.amountUnit === 'yuan' ? 'yuan' : 'wan';
  const fmt = (v: number) =>
    metric.unit === 'fen'
      ? formatMoney(v, unit, { decimals: unit === 'wan' ? 6 : 2, locale: meta.lang })
      : String(v);

  // 1. Rows of the file → rows of the plan, in scope.
  const visible = await visibleOwners(db, o.actor.scope);
  const byRow = matchRows(model, file.rows, file, problems, visible);
  // Cells of the file's rows edited since it was read make it stale; edits elsewhere do not.
  const edited = [...byRow.keys()].some((i) =>
    [...(model.rows[i]?.cells.values() ?? [])].some((c) => c.rev > meta.cellsRev),
  );
  if (edited && meta.version === head.version.version) {
    problems.push({
      column: META_SHEET,
      code: 'VERSION_CONFLICT',
      params: { current: head.version.cells_rev, given: meta.cellsRev },
    });
  }

  // 2. New values, children before parents; formula cells are recomputed and their cached value checked.
  const next = new Map<string, number>();
  const tainted = new Set<string>();
  const id = (r: GridRow, p: string) => `${r.index}|${p}`;
  const where = (r: GridRow, p: string) => {
    const f = byRow.get(r.index);
    const yearWord = word('year', meta.lang);
    return f
      ? { row: f.rowNumber, column: file.headerOf.get(p) ?? p }
      : { column: `${r.code} ${p === model.year ? yearWord : p}` };
  };
  const flagged = new Set<string>();
  const mismatch = (r: GridRow, p: string, sum: number, given: number) => {
    flagged.add(id(r, p));
    const label = `${r.code} ${p === model.year ? word('year', meta.lang) : p}`;
    problems.push({
      ...where(r, p),
      code: 'DECOMPOSE_MANUAL_MISMATCH',
      params: { parentId: label, sum: fmt(sum), parent: fmt(given) },
    });
  };
  for (let i = model.rows.length - 1; i >= 0; i--) {
    const r = model.rows[i];
    if (!r) continue;
    const f = byRow.get(r.index);
    for (const p of model.months)
      resolveCell(
        r,
        p,
        f,
        model.rows,
        next,
        tainted,
        id,
        mismatch,
        problems,
        where,
        isChildSum(model, r, p),
      );
    resolveYear(model, r, f, next, tainted, id, mismatch);
  }

  // 3. What changed, and whether it may.
  const changes: Change[] = [];
  for (const r of model.rows) {
    for (const [p, cell] of r.cells) {
      const v = next.get(id(r, p));
      if (v !== undefined && v !== cell.value) changes.push({ row: r, period: p, cell, value: v });
    }
  }
  await checkChanges(db, model, changes, {
    director,
    actor: o.actor,
    problems,
    where,
    flagged,
    id,
    fmt,
    next,
  });

  if (problems.length > 0) {
    problems.sort((a, b) => (a.row ?? 0) - (b.row ?? 0));
    throw new AppError('IMPORT_INVALID', { count: problems.length }, problems);
  }
  if (changes.length === 0)
    return { rows: file.rows.length, changed: 0, respread: 0, version: head.version.version };

  // A cell edit like the grid's: edits of other subtrees since the file was read do not stop it;
  // a cell this import writes that someone changed since (or a whole-version change) does.
  return db.transaction().execute(async (trx) => {
    const { rev } = await beginCellEdit(trx, head.version.id, meta.version);
    const stamp = { readRev: meta.cellsRev, rev };
    const written = await cellsById(
      trx,
      changes.map((c) => c.cell.id),
    );
    assertUnchangedSince(written, stamp);
    await updateCells(
      trx,
      changes.map((c) => ({ id: c.cell.id, value: c.value })),
      rev,
    );
    const respread = await respreadBelow(
      trx,
      head.version.id,
      metric.id,
      changes.map((c) => ({ row: c.cell, value: c.value })),
      head.version.frozen_before,
      stamp,
    );
    await audit(trx, o.now, {
      userId: o.actor.id,
      action: 'import',
      entity: 'target_cells',
      entityId: head.version.id,
      before: {
        file: fileName,
        metric: metric.code,
        cells: changes.map((c) => ({ cellId: c.cell.id, value: c.cell.value })),
      },
      after: { cells: changes.map((c) => ({ cellId: c.cell.id, value: c.value })), respread },
    });
    return { rows: file.rows.length, changed: changes.length, respread, version: meta.version };
  });
}

type Where = (r: GridRow, p: string) => { row?: number; column: string };

function matchRows(
  model: GridModel,
  rows: readonly FileRow[],
  file: { codeHeader: string; parentHeader: string },
  problems: Problem[],
  visible: { units: Set<number>; members: Set<number> } | null,
): Map<number, FileRow> {
  const byKey = new Map(model.rows.map((r) => [rowKey(r.ownerType, r.code, r.parentCode), r]));
  const byCode = new Map<string, GridRow[]>();
  for (const r of model.rows) byCode.set(r.code, [...(byCode.get(r.code) ?? []), r]);
  const out = new Map<number, FileRow>();
  const firstRow = new Map<number, number>();
  for (const f of rows) {
    const candidates = (byCode.get(f.code) ?? []).filter(
      (r) => f.ownerType === undefined || r.ownerType === f.ownerType,
    );
    const exact =
      f.ownerType !== undefined && f.parentCode !== undefined
        ? byKey.get(rowKey(f.ownerType, f.code, f.parentCode))
        : undefined;
    const row =
      exact ??
      (f.parentCode === undefined || f.ownerType === undefined
        ? candidates.length === 1
          ? candidates[0]
          : undefined
        : undefined);
    if (!row) {
      if (candidates.length === 0) {
        const entity = f.ownerType === 'unit' ? 'org_unit' : 'member';
        problems.push({
          row: f.rowNumber,
          column: file.codeHeader,
          code: 'REFERENCE_NOT_FOUND',
          params: { entity, value: f.code },
        });
      } else {
        problems.push({
          row: f.rowNumber,
          column: file.parentHeader,
          code: 'REFERENCE_NOT_FOUND',
          params: { entity: 'org_unit', value: f.parentCode ?? '' },
        });
      }
      continue;
    }
    const other = firstRow.get(row.index);
    if (other !== undefined) {
      problems.push({
        row: f.rowNumber,
        column: file.codeHeader,
        code: 'IMPORT_DUPLICATE_KEY',
        params: { code: f.code, other },
      });
      continue;
    }
    firstRow.set(row.index, f.rowNumber);
    const inScope =
      visible === null ||
      (row.ownerType === 'unit'
        ? visible.units.has(row.ownerId)
        : visible.members.has(row.ownerId));
    if (!inScope) {
      problems.push({ row: f.rowNumber, column: file.codeHeader, code: 'FORBIDDEN' });
      continue;
    }
    out.set(row.index, f);
  }
  return out;
}

/**
 * One month of one row. A formula cell (its children hold cells) becomes the sum of its children's
 * new values, and the number the file shows there must agree; any other stored cell takes the
 * file's number (a blank is 0, as Excel sums it) or keeps its value when the row or column is absent.
 */
function resolveCell(
  r: GridRow,
  p: string,
  f: FileRow | undefined,
  rows: readonly GridRow[],
  next: Map<string, number>,
  tainted: Set<string>,
  id: (r: GridRow, p: string) => string,
  mismatch: (r: GridRow, p: string, sum: number, given: number) => void,
  problems: Problem[],
  where: Where,
  childSum: boolean,
): void {
  const key = id(r, p);
  const given = f?.values.get(p);
  if (f?.bad.has(p)) tainted.add(key);
  if (childSum) {
    let sum = 0;
    for (const k of r.children) {
      const child = rows[k];
      if (!child) continue;
      const v = next.get(id(child, p));
      if (v !== undefined) sum += v;
      if (tainted.has(id(child, p))) tainted.add(key);
    }
    next.set(key, sum);
    if (given !== undefined && given !== null && given !== sum && !tainted.has(key))
      mismatch(r, p, sum, given);
    return;
  }
  const stored = r.cells.get(p);
  if (stored) {
    next.set(key, given === undefined || f?.bad.has(p) ? stored.value : (given ?? 0));
  } else if (given !== undefined && given !== null && given !== 0) {
    problems.push({ ...where(r, p), code: 'PLAN_CELL_MISSING', params: { key: `${r.code} ${p}` } });
  }
}

/** The year: the sum of the row's months, unless only the year is stored (then it is a number like any other). */
function resolveYear(
  model: GridModel,
  r: GridRow,
  f: FileRow | undefined,
  next: Map<string, number>,
  tainted: Set<string>,
  id: (r: GridRow, p: string) => string,
  mismatch: (r: GridRow, p: string, sum: number, given: number) => void,
): void {
  const key = id(r, model.year);
  const given = f?.values.get(model.year);
  if (f?.bad.has(model.year)) tainted.add(key);
  const stored = r.cells.get(model.year);
  if (isMonthSum(model, r)) {
    let any = false;
    let sum = 0;
    for (const m of model.months) {
      const v = next.get(id(r, m));
      if (v === undefined) continue;
      any = true;
      sum += v;
      if (tainted.has(id(r, m))) tainted.add(key);
    }
    if (!any && !stored) return;
    next.set(key, sum);
    if (given !== undefined && given !== null && given !== sum && !tainted.has(key))
      mismatch(r, model.year, sum, given);
    return;
  }
  if (stored)
    next.set(key, given === undefined || f?.bad.has(model.year) ? stored.value : (given ?? 0));
}

/**
 * Every changed cell must be open (not locked, not in a frozen month, not the committed target),
 * writable by the actor (a manager writes only where the cell and the parent its siblings share
 * lie in their subtree, as in the planner), and its split must still sum to its parent's new value
 * — which catches a changed total whose parent lies outside the file.
 */
async function checkChanges(
  db: Db,
  model: GridModel,
  changes: readonly Change[],
  c: {
    director: boolean;
    actor: Actor;
    problems: Problem[];
    where: Where;
    flagged: Set<string>;
    id: (r: GridRow, p: string) => string;
    fmt: (v: number) => string;
    next: Map<string, number>;
  },
): Promise<void> {
  if (changes.length === 0) return;
  const v = model.version;
  const splitIds = [
    ...new Set(changes.map((ch) => ch.cell.split_id).filter((s): s is number => s !== null)),
  ];
  const splits = new Map<number, CellKey>();
  for (let i = 0; i < splitIds.length; i += 1000) {
    const rows = await db
      .selectFrom('target_splits')
      .select(['id', 'parent_key'])
      .where('id', 'in', splitIds.slice(i, i + 1000))
      .execute();
    for (const s of rows) splits.set(s.id, parseKeyText(s.parent_key));
  }
  const writable = c.director
    ? null
    : await visibleOwners(db, { ...c.actor.scope, memberId: null });
  const mayWrite = (k: { ownerType: string; ownerId: number }) =>
    writable === null ||
    (k.ownerType === 'unit' ? writable.units.has(k.ownerId) : writable.members.has(k.ownerId));

  for (const ch of changes) {
    const at = c.where(ch.row, ch.period);
    const parent = ch.cell.split_id === null ? undefined : splits.get(ch.cell.split_id);
    if (ch.cell.locked === 1)
      c.problems.push({
        ...at,
        code: 'PLAN_CELL_LOCKED',
        params: { key: `${ch.row.code} ${ch.period}` },
      });
    else if (isFrozenPeriod(ch.period, v.frozen_before))
      c.problems.push({
        ...at,
        code: 'PLAN_PERIOD_FROZEN',
        params: { period: ch.period, frozenBefore: v.frozen_before ?? '' },
      });
    else if (!parent)
      c.problems.push({
        ...at,
        code: 'PLAN_IMPORT_COMMITTED_TARGET',
        params: { key: `${ch.row.code} ${ch.period}`, value: c.fmt(ch.cell.value) },
      });
    else if (!mayWrite(ch.row) || !mayWrite(parent)) c.problems.push({ ...at, code: 'FORBIDDEN' });
  }

  // Each split touched must still add up: siblings outside the grid keep their stored values.
  const newById = new Map(changes.map((ch) => [ch.cell.id, ch.value]));
  const unitRow = new Map(
    model.rows.filter((r) => r.ownerType === 'unit').map((r) => [r.ownerId, r]),
  );
  const siblings = await cellsOfSplits(db, [...splits.keys()]);
  const bySplit = new Map<number, CellRow[]>();
  for (const s of siblings)
    bySplit.set(s.split_id ?? 0, [...(bySplit.get(s.split_id ?? 0) ?? []), s]);
  for (const [splitId, parentKey] of splits) {
    const sum = (bySplit.get(splitId) ?? []).reduce(
      (a, s) => a + (newById.get(s.id) ?? s.value),
      0,
    );
    const plain = keyText(parentKey) === keyText({ ...parentKey, ...NO_DIMS });
    const row =
      plain && parentKey.ownerType === 'unit' ? unitRow.get(parentKey.ownerId) : undefined;
    let parentValue = row ? c.next.get(c.id(row, parentKey.period)) : undefined;
    if (parentValue === undefined)
      parentValue = (await cellByKey(db, v.id, model.metric.id, parentKey))?.value;
    if (parentValue === undefined || parentValue === sum) continue;
    if (row && c.flagged.has(c.id(row, parentKey.period))) continue;
    const first = changes.find((ch) => ch.cell.split_id === splitId);
    const at = row
      ? c.where(row, parentKey.period)
      : first
        ? c.where(first.row, first.period)
        : { column: parentKey.period };
    const label = `${row?.code ?? `${parentKey.ownerType}:${parentKey.ownerId}`} ${parentKey.period}`;
    c.problems.push({
      ...at,
      code: 'DECOMPOSE_MANUAL_MISMATCH',
      params: { parentId: label, sum: c.fmt(sum), parent: c.fmt(parentValue) },
    });
  }
}
