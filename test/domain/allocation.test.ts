import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  allocate,
  allocator,
  allocateByPercents,
  allocateEven,
  spread,
  type Weight,
} from '../../src/domain/allocation.ts';
import { AppError } from '../../src/domain/errors.ts';

const WAN = 1_000_000; // fen in 1万元

function errorOf(fn: () => unknown): AppError {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('METHOD worked examples', () => {
  it('splits the e-commerce year 1,200万 by Q1–Q4 40/25/30/5 into 480万/300万/360万/60万', () => {
    // Given the seasonal weights in basis points
    // When the year is split
    const quarters = allocateByPercents(1200 * WAN, [4000, 2500, 3000, 500]);
    // Then each quarter gets exactly its share, in fen
    expect(quarters).toEqual([480 * WAN, 300 * WAN, 360 * WAN, 60 * WAN]);
  });

  it('splits a 300万 month evenly over 4 weeks into 75万 each', () => {
    expect(allocateEven(300 * WAN, 4)).toEqual([75 * WAN, 75 * WAN, 75 * WAN, 75 * WAN]);
  });

  it('splits with decimal weights exactly', () => {
    expect(allocate(1200 * WAN, [0.4, 0.25, 0.3, 0.05])).toEqual([
      480 * WAN,
      300 * WAN,
      360 * WAN,
      60 * WAN,
    ]);
  });
});

describe('allocate', () => {
  it('gives leftover units to the largest remainders, ties to the lower index', () => {
    // 100 / 3 = 33.33… each; one unit left, all remainders equal → first entry
    expect(allocate(100, [1, 1, 1])).toEqual([34, 33, 33]);
    // 10 by 1:2:2 → 2, 4, 4 exactly
    expect(allocate(10, [1, 2, 2])).toEqual([2, 4, 4]);
    // 7 by 1:1:1:1 → 1.75 each → two leftover units (7 − 4 = 3) to indexes 0, 1, 2
    expect(allocate(7, [1, 1, 1, 1])).toEqual([2, 2, 2, 1]);
    // remainders decide before index: 10 by 3:3:4 → 3, 3, 4 exactly; 11 → 3.3, 3.3, 4.4
    expect(allocate(11, [3, 3, 4])).toEqual([3, 3, 5]);
  });

  it('gives zero weights nothing', () => {
    expect(allocate(5, [0, 1, 0, 1])).toEqual([0, 3, 0, 2]);
  });

  it('splits negative totals symmetrically', () => {
    expect(allocate(-100, [1, 1, 1])).toEqual([-34, -33, -33]);
    expect(allocate(-11, [3, 3, 4])).toEqual([-3, -3, -5]);
  });

  it('keeps locked cells and lets the siblings absorb the difference', () => {
    // Given a manager locks Q2 at 320万
    const parts = allocate(1200 * WAN, [4000, 2500, 3000, 500], { locks: [null, 320 * WAN] });
    // Then Q2 is exactly 320万 and Q1/Q3/Q4 share the remaining 880万 by 40:30:5
    expect(parts[1]).toBe(320 * WAN);
    expect(parts).toEqual([469_333_333, 320 * WAN, 352 * WAN, 58_666_667]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(1200 * WAN);
  });

  it('accepts bigint weights of any size', () => {
    const huge = 10n ** 40n;
    expect(allocate(3, [huge, huge * 2n])).toEqual([1, 2]);
    expect(allocate(100, [1n, 1n, 1n])).toEqual([34, 33, 33]);
  });

  it('rounds to whole units where possible and puts the odd fen in one cell', () => {
    // 1,000.01 元 over three equal cells in whole 元
    // Everyone gets 333 元; of the 1.01 元 left, the first cell takes a whole 元, the next the fen.
    expect(allocate(100_001, [1, 1, 1], { unit: 100 })).toEqual([33_400, 33_301, 33_300]);
    expect(allocate(-100_001, [1, 1, 1], { unit: 100 })).toEqual([-33_400, -33_301, -33_300]);
    // whole 万 for a 1,200万 year by 1:1:1:1:1:1:1 (171.43万 each)
    const parts = allocate(1200 * WAN, [1, 1, 1, 1, 1, 1, 1], { unit: WAN });
    expect(parts.every((p) => p % WAN === 0)).toBe(true);
    expect(parts).toEqual([172, 172, 172, 171, 171, 171, 171].map((x) => x * WAN));
  });

  it('allows a zero total with zero weights', () => {
    expect(allocate(0, [0, 0])).toEqual([0, 0]);
    expect(allocate(0, [])).toEqual([]);
  });

  it('reports the documented errors', () => {
    expect(errorOf(() => allocate(10, [1, -1])).code).toBe('ALLOCATION_NEGATIVE_WEIGHT');
    expect(errorOf(() => allocate(10, [1n, -1n])).code).toBe('ALLOCATION_NEGATIVE_WEIGHT');
    const exceed = errorOf(() => allocate(10, [1, 1, 1], { locks: [6, 5] }));
    expect(exceed.code).toBe('ALLOCATION_LOCKS_EXCEED');
    expect(exceed.params).toEqual({ locked: '11', total: 10 });
    expect(errorOf(() => allocate(-10, [1, 1], { locks: [-11] })).code).toBe(
      'ALLOCATION_LOCKS_EXCEED',
    );
    expect(errorOf(() => allocate(0, [1, 1], { locks: [5] })).code).toBe('ALLOCATION_LOCKS_EXCEED');
    expect(errorOf(() => allocate(10, [0, 0])).code).toBe('ALLOCATION_NO_WEIGHT');
    expect(errorOf(() => allocate(10, [1, 0], { locks: [4] })).code).toBe('ALLOCATION_NO_WEIGHT');
    expect(errorOf(() => allocate(10, [1], { locks: [4] })).code).toBe('ALLOCATION_NO_WEIGHT');
    expect(errorOf(() => allocate(10, [])).code).toBe('ALLOCATION_NO_WEIGHT');
    expect(errorOf(() => allocate(1.5, [1])).code).toBe('ALLOCATION_INVALID');
    expect(errorOf(() => allocate(10, [1], { unit: 0 })).code).toBe('ALLOCATION_INVALID');
    expect(errorOf(() => allocate(10, [1], { locks: [1, 2] })).code).toBe('ALLOCATION_INVALID');
    expect(errorOf(() => allocate(10, [Number.NaN])).code).toBe('ALLOCATION_INVALID');
  });

  it('allows all-locked rows that already add up', () => {
    expect(allocate(10, [0, 0], { locks: [4, 6] })).toEqual([4, 6]);
  });
});

describe('allocateEven and allocateByPercents', () => {
  it('splits evenly with the odd units first', () => {
    expect(allocateEven(10, 3)).toEqual([4, 3, 3]);
    expect(allocateEven(0, 0)).toEqual([]);
    expect(errorOf(() => allocateEven(1, 0)).code).toBe('ALLOCATION_NO_WEIGHT');
  });

  it('insists that percentages add up to 100%', () => {
    const e = errorOf(() => allocateByPercents(100, [4000, 2500, 3000]));
    expect(e.code).toBe('ALLOCATION_PERCENTS_NOT_100');
    expect(e.params).toEqual({ sum: 9500 });
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

const totalArb = fc.oneof(
  fc.integer({ min: -1000, max: 1000 }),
  fc.integer({ min: -1e13, max: 1e13 }),
  fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
);
const weightArb: fc.Arbitrary<Weight> = fc.oneof(
  fc.constant(0),
  fc.integer({ min: 0, max: 10 }),
  fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }),
  fc.bigInt({ min: 0n, max: 10n ** 30n }),
);
const unitArb = fc.constantFrom(1, 1, 1, 100, 10_000, 1_000_000);

/** A case whose locks fit: locked cells take a random share of the total, never overshooting. */
const caseArb = fc
  .record({
    total: totalArb,
    weights: fc.array(weightArb, { minLength: 1, maxLength: 12 }),
    lockMask: fc.array(fc.boolean(), { maxLength: 12 }),
    lockFractions: fc.array(fc.integer({ min: 0, max: 1000 }), { minLength: 12, maxLength: 12 }),
    unit: unitArb,
  })
  .map(({ total, weights, lockMask, lockFractions, unit }) => {
    // Ensure at least one unlocked entry with weight, so the remainder has somewhere to go.
    const w = [...weights, 1];
    let budget = BigInt(total);
    const locks = w.map((_, i) => {
      if (!lockMask[i] || i === w.length - 1) return null;
      const share = (budget * BigInt(lockFractions[i] ?? 0)) / 1000n;
      budget -= share;
      return Number(share);
    });
    return { total, weights: w, locks, unit };
  });

/** Exact quota of each unlocked entry as a fraction num/den (den shared). */
function quotas(
  total: number,
  weights: Weight[],
  locks: (number | null)[],
): { num: bigint[]; den: bigint } {
  const free = weights.map((_, i) => locks[i] === null || locks[i] === undefined);
  const rest = BigInt(total) - locks.reduce<bigint>((a, l) => a + BigInt(l ?? 0), 0n);
  const den = weights.reduce<bigint>((a, w, i) => (free[i] ? a + BigInt(w) : a), 0n);
  return { num: weights.map((w, i) => (free[i] ? rest * BigInt(w) : 0n)), den };
}

describe('allocate properties', () => {
  it('parts sum exactly to the total, locks are untouched, each part is within one unit of its quota', () => {
    fc.assert(
      fc.property(caseArb, ({ total, weights, locks, unit }) => {
        const parts = allocate(total, weights, { locks, unit });
        expect(parts).toHaveLength(weights.length);
        expect(parts.reduce<bigint>((a, p) => a + BigInt(p), 0n)).toBe(BigInt(total));
        locks.forEach((l, i) => {
          if (l !== null) expect(parts[i]).toBe(l);
        });
        const { num, den } = quotas(total, weights, locks);
        parts.forEach((p, i) => {
          if (locks[i] !== null) return;
          // |p − num/den| < unit  ⇔  |p·den − num| < unit·den
          const diff = BigInt(p) * den - (num[i] ?? 0n);
          expect((diff < 0n ? -diff : diff) < BigInt(unit) * den).toBe(true);
          if (weights[i] === 0 || weights[i] === 0n) expect(p).toBe(0);
        });
      }),
      { numRuns: 500 },
    );
  });

  it('all parts but at most one are multiples of the unit, and parts share the sign of the total', () => {
    fc.assert(
      fc.property(
        totalArb,
        fc.array(weightArb, { minLength: 1, maxLength: 12 }),
        unitArb,
        (total, ws, unit) => {
          const weights = [...ws, 1];
          const parts = allocate(total, weights, { unit });
          expect(parts.filter((p) => p % unit !== 0).length).toBeLessThanOrEqual(1);
          for (const p of parts) expect(total >= 0 ? p >= 0 : p <= 0).toBe(true);
        },
      ),
    );
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(caseArb, ({ total, weights, locks, unit }) => {
        expect(allocate(total, weights, { locks, unit })).toEqual(
          allocate(total, [...weights], { locks: [...locks], unit }),
        );
      }),
    );
  });

  it('is permutation-equivariant when no two quotas tie', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e13, max: 1e13 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: 10 }),
        fc.infiniteStream(fc.nat()),
        (total, weights, rnd) => {
          // Distinct weights can still tie on their remainder; skip those (ties break by index).
          const sum = BigInt(weights.reduce((a, b) => a + b, 0));
          const remainders = weights.map((w) => ((BigInt(total) * BigInt(w)) % sum).toString());
          fc.pre(new Set(remainders).size === remainders.length);
          const perm = weights.map((_, i) => i);
          const it = rnd[Symbol.iterator]();
          for (let i = perm.length - 1; i > 0; i--) {
            const j = (it.next().value as number) % (i + 1);
            [perm[i], perm[j]] = [perm[j] as number, perm[i] as number];
          }
          const direct = allocate(total, weights);
          const permuted = allocate(
            total,
            perm.map((i) => weights[i] as number),
          );
          expect(perm.map((i) => direct[i])).toEqual(permuted);
        },
      ),
    );
  });

  it('treats a negative total as the mirror image of the positive one', () => {
    fc.assert(
      fc.property(caseArb, ({ total, weights, locks, unit }) => {
        const mirrored = allocate(-total, weights, {
          locks: locks.map((l) => (l === null ? null : -l)),
          unit,
        });
        expect(mirrored).toEqual(
          allocate(total, weights, { locks, unit }).map((p) => (p === 0 ? 0 : -p)),
        );
      }),
    );
  });
});

describe('allocator (one set of weights, many totals)', () => {
  const smallWeights = fc.array(
    fc.oneof(
      fc.integer({ min: 0, max: 20 }),
      fc.integer({ min: 0, max: 1_000_000 }),
      fc.constantFrom(0.4, 0.25, 0.3, 0.05),
    ),
    { minLength: 1, maxLength: 25 },
  );

  it('splits exactly as allocate does, for every total — small and huge, positive and negative', () => {
    fc.assert(
      fc.property(
        fc.oneof(smallWeights, fc.array(weightArb, { minLength: 1, maxLength: 12 })),
        fc.array(totalArb, { minLength: 1, maxLength: 8 }),
        unitArb,
        (weights, totals, unit) => {
          const w = [...weights, 1];
          const split = allocator(w, { unit });
          for (const total of totals) expect(split(total)).toEqual(allocate(total, w, { unit }));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('hands the odd fen to the largest remainders, ties to the first entry', () => {
    const split = allocator([1, 1, 1]);
    expect(split(100)).toEqual([34, 33, 33]);
    expect(split(-100)).toEqual([-34, -33, -33]);
    expect(split(0)).toEqual([0, 0, 0]);
    expect(allocator([40, 25, 30, 5])(1200 * WAN)).toEqual([
      480 * WAN,
      300 * WAN,
      360 * WAN,
      60 * WAN,
    ]);
  });

  it('refuses what allocate refuses', () => {
    expect(errorOf(() => allocator([0, 0])(5)).code).toBe('ALLOCATION_NO_WEIGHT');
    expect(errorOf(() => allocator([1, -1])).code).toBe('ALLOCATION_NEGATIVE_WEIGHT');
    expect(errorOf(() => allocator([1])(0.5)).code).toBe('ALLOCATION_INVALID');
  });
});

describe('spread: running totals rounded', () => {
  it('ends every prefix at its exact share, rounded half up, and sums to the total', () => {
    expect(spread(7, [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1])).toEqual([
      0, 1, 0, 1, 0, 0, 1, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0,
    ]);
    expect(spread(10, [1, 0, 3])).toEqual([3, 0, 7]);
    expect(spread(-7, [1, 1, 1])).toEqual([-2, -3, -2]);
    expect(spread(0, [0, 0])).toEqual([0, 0]);
  });

  it('refuses what cannot be spread', () => {
    expect(errorOf(() => spread(1, [0, 0])).code).toBe('ALLOCATION_NO_WEIGHT');
    expect(errorOf(() => spread(1, [1, -1])).code).toBe('ALLOCATION_NEGATIVE_WEIGHT');
    expect(errorOf(() => spread(1.5, [1])).code).toBe('ALLOCATION_INVALID');
  });

  it('property: parts sum to the total, each within one unit of its quota, prefixes are rounded shares', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1_000_000_000, max: 1_000_000_000 }),
        fc.array(fc.integer({ min: 0, max: 20_000 }), { minLength: 1, maxLength: 40 }),
        (total, weights) => {
          const w = weights.reduce((a, b) => a + b, 0);
          fc.pre(w > 0);
          const parts = spread(total, weights);
          expect(parts.reduce((a, b) => a + b, 0)).toBe(total);
          let prefix = 0;
          let acc = 0;
          parts.forEach((p, i) => {
            prefix += weights[i]!;
            acc += p;
            // |running total| = round half up of |total| · prefix ÷ w, computed exactly
            const t = BigInt(Math.abs(total));
            const rounded = (2n * t * BigInt(prefix) + BigInt(w)) / (2n * BigInt(w));
            expect(BigInt(Math.abs(acc))).toBe(rounded);
            // and each part is within one unit of its quota: |p|·w differs from |total|·w_i by < w
            const diff = BigInt(Math.abs(p)) * BigInt(w) - t * BigInt(weights[i]!);
            expect(diff < BigInt(w) && diff > -BigInt(w)).toBe(true);
          });
        },
      ),
    );
  });
});
