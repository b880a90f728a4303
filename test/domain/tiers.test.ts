import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { targetTiers } from '../../src/domain/tiers.ts';

const WAN = 1_000_000; // fen in 1万元

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('targetTiers', () => {
  it('turns a committed 1,000万 into base 800万, challenge 1,200万 and sprint 1,150万 at a 15% buffer', () => {
    // Given the METHOD §2 example
    // When the tiers are derived with the defaults (80% / 120% / 15% buffer)
    const tiers = targetTiers(1000 * WAN);
    // Then every tier is exact in fen
    expect(tiers).toEqual({
      base: 800 * WAN,
      target: 1000 * WAN,
      challenge: 1200 * WAN,
      sprint: 1150 * WAN,
    });
  });

  it('honours configured percentages', () => {
    expect(
      targetTiers(1000 * WAN, { bufferPct: 1000, basePct: 9000, challengePct: 15_000 }),
    ).toEqual({
      base: 900 * WAN,
      target: 1000 * WAN,
      challenge: 1500 * WAN,
      sprint: 1100 * WAN,
    });
  });

  it('rounds each tier half away from zero to the fen', () => {
    // 80% of 0.05 元 is 0.04; 115% of 0.03 元 is 0.0345 → 0.03; 120% of 0.03 is 0.036 → 0.04
    expect(targetTiers(5)).toEqual({ base: 4, target: 5, challenge: 6, sprint: 6 });
    expect(targetTiers(3)).toEqual({ base: 2, target: 3, challenge: 4, sprint: 3 });
  });

  it('keeps the tiers ordered for any non-negative target (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e13 }), (target) => {
        const t = targetTiers(target);
        expect(t.base <= t.target && t.target <= t.sprint && t.sprint <= t.challenge).toBe(true);
      }),
    );
  });

  it('refuses percentages that make the tiers cross', () => {
    expect(codeOf(() => targetTiers(100, { basePct: 10_001 }))).toBe('TIER_PERCENT_INVALID');
    expect(codeOf(() => targetTiers(100, { challengePct: 9_999 }))).toBe('TIER_PERCENT_INVALID');
    expect(codeOf(() => targetTiers(100, { bufferPct: -1 }))).toBe('TIER_PERCENT_INVALID');
    expect(codeOf(() => targetTiers(100, { bufferPct: 0.5 }))).toBe('TIER_PERCENT_INVALID');
  });
});
