/**
 * Customer tiers A/B/C by annual purchase (METHOD §4): A strategic, B growth, C long tail. The
 * thresholds are a company setting; these are the defaults from the method (A over 500万).
 */
import { AppError } from './errors.ts';

export type CustomerTier = 'A' | 'B' | 'C';

export interface TierRule {
  tier: CustomerTier;
  /** Lowest annual purchase (fen, inclusive) that earns the tier. */
  minAnnualPurchase: number;
}

/** A ≥ 500万元, B ≥ 100万元, everything else C. */
export const defaultTierRules: readonly TierRule[] = Object.freeze([
  { tier: 'A', minAnnualPurchase: 500_0000_00 },
  { tier: 'B', minAnnualPurchase: 100_0000_00 },
  { tier: 'C', minAnnualPurchase: 0 },
]);

const RANK: Record<CustomerTier, number> = { A: 0, B: 1, C: 2 };

/**
 * Throws TIER_RULES_INVALID unless each tier appears at most once, thresholds are non-negative
 * whole fen, and a better tier always needs strictly more than a worse one (otherwise a customer
 * could qualify for B but not C, or the order of rules would decide the answer).
 * A missing tier is allowed: e.g. rules without B classify straight into A or C.
 */
export function validateTierRules(rules: readonly TierRule[]): void {
  const seen = new Set<CustomerTier>();
  for (const r of rules) {
    if (!(r.tier in RANK))
      throw new AppError('TIER_RULES_INVALID', { reason: `tier ${String(r.tier)}` });
    if (seen.has(r.tier))
      throw new AppError('TIER_RULES_INVALID', { reason: `duplicate ${r.tier}` });
    seen.add(r.tier);
    if (!Number.isSafeInteger(r.minAnnualPurchase) || r.minAnnualPurchase < 0) {
      throw new AppError('TIER_RULES_INVALID', {
        reason: `${r.tier} threshold ${r.minAnnualPurchase}`,
      });
    }
  }
  const ordered = [...rules].sort((a, b) => RANK[a.tier] - RANK[b.tier]);
  for (let i = 1; i < ordered.length; i++) {
    const better = ordered[i - 1];
    const worse = ordered[i];
    if (better && worse && better.minAnnualPurchase <= worse.minAnnualPurchase) {
      throw new AppError('TIER_RULES_INVALID', {
        reason: `${better.tier} must need more than ${worse.tier}`,
      });
    }
  }
}

/** The best tier whose threshold the purchase reaches; C when none (incl. net refunds). */
export function classifyCustomer(
  annualPurchaseFen: number,
  rules: readonly TierRule[] = defaultTierRules,
): CustomerTier {
  validateTierRules(rules);
  const ordered = [...rules].sort((a, b) => RANK[a.tier] - RANK[b.tier]);
  for (const r of ordered) if (annualPurchaseFen >= r.minAnnualPurchase) return r.tier;
  return 'C';
}
