import { describe, expect, it } from 'vitest';
import {
  classifyCustomer,
  defaultTierRules,
  validateTierRules,
  type TierRule,
} from '../../src/domain/customer-tier.ts';
import { AppError } from '../../src/domain/errors.ts';

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

describe('classifyCustomer with the default rules', () => {
  it.each([
    [800 * WAN, 'A'],
    [500 * WAN, 'A'],
    [500 * WAN - 1, 'B'],
    [100 * WAN, 'B'],
    [100 * WAN - 1, 'C'],
    [0, 'C'],
    [-5 * WAN, 'C'],
  ])('puts an annual purchase of %i fen in tier %s', (fen, tier) => {
    expect(classifyCustomer(fen, defaultTierRules)).toBe(tier);
    expect(classifyCustomer(fen)).toBe(tier);
  });
});

describe('configured tier rules', () => {
  it('apply in tier order whatever order they are listed in', () => {
    const rules: TierRule[] = [
      { tier: 'C', minAnnualPurchase: 0 },
      { tier: 'B', minAnnualPurchase: 50 * WAN },
      { tier: 'A', minAnnualPurchase: 300 * WAN },
    ];
    expect(classifyCustomer(300 * WAN, rules)).toBe('A');
    expect(classifyCustomer(60 * WAN, rules)).toBe('B');
  });

  it('may leave a tier out', () => {
    const rules: TierRule[] = [{ tier: 'A', minAnnualPurchase: 200 * WAN }];
    expect(classifyCustomer(200 * WAN, rules)).toBe('A');
    expect(classifyCustomer(199 * WAN, rules)).toBe('C');
  });

  it('are refused when duplicated, negative, fractional or out of order', () => {
    expect(() => validateTierRules(defaultTierRules)).not.toThrow();
    const bad: TierRule[][] = [
      [
        { tier: 'A', minAnnualPurchase: 1 },
        { tier: 'A', minAnnualPurchase: 2 },
      ],
      [{ tier: 'B', minAnnualPurchase: -1 }],
      [{ tier: 'B', minAnnualPurchase: 1.5 }],
      [
        { tier: 'A', minAnnualPurchase: 100 },
        { tier: 'B', minAnnualPurchase: 100 },
      ],
      [
        { tier: 'B', minAnnualPurchase: 10 },
        { tier: 'C', minAnnualPurchase: 20 },
      ],
      [{ tier: 'D' as 'A', minAnnualPurchase: 1 }],
    ];
    for (const rules of bad)
      expect(codeOf(() => validateTierRules(rules))).toBe('TIER_RULES_INVALID');
  });
});
