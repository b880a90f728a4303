import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allocate } from '../../../src/domain/allocation.ts';
import { fitMatrix, splitByMatrixShares } from '../../../src/domain/planning/matrix.ts';
import { errorOf, sum, WAN } from './helpers.ts';

const rowSums = (m: number[][]) => m.map(sum);
const colSums = (m: number[][]) => (m[0] ?? []).map((_, j) => sum(m.map((row) => row[j] ?? 0)));

describe('fitMatrix: region totals × product-line totals', () => {
  it('fits last year’s matrix to this year’s region and product-line targets exactly', () => {
    // Given this year's targets by region (rows) and by product line (columns), both 1,000万
    const rowTotals = [600 * WAN, 400 * WAN];
    const colTotals = [500 * WAN, 300 * WAN, 200 * WAN];
    // And last year's region × product matrix as the seed
    const seed = [
      [300, 100, 100],
      [100, 150, 50],
    ].map((row) => row.map((x) => x * WAN));
    // When the matrix is fitted
    const r = fitMatrix({ rowTotals, colTotals, seed });
    // Then both margins hold to the fen and every cell stays within a fen of the IPF value
    expect(rowSums(r.cells)).toEqual(rowTotals);
    expect(colSums(r.cells)).toEqual(colTotals);
    expect(r.converged).toBe(true);
    expect(r.rounding).toBe('controlled');
    r.cells.forEach((row, i) =>
      row.forEach((c, j) => expect(Math.abs(c - (r.fitted[i]?.[j] ?? NaN))).toBeLessThan(1)),
    );
  });

  it('rounds where one-margin rounding would break a column: [5, 5] × [3, 3, 4]', () => {
    // The default seed is the outer product: every cell is rowTotal × colTotal ÷ total
    const r = fitMatrix({ rowTotals: [5, 5], colTotals: [3, 3, 4] });
    expect(r.fitted).toEqual([
      [1.5, 1.5, 2],
      [1.5, 1.5, 2],
    ]);
    // Rounding each row on its own gives [2, 1, 2] twice — column 1 would be 4, not 3
    expect(
      splitByMatrixShares({
        rowTotals: [5, 5],
        shares: [
          [3, 3, 4],
          [3, 3, 4],
        ],
      }),
    ).toEqual([
      [2, 1, 2],
      [2, 1, 2],
    ]);
    // Controlled rounding keeps both margins
    expect(r.cells).toEqual([
      [2, 1, 2],
      [1, 2, 2],
    ]);
  });

  it('keeps zero seed cells at zero', () => {
    // Region 2 does not sell product line 3
    const r = fitMatrix({
      rowTotals: [70, 30],
      colTotals: [40, 40, 20],
      seed: [
        [1, 1, 1],
        [1, 1, 0],
      ],
    });
    expect(r.cells[1]?.[2]).toBe(0);
    expect(rowSums(r.cells)).toEqual([70, 30]);
    expect(colSums(r.cells)).toEqual([40, 40, 20]);
  });

  it('says so when the margins disagree', () => {
    expect(errorOf(() => fitMatrix({ rowTotals: [60, 40], colTotals: [50, 49] })).params).toEqual({
      rows: '100',
      cols: '99',
    });
  });

  it('names a row or column that must carry a total but has only zero seed cells', () => {
    const seed = [
      [1, 1],
      [0, 0],
    ];
    expect(errorOf(() => fitMatrix({ rowTotals: [5, 5], colTotals: [5, 5], seed })).params).toEqual(
      {
        row: 2,
        total: 5,
      },
    );
    const seed2 = [
      [1, 0],
      [1, 0],
    ];
    expect(
      errorOf(() => fitMatrix({ rowTotals: [5, 5], colTotals: [5, 5], seed: seed2 })).code,
    ).toBe('MATRIX_COLUMN_ZERO_SEED');
  });

  it('refuses zero patterns that make the margins unreachable', () => {
    // Row 1 may only use column 1 (total 2) but column 1 needs 3, and row 2 cannot help
    const seed = [
      [1, 0],
      [0, 1],
    ];
    expect(errorOf(() => fitMatrix({ rowTotals: [2, 3], colTotals: [3, 2], seed })).code).toBe(
      'MATRIX_INFEASIBLE',
    );
  });

  it('still meets both margins when zeros force IPF to converge only in the limit', () => {
    // The only solution puts 0 in the positive seed cell (1, 2)
    const r = fitMatrix({
      rowTotals: [1, 1],
      colTotals: [1, 1],
      seed: [
        [1, 1],
        [0, 1],
      ],
      maxIterations: 200,
    });
    expect(r.cells).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  // Seeds within a factor of 1,000 of each other (a realistic last-year matrix): IPF converges
  // and the rounding is the controlled one.
  it('property: margins exact, cells non-negative and within one unit of the IPF value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 1, max: 6 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 12, maxLength: 12 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 36, maxLength: 36 }),
        (R, C, total, marginWeights, seedCells) => {
          const rowTotals = allocate(total, marginWeights.slice(0, R));
          const colTotals = allocate(total, marginWeights.slice(6, 6 + C));
          const seed = Array.from({ length: R }, (_, i) =>
            Array.from({ length: C }, (_, j) => seedCells[i * 6 + j] ?? 1),
          );
          const r = fitMatrix({ rowTotals, colTotals, seed });
          expect(rowSums(r.cells)).toEqual(rowTotals);
          expect(colSums(r.cells)).toEqual(colTotals);
          expect(r.converged).toBe(true);
          expect(r.rounding).toBe('controlled');
          r.cells.forEach((row, i) =>
            row.forEach((c, j) => {
              expect(Number.isSafeInteger(c) && c >= 0).toBe(true);
              expect(Math.abs(c - (r.fitted[i]?.[j] ?? NaN))).toBeLessThanOrEqual(1);
            }),
          );
          // Deterministic
          expect(fitMatrix({ rowTotals, colTotals, seed }).cells).toEqual(r.cells);
        },
      ),
    );
  });

  // Seeds up to a million apart can need more sweeps than allowed; the margins still hold, and
  // the one-unit bound holds whenever IPF converged.
  it('property: with very skewed seeds, margins stay exact', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 0, max: 1e12 }),
        fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 10, maxLength: 10 }),
        fc.array(fc.integer({ min: 1, max: 1e6 }), { minLength: 25, maxLength: 25 }),
        (R, C, total, marginWeights, seedCells) => {
          const rowTotals = allocate(total, marginWeights.slice(0, R));
          const colTotals = allocate(total, marginWeights.slice(5, 5 + C));
          const seed = Array.from({ length: R }, (_, i) =>
            Array.from({ length: C }, (_, j) => seedCells[i * 5 + j] ?? 1),
          );
          const r = fitMatrix({ rowTotals, colTotals, seed, maxIterations: 500 });
          expect(rowSums(r.cells)).toEqual(rowTotals);
          expect(colSums(r.cells)).toEqual(colTotals);
          r.cells.forEach((row, i) =>
            row.forEach((c, j) => {
              expect(c).toBeGreaterThanOrEqual(0);
              if (r.converged) {
                expect(Math.abs(c - (r.fitted[i]?.[j] ?? NaN))).toBeLessThanOrEqual(1);
              }
            }),
          );
        },
      ),
    );
  });

  it('property: with random zeros, margins are exact whenever a solution exists', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }), {
          minLength: 3,
          maxLength: 3,
        }),
        fc.integer({ min: 0, max: 1000 }),
        (pattern, scale) => {
          // Margins of a known integer matrix on the seed's support always have a solution
          const truth = pattern.map((row, i) =>
            row.map((x, j) => x * ((scale + i * 7 + j * 3) % 50)),
          );
          const seed = truth.map((row) => row.map((x) => (x > 0 ? 1 : 0)));
          const rowTotals = rowSums(truth);
          const colTotals = colSums(truth);
          const r = fitMatrix({ rowTotals, colTotals, seed, maxIterations: 300 });
          expect(rowSums(r.cells)).toEqual(rowTotals);
          expect(colSums(r.cells)).toEqual(colTotals);
          r.cells.forEach((row, i) =>
            row.forEach((c, j) => {
              expect(c).toBeGreaterThanOrEqual(0);
              if ((seed[i]?.[j] ?? 0) === 0) expect(c).toBe(0);
            }),
          );
        },
      ),
    );
  });
});

describe('splitByMatrixShares', () => {
  it('splits each row by its own shares', () => {
    expect(
      splitByMatrixShares({
        rowTotals: [100 * WAN, 10],
        shares: [
          [60, 40],
          [1, 2],
        ],
      }),
    ).toEqual([
      [60 * WAN, 40 * WAN],
      [3, 7],
    ]);
  });
});
