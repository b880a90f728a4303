import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { SplitContext } from '../../db/plans/decompose-cell.ts';
import {
  fitMatrixCells,
  loadMatrix,
  type MatrixSeed,
  type MatrixSpec,
} from '../../db/plans/fit-matrix-cells.ts';
import { withDims, type CellKey, type Dims } from '../../db/plans/keys.ts';
import type { MatrixAxis } from '../../db/plans/matrix-axes.ts';
import { metricByCode } from '../../db/plans/metrics.ts';
import { assertDraft, getVersion, lockVersionRow, touchVersion } from '../../db/plans/versions.ts';
import { getSetting } from '../../db/settings.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertTargetWritable } from './access.ts';

/**
 * The two-margin matrix fit in the planner (METHOD §11 "Two fixed margins"): read a unit's cell as
 * rows × columns with suggested margins and last year's actuals, preview the fit, apply it.
 * Planners only: the director anywhere, a manager on a unit of their subtree.
 */
export interface MatrixRequest {
  versionId: number;
  metricCode: string;
  unitId: number;
  period: string;
  dims?: Partial<Dims>;
  rowAxis: MatrixAxis;
  colAxis: Exclude<MatrixAxis, 'org'>;
  seed: MatrixSeed;
}

interface MatrixLineView {
  ref: string;
  nameZh: string;
  nameEn: string;
  cellId: number | null;
  current: number | null;
  locked: boolean;
}

export interface MatrixView {
  metric: string;
  parent: { cellId: number; key: CellKey; value: number; nameZh: string; nameEn: string };
  rowAxis: MatrixAxis;
  colAxis: Exclude<MatrixAxis, 'org'>;
  seed: MatrixSeed;
  seedYear: number | null;
  rows: MatrixLineView[];
  cols: MatrixLineView[];
  current: (number | null)[][];
  locked: boolean[][];
  seedMatrix: number[][] | null;
  suggestedRowTotals: number[];
  suggestedColTotals: number[];
}

export interface FitMatrixInput extends MatrixRequest {
  /** The version's `version`; required to apply, ignored by a dry run. */
  version?: number;
  rowTotals: Record<string, number>;
  colTotals: Record<string, number>;
  dryRun: boolean;
}

export interface FitMatrixResult {
  applied: boolean;
  rows: string[];
  cols: string[];
  rowTotals: number[];
  colTotals: number[];
  cells: number[][];
  fitted: number[][];
  iterations: number;
  converged: boolean;
  rounding: 'controlled' | 'flow';
  cellsWritten: number;
  version: number | null;
}

const unitOwner = (id: number) => ({ ownerType: 'unit' as const, ownerId: id });

async function contextOf(db: Db, actor: Actor, r: MatrixRequest, now: Date) {
  const { version } = await getVersion(db, r.versionId);
  const metric = await metricByCode(db, r.metricCode);
  if (metric.kind !== 'additive')
    throw new AppError('METRIC_NOT_SPLITTABLE', { code: metric.code, kind: metric.kind });
  const ctx: SplitContext = {
    versionId: version.id,
    metricId: metric.id,
    frozenBefore: version.frozen_before,
    fiscalStartMonth: await getSetting(db, 'fiscalYearStartMonth'),
    lensesJson: version.lenses,
    userId: actor.id,
    now,
  };
  const spec: MatrixSpec = {
    parent: withDims({ ownerType: 'unit', ownerId: r.unitId, period: r.period }, r.dims),
    rowAxis: r.rowAxis,
    colAxis: r.colAxis,
    seed: r.seed,
    metricCode: metric.code,
    metricUnit: metric.unit,
  };
  return { ctx, metric, version, spec };
}

/** A unit's target as rows × columns on two axes: current cells, suggested margins, last year's matrix. */
export async function readMatrix(
  db: Db,
  actor: Actor,
  input: MatrixRequest,
  now: Date,
): Promise<MatrixView> {
  await assertTargetWritable(db, actor, unitOwner(input.unitId), unitOwner(input.unitId));
  const { ctx, metric, spec } = await contextOf(db, actor, input, now);
  const m = await loadMatrix(db, ctx, spec);
  const line = (l: (typeof m.rows)[number]): MatrixLineView => ({
    ref: l.ref,
    nameZh: l.nameZh,
    nameEn: l.nameEn,
    cellId: l.cell?.id ?? null,
    current: l.cell?.value ?? null,
    locked: l.cell?.locked === 1,
  });
  return {
    metric: metric.code,
    parent: {
      cellId: m.parent.id,
      key: spec.parent,
      value: m.parent.value,
      ...m.parentName,
    },
    rowAxis: input.rowAxis,
    colAxis: input.colAxis,
    seed: input.seed,
    seedYear: m.seedYear,
    rows: m.rows.map(line),
    cols: m.cols.map(line),
    current: m.current.map((r) => r.map((c) => c?.value ?? null)),
    locked: m.current.map((r) => r.map((c) => c?.locked === 1)),
    seedMatrix: m.seedMatrix,
    suggestedRowTotals: m.suggestedRowTotals,
    suggestedColTotals: m.suggestedColTotals,
  };
}

/**
 * Fits a unit's target to fixed row and column totals; a dry run previews and writes nothing,
 * otherwise one transaction writes the cells with provenance, moves the version's `version`
 * (a whole-version write) and audits before and after.
 */
export async function fitMatrix(
  db: Db,
  actor: Actor,
  input: FitMatrixInput,
  now: Date,
): Promise<FitMatrixResult> {
  await assertTargetWritable(db, actor, unitOwner(input.unitId), unitOwner(input.unitId));
  const run = async (q: Db): Promise<FitMatrixResult> => {
    if (!input.dryRun) await lockVersionRow(q, input.versionId);
    const { ctx, metric, version: v, spec } = await contextOf(q, actor, input, now);
    assertDraft(v);
    if (!input.dryRun && input.version === undefined)
      throw new AppError('VALIDATION', { field: 'version', reason: 'required to apply' });
    const r = await fitMatrixCells(q, ctx, {
      ...spec,
      rowTotals: input.rowTotals,
      colTotals: input.colTotals,
      write: !input.dryRun,
    });
    let next: number | null = null;
    if (!input.dryRun) {
      next = await touchVersion(q, v, input.version);
      const refs = (ls: { ref: string }[]) => ls.map((l) => l.ref);
      await audit(q, now, {
        userId: actor.id,
        action: 'matrix_fit',
        entity: 'plan_version',
        entityId: v.id,
        before: { rows: r.before.rows, cols: r.before.cols, cells: r.before.cells },
        after: {
          metric: metric.code,
          parent: spec.parent,
          rowAxis: input.rowAxis,
          colAxis: input.colAxis,
          seed: input.seed,
          rows: refs(r.layout.rows),
          cols: refs(r.layout.cols),
          rowTotals: r.rowTotals,
          colTotals: r.colTotals,
          cells: r.cells,
          cellsWritten: r.cellsWritten,
        },
      });
    }
    return {
      applied: !input.dryRun,
      rows: r.layout.rows.map((l) => l.ref),
      cols: r.layout.cols.map((l) => l.ref),
      rowTotals: r.rowTotals,
      colTotals: r.colTotals,
      cells: r.cells,
      fitted: r.fitted,
      iterations: r.iterations,
      converged: r.converged,
      rounding: r.rounding,
      cellsWritten: r.cellsWritten,
      version: next,
    };
  };
  // A dry run reads only; applying is one transaction (cells, splits, version, audit).
  return input.dryRun ? run(db) : db.transaction().execute((trx) => run(trx as unknown as Db));
}
