import type { Kysely, Transaction } from 'kysely';
import { allocate } from '../../domain/allocation.ts';
import { AppError } from '../../domain/errors.ts';
import { formatMoney } from '../../domain/money.ts';
import { parsePeriod } from '../../domain/periods.ts';
import { fitMatrixLocked } from '../../domain/planning/matrix-locked.ts';
import type { Database } from '../schema.ts';
import {
  cellByKey,
  cellsByKeys,
  cellsOfSplits,
  insertCells,
  isFrozenPeriod,
  updateCells,
  type CellRow,
  type CellUpdate,
  type NewCell,
} from './cells.ts';
import { deleteSubtrees, periodMonths, type SplitContext } from './decompose-cell.ts';
import { keyOfRow, keyText, ownerRef, type CellKey } from './keys.ts';
import { axisItems, type AxisItem, type MatrixAxis } from './matrix-axes.ts';
import { historySeed, seedMeasure } from './matrix-seed.ts';
import { loadOrg, type OrgSnapshot } from './org.ts';
import { respreadBelow } from './rebalance.ts';
import { deleteOrphanSplits, insertSplits, splitIdentity, splitsOfParents } from './splits.ts';

type Q = Kysely<Database> | Transaction<Database>;

export type MatrixSeed = 'even' | 'history';

export interface MatrixSpec {
  parent: CellKey;
  rowAxis: MatrixAxis;
  colAxis: Exclude<MatrixAxis, 'org'>;
  seed: MatrixSeed;
  metricCode: string;
  /** 'fen' or 'count': how totals are written in messages. */
  metricUnit: string;
}

interface Line extends AxisItem {
  key: CellKey;
  cell: CellRow | null;
}

export interface MatrixLayout {
  parent: CellRow;
  parentName: { nameZh: string; nameEn: string };
  rows: Line[];
  /** Column cells are the parent split on the column axis: the column margins, stored. */
  cols: Line[];
  /** Current cells row × column (null: not there yet). */
  current: (CellRow | null)[][];
  /** Last year's actuals on the two axes (seed 'history'), else null. */
  seedMatrix: number[][] | null;
  seedYear: number | null;
  suggestedRowTotals: number[];
  suggestedColTotals: number[];
}

/**
 * The matrix a two-margin fit works on (METHOD §11): the cell `parent` (a unit, a year or a month),
 * its children on the row axis (the rows), its children on the column axis (the column margins)
 * and the cells row × column — each with its current cell when there is one. Totals are
 * suggested from the current cells when they already add up, otherwise from the seed (last
 * year's actuals, or even), allocated exactly.
 */
export async function loadMatrix(q: Q, ctx: SplitContext, spec: MatrixSpec): Promise<MatrixLayout> {
  const invalid = (reason: string) => new AppError('PLANNING_INVALID', { reason });
  if (spec.parent.ownerType !== 'unit') throw invalid('a matrix is fitted on an org unit’s target');
  if ((spec.rowAxis as string) === spec.colAxis)
    throw invalid('rows and columns need two different axes');
  const p = parsePeriod(spec.parent.period);
  if (spec.rowAxis === 'org' && p.kind !== 'month')
    throw invalid('an org × dimension matrix is fitted per month (the year is split over months)');
  if (isFrozenPeriod(spec.parent.period, ctx.frozenBefore))
    throw new AppError('PLAN_PERIOD_FROZEN', {
      period: spec.parent.period,
      frozenBefore: ctx.frozenBefore ?? '',
    });
  const parent = await cellByKey(q, ctx.versionId, ctx.metricId, spec.parent);
  const { range, months } = periodMonths(spec.parent.period, ctx.fiscalStartMonth);
  let orgCache: OrgSnapshot | undefined;
  const org = async () => (orgCache ??= await loadOrg(q, range));
  const unit = (await org()).units.get(spec.parent.ownerId);
  const parentName = { nameZh: unit?.nameZh ?? '', nameEn: unit?.nameEn ?? '' };
  if (!parent)
    throw new AppError('PLAN_CELL_MISSING', {
      key: `${parentName.nameZh || spec.parent.ownerId} ${spec.parent.period}`,
    });

  const lines = async (axis: MatrixAxis): Promise<Line[]> => {
    const items = await axisItems(q, axis, spec.parent, range, org);
    // Children an earlier split of this parent made that are no longer on the axis (a member who
    // left, a retired product line) stay as lines: their amounts must go somewhere explicit.
    const [old] = await splitsOfParents(
      q,
      ctx.versionId,
      ctx.metricId,
      [keyText(spec.parent)],
      axis,
    );
    const oldKids = old ? await cellsOfSplits(q, [old.id]) : [];
    const refs = new Set(items.map((i) => i.ref));
    const o = await org();
    for (const k of oldKids) {
      const key = keyOfRow(k);
      const ref = refOf(axis, key);
      if (refs.has(ref)) continue;
      const named =
        key.ownerType === 'member' ? o.members.get(key.ownerId) : o.units.get(key.ownerId);
      items.push({
        ref,
        nameZh: axis === 'org' ? (named?.nameZh ?? ref) : ref,
        nameEn: axis === 'org' ? (named?.nameEn ?? ref) : ref,
        patch: diffPatch(spec.parent, key),
      });
    }
    return items.map((it) => ({ ...it, key: { ...spec.parent, ...it.patch }, cell: null }));
  };
  const rows = await lines(spec.rowAxis);
  const cols = await lines(spec.colAxis);
  if (rows.length === 0 || cols.length === 0)
    throw invalid(`nothing to fit: no ${rows.length === 0 ? spec.rowAxis : spec.colAxis}`);

  const cellKeys = rows.map((r) => cols.map((c) => ({ ...r.key, ...c.patch })));
  const existing = await cellsByKeys(q, ctx.versionId, ctx.metricId, [
    ...rows.map((r) => r.key),
    ...cols.map((c) => c.key),
    ...cellKeys.flat(),
  ]);
  for (const l of [...rows, ...cols]) l.cell = existing.get(keyText(l.key)) ?? null;
  const current = cellKeys.map((row) => row.map((k) => existing.get(keyText(k)) ?? null));

  let seedMatrix: number[][] | null = null;
  let seedYear: number | null = null;
  if (spec.seed === 'history') {
    const measure = seedMeasure(spec.metricCode);
    if (!measure) throw new AppError('MATRIX_NO_HISTORY', { metric: spec.metricCode });
    const lastYear = months.map((m) => `${Number(m.slice(0, 4)) - 1}${m.slice(4)}`);
    // A year reads the fiscal year before; a month the same month a year earlier.
    seedYear = (p.kind === 'year' ? p.year : Number(months[0]?.slice(0, 4) ?? 0)) - 1;
    seedMatrix = await historySeed(q, {
      unitPath: unit?.path ?? '',
      parent: spec.parent,
      months: [lastYear[0] ?? '', lastYear[lastYear.length - 1] ?? ''],
      measure,
      rowAxis: spec.rowAxis,
      colAxis: spec.colAxis,
      rows,
      cols,
    });
  }

  // Suggestions: what is stored when it already adds up, else the seed's shares of the parent.
  const weights = (sums: number[]) => (sums.some((x) => x > 0) ? sums : sums.map(() => 1));
  const storedRows = rows.map((r) => r.cell?.value ?? null);
  const matrixCols = cols.map((_, j) =>
    current.every((row) => row[j]) ? current.reduce((a, row) => a + (row[j]?.value ?? 0), 0) : null,
  );
  const storedCols = cols.map((c, j) => matrixCols[j] ?? c.cell?.value ?? null);
  const adds = (xs: (number | null)[]) =>
    xs.every((x) => x !== null) && xs.reduce<number>((a, x) => a + (x ?? 0), 0) === parent.value;
  const seedRowSums = rows.map((_, i) => (seedMatrix?.[i] ?? []).reduce((a, x) => a + x, 0));
  const seedColSums = cols.map((_, j) => (seedMatrix ?? []).reduce((a, r) => a + (r[j] ?? 0), 0));
  return {
    parent,
    parentName,
    rows,
    cols,
    current,
    seedMatrix,
    seedYear,
    suggestedRowTotals: adds(storedRows)
      ? storedRows.map((x) => x ?? 0)
      : allocate(parent.value, weights(seedRowSums)),
    suggestedColTotals: adds(storedCols)
      ? storedCols.map((x) => x ?? 0)
      : allocate(parent.value, weights(seedColSums)),
  };
}

export interface FitMatrixRequest extends MatrixSpec {
  rowTotals: Record<string, number>;
  colTotals: Record<string, number>;
  /** false: fit and return the matrix, write nothing (the preview). */
  write: boolean;
}

export interface FitMatrixCellsResult {
  layout: MatrixLayout;
  rowTotals: number[];
  colTotals: number[];
  cells: number[][];
  fitted: number[][];
  iterations: number;
  converged: boolean;
  rounding: 'controlled' | 'flow';
  /** Cells written (rows, column margins, the matrix) and re-spread below them; 0 on a preview. */
  cellsWritten: number;
  before: { rows: (number | null)[]; cols: (number | null)[]; cells: (number | null)[][] };
}

/**
 * Fits the matrix to both margins and, unless previewing, writes it through the planner's cell
 * path with provenance: the parent's split on the row axis (the row totals), its split on the
 * column axis (the column totals) and, for every row, its split on the column axis (the fitted
 * cells) — all with method 'matrix_fit' and its inputs, so "why is my target X?" explains each
 * number. Locked cells keep their value (the fit works around them); a locked row or column
 * margin must be kept as it is. Cells below anything that changed re-spread, so the whole tree
 * still sums exactly.
 */
export async function fitMatrixCells(
  q: Q,
  ctx: SplitContext,
  req: FitMatrixRequest,
): Promise<FitMatrixCellsResult> {
  const layout = await loadMatrix(q, ctx, req);
  const { rows, cols, current, parent } = layout;
  const totalsOf = (lines: Line[], given: Record<string, number>, axis: 'row' | 'column') => {
    const unknown = Object.keys(given).find((ref) => !lines.some((l) => l.ref === ref));
    if (unknown !== undefined)
      throw new AppError('MATRIX_INVALID', { reason: `unknown ${axis} ${unknown}` });
    return lines.map((l) => {
      const v = given[l.ref];
      if (v === undefined)
        throw new AppError('MATRIX_INVALID', { reason: `no total for ${axis} ${l.ref}` });
      if (l.cell?.locked === 1 && l.cell.value !== v)
        throw new AppError('MATRIX_MARGIN_LOCKED', {
          name: l.nameZh,
          nameEn: l.nameEn,
          value: amountText(l.cell.value, req.metricUnit),
        });
      return v;
    });
  };
  const rowTotals = totalsOf(rows, req.rowTotals, 'row');
  const colTotals = totalsOf(cols, req.colTotals, 'column');
  const sumRows = rowTotals.reduce((a, x) => a + x, 0);
  const sumCols = colTotals.reduce((a, x) => a + x, 0);
  if (sumRows !== sumCols)
    throw new AppError('MATRIX_TOTALS_DISAGREE', {
      rows: amountText(sumRows, req.metricUnit),
      cols: amountText(sumCols, req.metricUnit),
      diff: amountText(Math.abs(sumRows - sumCols), req.metricUnit),
    });
  if (sumRows !== parent.value)
    throw new AppError('MATRIX_PARENT_MISMATCH', {
      sum: amountText(sumRows, req.metricUnit),
      parent: amountText(parent.value, req.metricUnit),
      name: layout.parentName.nameZh,
      nameEn: layout.parentName.nameEn,
      period: req.parent.period,
    });

  const locks = current.map((row) => row.map((c) => (c && c.locked === 1 ? c.value : null)));
  let fit;
  try {
    fit = fitMatrixLocked({
      rowTotals,
      colTotals,
      locks,
      ...(layout.seedMatrix ? { seed: layout.seedMatrix } : {}),
    });
  } catch (e) {
    throw namedMatrixError(e, rows, cols, req.metricUnit);
  }
  const before = {
    rows: rows.map((r) => r.cell?.value ?? null),
    cols: cols.map((c) => c.cell?.value ?? null),
    cells: current.map((row) => row.map((c) => c?.value ?? null)),
  };
  const result = {
    layout,
    rowTotals,
    colTotals,
    cells: fit.cells,
    fitted: fit.fitted,
    iterations: fit.iterations,
    converged: fit.converged,
    rounding: fit.rounding,
    cellsWritten: 0,
    before,
  };
  if (!req.write) return result;

  // Provenance: one split per parent and axis, method 'matrix_fit', with what made each number.
  const byRef = (lines: Line[], values: number[]) =>
    Object.fromEntries(lines.map((l, i) => [l.ref, values[i] ?? 0]));
  const matrix = {
    rowAxis: req.rowAxis,
    colAxis: req.colAxis,
    seed: req.seed,
    ...(layout.seedYear !== null ? { seedYear: layout.seedYear } : {}),
  };
  const margins = { rowTotals: byRef(rows, rowTotals), colTotals: byRef(cols, colTotals) };
  const parentText = keyText(req.parent);
  const at = ctx.now.toISOString();
  const split = (parentKey: string, axis: MatrixAxis, inputs: unknown) => ({
    versionId: ctx.versionId,
    metricId: ctx.metricId,
    parentKey,
    axis,
    method: 'matrix_fit',
    inputs,
    userId: ctx.userId,
    at,
  });
  const oldSplits = await splitsOfParents(q, ctx.versionId, ctx.metricId, [
    parentText,
    ...rows.map((r) => keyText(r.key)),
  ]);
  const replaced = oldSplits.filter(
    (s) =>
      (s.parent_key === parentText && (s.axis === req.rowAxis || s.axis === req.colAxis)) ||
      (s.parent_key !== parentText && s.axis === req.colAxis),
  );
  const oldChildren = await cellsOfSplits(
    q,
    replaced.map((s) => s.id),
  );
  const ids = await insertSplits(q, [
    split(parentText, req.rowAxis, { matrix, ...margins, role: 'rows', ...fitInfo(fit) }),
    split(parentText, req.colAxis, { matrix, ...margins, role: 'columns', ...fitInfo(fit) }),
    ...rows.map((r, i) =>
      split(keyText(r.key), req.colAxis, {
        matrix,
        role: 'cells',
        row: r.ref,
        rowTotal: rowTotals[i] ?? 0,
        colTotals: margins.colTotals,
        fitted: byRef(
          cols,
          cols.map((_, j) => Math.round((fit.fitted[i]?.[j] ?? 0) * 100) / 100),
        ),
        ...(layout.seedMatrix ? { seedRow: byRef(cols, layout.seedMatrix[i] ?? []) } : {}),
        ...fitInfo(fit),
      }),
    ),
  ]);
  const splitOf = (parentKey: string, axis: MatrixAxis) =>
    ids.get(splitIdentity(parentKey, axis)) ?? 0;

  const updates: CellUpdate[] = [];
  const inserts: NewCell[] = [];
  const changed: { row: CellRow; value: number }[] = [];
  const write = (key: CellKey, cell: CellRow | null, value: number, splitId: number) => {
    if (cell) {
      updates.push({ id: cell.id, value, splitId });
      if (cell.value !== value) changed.push({ row: cell, value });
    } else {
      inserts.push({ versionId: ctx.versionId, metricId: ctx.metricId, key, value, splitId });
    }
  };
  rows.forEach((r, i) => write(r.key, r.cell, rowTotals[i] ?? 0, splitOf(parentText, req.rowAxis)));
  cols.forEach((c, j) => write(c.key, c.cell, colTotals[j] ?? 0, splitOf(parentText, req.colAxis)));
  rows.forEach((r, i) => {
    const rowSplit = splitOf(keyText(r.key), req.colAxis);
    cols.forEach((c, j) =>
      write({ ...r.key, ...c.patch }, current[i]?.[j] ?? null, fit.cells[i]?.[j] ?? 0, rowSplit),
    );
  });
  const kept = new Set(updates.map((u) => u.id));
  await deleteSubtrees(
    q,
    ctx,
    oldChildren.filter((c) => !kept.has(c.id)),
  );
  await updateCells(q, updates);
  await insertCells(q, inserts);
  const respread = await respreadBelow(q, ctx.versionId, ctx.metricId, changed, ctx.frozenBefore);
  // A cell belongs to one split: splits whose children the matrix took over (or replaced) go.
  await deleteOrphanSplits(q, ctx.versionId, ctx.metricId);
  return { ...result, cellsWritten: updates.length + inserts.length + respread };
}

function fitInfo(fit: { iterations: number; converged: boolean; rounding: string }) {
  return { iterations: fit.iterations, converged: fit.converged, rounding: fit.rounding };
}

/** Totals in messages: 元 with separators for money, plain for counts. */
export function amountText(x: number, unit: string): string {
  return unit === 'fen' ? formatMoney(x, 'yuan', { withUnit: false }) : String(x);
}

/** The domain names rows and columns by number; the planner names them. */
function namedMatrixError(e: unknown, rows: Line[], cols: Line[], unit: string): unknown {
  if (!(e instanceof AppError)) return e;
  if (e.code === 'MATRIX_ROW_ZERO_SEED' || e.code === 'MATRIX_COLUMN_ZERO_SEED') {
    const isRow = e.code === 'MATRIX_ROW_ZERO_SEED';
    const line = (isRow ? rows : cols)[Number(isRow ? e.params.row : e.params.column) - 1];
    return new AppError('MATRIX_SEED_EMPTY', {
      name: line?.nameZh ?? '',
      nameEn: line?.nameEn ?? '',
      total: amountText(Number(e.params.total), unit),
    });
  }
  if (e.code === 'MATRIX_LOCKS_EXCEED') {
    const line = (e.params.axis === 'row' ? rows : cols)[Number(e.params.index) - 1];
    return new AppError('MATRIX_LOCKS_EXCEED', {
      ...e.params,
      name: line?.nameZh ?? '',
      nameEn: line?.nameEn ?? '',
      locked: amountText(Number(e.params.locked), unit),
      total: amountText(Number(e.params.total), unit),
    });
  }
  return e;
}

function refOf(axis: MatrixAxis, k: CellKey): string {
  switch (axis) {
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

function diffPatch(parent: CellKey, key: CellKey): Partial<CellKey> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(key)) if (parent[k as keyof CellKey] !== v) out[k] = v;
  return out as Partial<CellKey>;
}
