import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.ts';
import { shareVsTarget, structureShare } from '../../../src/domain/tracking/index.ts';

const WAN = 1_000_000;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('structureShare', () => {
  it('gives each part its exact share when it divides', () => {
    const shares = structureShare([
      { key: 'A', amount: 20 * WAN },
      { key: 'B', amount: 30 * WAN },
      { key: 'C', amount: 50 * WAN },
    ]);
    expect(shares.map((s) => s.shareBp)).toEqual([2000, 3000, 5000]);
    expect(shares[0]?.share).toEqual({ num: 20 * WAN, den: 100 * WAN });
  });

  it('makes thirds add up to 100.00%, the spare basis point going to the smallest key', () => {
    // Given three equal parts, listed in reverse key order
    const shares = structureShare([
      { key: 'C', amount: 1 },
      { key: 'B', amount: 1 },
      { key: 'A', amount: 1 },
    ]);
    // Then 3,333.33… each becomes 3,333 / 3,333 / 3,334 with A taking the remainder
    expect(shares.map((s) => [s.key, s.shareBp])).toEqual([
      ['C', 3333],
      ['B', 3333],
      ['A', 3334],
    ]);
  });

  it('gives the spare points to the largest remainders first', () => {
    // 1/7 = 1,428.57, 2/7 = 2,857.14, 4/7 = 5,714.29 → floors sum to 9,999; .57 is the largest
    expect(
      structureShare([
        { key: 'x', amount: 1 },
        { key: 'y', amount: 2 },
        { key: 'z', amount: 4 },
      ]).map((s) => s.shareBp),
    ).toEqual([1429, 2857, 5714]);
  });

  it('gives every part 0 when the total is 0 and refuses negatives and duplicate keys', () => {
    expect(structureShare([{ key: 'a', amount: 0 }]).map((s) => s.shareBp)).toEqual([0]);
    expect(codeOf(() => structureShare([{ key: 'a', amount: -1 }]))).toBe('TRACKING_INVALID');
    expect(
      codeOf(() =>
        structureShare([
          { key: 'a', amount: 1 },
          { key: 'a', amount: 2 },
        ]),
      ),
    ).toBe('TRACKING_INVALID');
  });

  it('always sums to exactly 10,000 bp and stays within one point of the exact share (property)', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(
          fc.record({ key: fc.string({ maxLength: 4 }), amount: fc.nat({ max: 1e12 }) }),
          { minLength: 1, maxLength: 12, selector: (p) => p.key },
        ),
        (parts) => {
          const shares = structureShare(parts);
          const total = parts.reduce((a, p) => a + p.amount, 0);
          const sum = shares.reduce((a, s) => a + s.shareBp, 0);
          expect(sum).toBe(total === 0 ? 0 : 10_000);
          for (const s of shares) {
            if (total === 0) continue;
            // |shareBp − amount × 10,000 ÷ total| < 1, checked exactly
            const diff = BigInt(s.shareBp) * BigInt(total) - BigInt(s.amount) * 10_000n;
            expect(diff < BigInt(total) && diff > -BigInt(total)).toBe(true);
          }
        },
      ),
    );
  });
});

describe('shareVsTarget', () => {
  it('shows product A at 20% against a 40% target as 20 points short', () => {
    // Given revenue A 20万, B 30万, C 50万 and target shares A 40%, B 30%
    const rows = shareVsTarget(
      [
        { key: 'A', amount: 20 * WAN },
        { key: 'B', amount: 30 * WAN },
        { key: 'C', amount: 50 * WAN },
      ],
      [
        { key: 'A', shareBp: 4000 },
        { key: 'B', shareBp: 3000 },
        { key: 'D', shareBp: 1000 },
      ],
    );
    // Then A is −2,000 bp, B on target, C untargeted, D targeted but unsold
    expect(rows).toEqual([
      { key: 'A', actualBp: 2000, targetBp: 4000, gapBp: -2000 },
      { key: 'B', actualBp: 3000, targetBp: 3000, gapBp: 0 },
      { key: 'C', actualBp: 5000, targetBp: null, gapBp: null },
      { key: 'D', actualBp: 0, targetBp: 1000, gapBp: -1000 },
    ]);
  });
});
