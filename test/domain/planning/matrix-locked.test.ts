import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fitMatrixLocked } from '../../../src/domain/planning/matrix-locked.ts';
import { errorOf, sum, WAN } from './helpers.ts';

const rowSums = (m: number[][]) => m.map(sum);
const colSums = (m: number[][]) => (m[0] ?? []).map((_, j) => sum(m.map((row) => row[j] ?? 0)));

describe('fitMatrixLocked: two margins around a manager’s locked cells', () => {
  it('keeps the locked cell and fits the rest to both margins', () => {
    // Given regions 400万 / 400万 / 400万, product lines 600万 / 600万, and region 3 × line 2 locked at 10万
    const locks = [
      [null, null],
      [null, null],
      [null, 10 * WAN],
    ];
    // When fitted from an even seed
    const r = fitMatrixLocked({
      rowTotals: [400 * WAN, 400 * WAN, 400 * WAN],
      colTotals: [600 * WAN, 600 * WAN],
      locks,
    });
    // Then the lock stands, its row takes the rest in the other line, and both margins are exact
    expect(r.cells[2]).toEqual([390 * WAN, 10 * WAN]);
    expect(rowSums(r.cells)).toEqual([400 * WAN, 400 * WAN, 400 * WAN]);
    expect(colSums(r.cells)).toEqual([600 * WAN, 600 * WAN]);
  });

  it('says which margin the locks exceed', () => {
    const e = errorOf(() =>
      fitMatrixLocked({
        rowTotals: [5, 5],
        colTotals: [5, 5],
        locks: [
          [3, 3],
          [null, null],
        ],
      }),
    );
    expect(e).toMatchObject({
      code: 'MATRIX_LOCKS_EXCEED',
      params: { axis: 'row', index: 1, locked: 6, total: 5 },
    });
  });

  it('property: locks kept, margins exact, every free cell non-negative', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5 }),
        fc.integer({ min: 1, max: 5 }),
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 25, maxLength: 25 }),
        fc.array(fc.boolean(), { minLength: 25, maxLength: 25 }),
        (R, C, values, locked) => {
          // A matrix that exists: its sums are the margins, some of its cells locked
          const m = Array.from({ length: R }, (_, i) =>
            Array.from({ length: C }, (_, j) => values[i * 5 + j] ?? 0),
          );
          const locks = m.map((row, i) => row.map((x, j) => (locked[i * 5 + j] ? x : null)));
          const r = fitMatrixLocked({ rowTotals: rowSums(m), colTotals: colSums(m), locks });
          expect(rowSums(r.cells)).toEqual(rowSums(m));
          expect(colSums(r.cells)).toEqual(colSums(m));
          r.cells.forEach((row, i) =>
            row.forEach((x, j) => {
              const l = locks[i]?.[j];
              if (l !== null && l !== undefined) expect(x).toBe(l);
              expect(x).toBeGreaterThanOrEqual(0);
            }),
          );
        },
      ),
    );
  });
});
