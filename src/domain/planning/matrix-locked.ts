/**
 * Two fixed margins with some cells fixed too (a manager's locked cells, METHOD §3 "a manager can
 * lock a cell; the rest absorb the difference"): the locked amounts come off their row and column
 * totals, the locked cells get a zero seed (so IPF never puts anything there), the free part is
 * fitted by `fitMatrix`, and the locks are added back. Both margins stay exact because they are
 * exact for the free part and the locks are counted once in each.
 */
import { AppError } from '../errors.ts';
import { fitMatrix, type FitMatrixResult } from './matrix.ts';

export interface FitLockedInput {
  rowTotals: readonly number[];
  colTotals: readonly number[];
  /** Non-negative; default all ones (the independence fit rowTotal × colTotal ÷ total). */
  seed?: readonly (readonly number[])[];
  /** Per cell: a fixed value, or null to fit it. */
  locks?: readonly (readonly (number | null)[])[];
}

export function fitMatrixLocked(input: FitLockedInput): FitMatrixResult {
  const R = input.rowTotals.length;
  const C = input.colTotals.length;
  const lock = (i: number, j: number): number | null => input.locks?.[i]?.[j] ?? null;
  const rows = input.rowTotals.map((r, i) => {
    let free = r;
    for (let j = 0; j < C; j++) free -= lock(i, j) ?? 0;
    return free;
  });
  const cols = input.colTotals.map((c, j) => {
    let free = c;
    for (let i = 0; i < R; i++) free -= lock(i, j) ?? 0;
    return free;
  });
  const over = [...rows, ...cols].findIndex((x) => x < 0);
  if (over >= 0) {
    const isRow = over < R;
    const k = isRow ? over : over - R;
    const total = isRow ? (input.rowTotals[k] ?? 0) : (input.colTotals[k] ?? 0);
    throw new AppError('MATRIX_LOCKS_EXCEED', {
      axis: isRow ? 'row' : 'column',
      index: k + 1,
      locked: total - (isRow ? (rows[k] ?? 0) : (cols[k] ?? 0)),
      total,
    });
  }
  const seed = Array.from({ length: R }, (_, i) =>
    Array.from({ length: C }, (_, j) => (lock(i, j) !== null ? 0 : (input.seed?.[i]?.[j] ?? 1))),
  );
  const r = fitMatrix({ rowTotals: rows, colTotals: cols, seed });
  return {
    ...r,
    cells: r.cells.map((row, i) => row.map((x, j) => x + (lock(i, j) ?? 0))),
    fitted: r.fitted.map((row, i) => row.map((x, j) => x + (lock(i, j) ?? 0))),
  };
}
