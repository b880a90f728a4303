/**
 * Two fixed margins (METHOD §11): a table — regions (rows) × product lines (columns) — whose row
 * totals and column totals are both fixed. Rounding each row by largest remainder would break
 * the column totals, so:
 *
 * 1. Fit. Iterative proportional fitting (IPF, a.k.a. RAS) from a seed (last year's matrix;
 *    default the outer product rowTotal × colTotal, i.e. independence): alternately scale every
 *    row to its total and every column to its total until both match. Zero seed cells stay zero
 *    (scaling never makes a zero positive). Done in doubles — this is the real-valued target
 *    the integers must stay near, not money yet.
 *
 * 2. Controlled rounding. Every cell starts at ⌊x⌋; the units still missing in row i and in
 *    column j are the residuals aᵢ, bⱼ (Σa = Σb because the margins agree). Cells are raised by
 *    one in order of largest fractional part while both their row and their column still miss a
 *    unit; whatever is left is completed by augmenting paths in the bipartite rows ⇄ columns
 *    graph (raise a cell, lower another one that was raised, … — a unit-capacity max-flow), with
 *    every cell kept in [⌊x⌋, ⌊x⌋ + 1]. Because the fitted x itself is a fractional solution
 *    of that flow problem, an integral one exists (integrality of network flows), so both
 *    margins come out exact and every cell is within one unit of its fitted value; only cells
 *    whose x is fractional move.
 *
 * 3. Fallback. If IPF has not converged (structural zeros that force some cells to zero only
 *    in the limit, or seeds so skewed that 10,000 sweeps are not enough) step 2 can fail; the
 *    same flow is then solved in widening windows [⌊x⌋ − k, ⌊x⌋ + 1 + k], k = 1, 2, 4 … 32,
 *    and finally [0, ∞) on the seed's support. If even that is impossible, the zeros make the
 *    margins unreachable: MATRIX_INFEASIBLE.
 *
 * Precision: the fit is in doubles, so "within one unit" holds while totals stay well inside
 * 2^53 — up to about 10^13 fen (1,000亿元) per table; the margins are exact at any size.
 *
 * Deterministic: ties break by row, then column. Margins must be non-negative integers.
 */
import { allocate } from '../allocation.ts';
import { AppError } from '../errors.ts';

export interface FitMatrixInput {
  rowTotals: readonly number[];
  colTotals: readonly number[];
  /** Non-negative; a zero cell stays zero. Default: rowTotal × colTotal. */
  seed?: readonly (readonly number[])[];
  /** IPF sweeps before giving up on convergence; default 10,000 (skewed seeds converge slowly). */
  maxIterations?: number;
}

export interface FitMatrixResult {
  /** Integers; Σ row i = rowTotals[i], Σ column j = colTotals[j]. */
  cells: number[][];
  /** The IPF real values the cells were rounded from. */
  fitted: number[][];
  iterations: number;
  converged: boolean;
  /** 'controlled': each cell is ⌊fitted⌋ or ⌊fitted⌋ + 1; 'flow': the fallback of step 3. */
  rounding: 'controlled' | 'flow';
}

export function fitMatrix(input: FitMatrixInput): FitMatrixResult {
  const rows = input.rowTotals.map((r) => assertMargin(r, 'row'));
  const cols = input.colTotals.map((c) => assertMargin(c, 'column'));
  const sumRows = rows.reduce((a, b) => a + BigInt(b), 0n);
  const sumCols = cols.reduce((a, b) => a + BigInt(b), 0n);
  if (sumRows !== sumCols) {
    throw new AppError('MATRIX_MARGINS_DISAGREE', {
      rows: sumRows.toString(),
      cols: sumCols.toString(),
    });
  }
  const R = rows.length;
  const C = cols.length;
  const seed = input.seed ?? rows.map((r) => cols.map((c) => r * c));
  if (seed.length !== R || seed.some((row) => row.length !== C)) {
    throw new AppError('MATRIX_INVALID', { reason: `seed must be ${R} × ${C}` });
  }
  const support = seed.map((row) =>
    row.map((s) => {
      if (!Number.isFinite(s) || s < 0)
        throw new AppError('MATRIX_INVALID', { reason: `seed cell ${s}` });
      return s > 0;
    }),
  );
  rows.forEach((r, i) => {
    if (r > 0 && !support[i]?.includes(true)) {
      throw new AppError('MATRIX_ROW_ZERO_SEED', { row: i + 1, total: r });
    }
  });
  cols.forEach((c, j) => {
    if (c > 0 && !support.some((row) => row[j])) {
      throw new AppError('MATRIX_COLUMN_ZERO_SEED', { column: j + 1, total: c });
    }
  });

  const { fitted, iterations, converged } = ipf(seed, rows, cols, input.maxIterations ?? 10_000);

  const floors = fitted.map((row) => row.map((x) => Math.floor(x)));
  const controlled = roundWithin(
    rows,
    cols,
    fitted,
    floors,
    floors.map((row, i) => row.map((f, j) => ((fitted[i]?.[j] ?? 0) > f ? f + 1 : f))),
    floors,
  );
  if (controlled)
    return { cells: controlled, fitted, iterations, converged, rounding: 'controlled' };

  // Fallback: widen the window around ⌊x⌋ step by step, so cells stay as near the fitted values
  // as the zeros allow; the last window is [0, ∞), i.e. any solution on the support.
  for (const k of [1, 2, 4, 8, 16, 32, Infinity]) {
    const lo = floors.map((row, i) =>
      row.map((f, j) => (support[i]?.[j] ? Math.max(0, f - k) : 0)),
    );
    const hi = floors.map((row, i) => row.map((f, j) => (support[i]?.[j] ? f + 1 + k : 0)));
    const start = withoutOvershoot(floors, lo, rows, cols, support);
    const cells = start && roundWithin(rows, cols, fitted, lo, hi, start);
    if (cells) return { cells, fitted, iterations, converged, rounding: 'flow' };
  }
  throw new AppError('MATRIX_INFEASIBLE');
}

function ipf(
  seed: readonly (readonly number[])[],
  rows: readonly number[],
  cols: readonly number[],
  maxIterations: number,
): { fitted: number[][]; iterations: number; converged: boolean } {
  const x = seed.map((row) => [...row]);
  const total = rows.reduce((a, b) => a + b, 0);
  // Doubles carry ~16 digits; ask for agreement well below one unit of the largest margins.
  const tolerance = Math.max(1e-9, total * 1e-13);
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations && !converged) {
    iterations++;
    x.forEach((row, i) => {
      const s = row.reduce((a, b) => a + b, 0);
      const f = s > 0 ? (rows[i] ?? 0) / s : 0;
      for (let j = 0; j < row.length; j++) row[j] = (row[j] ?? 0) * f;
    });
    cols.forEach((c, j) => {
      const s = x.reduce((a, row) => a + (row[j] ?? 0), 0);
      const f = s > 0 ? c / s : 0;
      for (const row of x) row[j] = (row[j] ?? 0) * f;
    });
    converged = x.every(
      (row, i) => Math.abs(row.reduce((a, b) => a + b, 0) - (rows[i] ?? 0)) <= tolerance,
    );
  }
  return { fitted: x, iterations, converged };
}

/**
 * The start of a fallback window: ⌊x⌋ on the support, lowered (first cells first, never below
 * `lo`) where a row or column would already exceed its total, so the flow starts from a valid
 * partial flow. Undefined when the window cannot even get below the totals.
 */
function withoutOvershoot(
  floors: readonly (readonly number[])[],
  lo: readonly (readonly number[])[],
  rows: readonly number[],
  cols: readonly number[],
  support: readonly (readonly boolean[])[],
): number[][] | undefined {
  const v = floors.map((row, i) => row.map((f, j) => (support[i]?.[j] ? Math.max(0, f) : 0)));
  const lower = (i: number, j: number, over: number): number => {
    const row = v[i] ?? [];
    const cut = Math.max(0, Math.min(over, (row[j] ?? 0) - (lo[i]?.[j] ?? 0)));
    row[j] = (row[j] ?? 0) - cut;
    return over - cut;
  };
  for (let i = 0; i < v.length; i++) {
    let over = (v[i] ?? []).reduce((a, b) => a + b, 0) - (rows[i] ?? 0);
    for (let j = 0; j < cols.length && over > 0; j++) over = lower(i, j, over);
    if (over > 0) return undefined;
  }
  for (let j = 0; j < cols.length; j++) {
    let over = v.reduce((a, row) => a + (row[j] ?? 0), 0) - (cols[j] ?? 0);
    for (let i = 0; i < v.length && over > 0; i++) over = lower(i, j, over);
    if (over > 0) return undefined;
  }
  return v;
}

/**
 * Integers v with lo ≤ v ≤ hi and exact margins, from `start` (lo ≤ start ≤ hi, no margin
 * exceeded): largest fractional part first, then augmenting paths. Undefined when impossible.
 */
function roundWithin(
  rows: readonly number[],
  cols: readonly number[],
  fitted: readonly (readonly number[])[],
  lo: readonly (readonly number[])[],
  hi: readonly (readonly number[])[],
  start: readonly (readonly number[])[],
): number[][] | undefined {
  const R = rows.length;
  const C = cols.length;
  const v = start.map((row) => [...row]);
  const frac = (i: number, j: number) => (fitted[i]?.[j] ?? 0) - Math.floor(fitted[i]?.[j] ?? 0);
  const cell = (i: number, j: number) => v[i]?.[j] ?? 0;
  const set = (i: number, j: number, x: number) => {
    const row = v[i];
    if (row) row[j] = x;
  };
  const a = rows.map((r, i) => r - (v[i] ?? []).reduce((s, x) => s + x, 0));
  const b = cols.map((c, j) => c - v.reduce((s, row) => s + (row[j] ?? 0), 0));
  if (a.some((x) => x < 0) || b.some((x) => x < 0)) return undefined;

  const cells: [number, number][] = [];
  for (let i = 0; i < R; i++) for (let j = 0; j < C; j++) cells.push([i, j]);
  cells.sort(([i1, j1], [i2, j2]) => frac(i2, j2) - frac(i1, j1) || i1 - i2 || j1 - j2);
  for (const [i, j] of cells) {
    while ((a[i] ?? 0) > 0 && (b[j] ?? 0) > 0 && cell(i, j) < (hi[i]?.[j] ?? 0)) {
      // With finite hi this runs at most once; with hi = ∞ it fills up to the smaller residual.
      const step = Math.min(a[i] ?? 0, b[j] ?? 0, (hi[i]?.[j] ?? 0) - cell(i, j));
      set(i, j, cell(i, j) + step);
      a[i] = (a[i] ?? 0) - step;
      b[j] = (b[j] ?? 0) - step;
    }
  }

  // Augmenting paths: BFS from every row still missing units to a column still missing units.
  for (;;) {
    const sources = a.flatMap((x, i) => (x > 0 ? [i] : []));
    if (sources.length === 0) break;
    const rowFrom = new Array<number>(R).fill(-2); // column that reached the row (-1: source)
    const colFrom = new Array<number>(C).fill(-1); // row that reached the column
    const queue: number[] = [];
    for (const s of sources) {
      rowFrom[s] = -1;
      queue.push(s);
    }
    let sink = -1;
    for (let q = 0; q < queue.length && sink < 0; q++) {
      const i = queue[q] ?? 0;
      for (let j = 0; j < C && sink < 0; j++) {
        if (colFrom[j] !== -1 || cell(i, j) >= (hi[i]?.[j] ?? 0)) continue;
        colFrom[j] = i;
        if ((b[j] ?? 0) > 0) {
          sink = j;
          break;
        }
        for (let k = 0; k < R; k++) {
          if (rowFrom[k] === -2 && cell(k, j) > (lo[k]?.[j] ?? 0)) {
            rowFrom[k] = j;
            queue.push(k);
          }
        }
      }
    }
    if (sink < 0) return undefined;
    b[sink] = (b[sink] ?? 0) - 1;
    let j = sink;
    for (;;) {
      const i = colFrom[j] ?? 0;
      set(i, j, cell(i, j) + 1);
      const back = rowFrom[i] ?? -1;
      if (back === -1) {
        a[i] = (a[i] ?? 0) - 1;
        break;
      }
      set(i, back, cell(i, back) - 1);
      j = back;
    }
  }
  return b.every((x) => x === 0) ? v : undefined;
}

/**
 * One fixed margin: each row total is split over its columns by that row's shares (largest
 * remainder per row); column totals follow from the result. Use `fitMatrix` when the column
 * totals are fixed too.
 */
export function splitByMatrixShares(input: {
  rowTotals: readonly number[];
  shares: readonly (readonly number[])[];
}): number[][] {
  if (input.shares.length !== input.rowTotals.length) {
    throw new AppError('MATRIX_INVALID', {
      reason: `${input.shares.length} share rows for ${input.rowTotals.length} totals`,
    });
  }
  return input.rowTotals.map((total, i) => allocate(total, input.shares[i] ?? []));
}

function assertMargin(x: number, axis: string): number {
  if (!Number.isSafeInteger(x) || x < 0) {
    throw new AppError('MATRIX_INVALID', { reason: `${axis} total ${x}` });
  }
  return x;
}
