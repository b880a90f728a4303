/**
 * Structure share 结构占比 (METHOD §4): each part's share of the whole, e.g. product A's share of
 * revenue, and how far it is from its target share ("product A 20% vs 40% target").
 */
import { FULL_BP } from '../percent.ts';
import { type Fraction, assertBp, assertNonNegative, invalid, sumExact } from './ratio.ts';

export interface StructurePart {
  key: string;
  /** Non-negative fen (or a count). */
  amount: number;
}

export interface StructureShare {
  key: string;
  amount: number;
  /** Share in bp; the shares of all parts sum to exactly 10,000 whenever the total is positive. */
  shareBp: number;
  /** Exact share amount ÷ total (den 1 and num 0 when the total is 0). */
  share: Fraction;
}

/**
 * Shares in bp that add up to exactly 100.00% (a pie chart whose labels sum to 99.99% gets
 * questioned): largest-remainder rounding — everyone gets the floor of their exact share, the
 * basis points still missing go to the largest remainders, ties to the smaller key (by code unit,
 * so the result does not depend on the order rows came out of the database). A zero total gives
 * every part 0 bp. Keys must be unique; amounts non-negative.
 */
export function structureShare(parts: readonly StructurePart[]): StructureShare[] {
  const keys = new Set<string>();
  for (const p of parts) {
    assertNonNegative(p.amount, `amount ${p.key}`);
    if (keys.has(p.key)) throw invalid('key', `${p.key} listed twice`);
    keys.add(p.key);
  }
  const total = sumExact(parts.map((p) => p.amount));
  if (total === 0) {
    return parts.map((p) => ({
      key: p.key,
      amount: p.amount,
      shareBp: 0,
      share: { num: 0, den: 1 },
    }));
  }
  const t = BigInt(total);
  const full = BigInt(FULL_BP);
  const floors = parts.map((p) => (BigInt(p.amount) * full) / t);
  const remainders = parts.map((p) => (BigInt(p.amount) * full) % t);
  let missing = FULL_BP - Number(floors.reduce((a, b) => a + b, 0n));
  const order = parts
    .map((_, i) => i)
    .sort((i, j) => {
      const ri = remainders[i] ?? 0n;
      const rj = remainders[j] ?? 0n;
      if (ri !== rj) return ri > rj ? -1 : 1;
      const ki = parts[i]?.key ?? '';
      const kj = parts[j]?.key ?? '';
      return ki < kj ? -1 : ki > kj ? 1 : 0;
    });
  const shares = floors.map(Number);
  for (const i of order) {
    if (missing === 0) break;
    shares[i] = (shares[i] ?? 0) + 1;
    missing--;
  }
  return parts.map((p, i) => ({
    key: p.key,
    amount: p.amount,
    shareBp: shares[i] ?? 0,
    share: { num: p.amount, den: total },
  }));
}

export interface TargetShare {
  key: string;
  /** Target share in bp (4,000 = 40%). */
  shareBp: number;
}

export interface ShareComparison {
  key: string;
  actualBp: number;
  /** null when the key has no target share. */
  targetBp: number | null;
  /** actual − target in bp (−2,000 = 20 percentage points short); null without a target. */
  gapBp: number | null;
}

/**
 * Actual structure against target shares: "product A share 20% vs 40% target" → gap −2,000 bp
 * (20 points short). Rows follow the parts' order, then target keys with no actual (actual 0).
 * Target shares are set per node (ratio targets are not additive), so they need not sum to 100%.
 */
export function shareVsTarget(
  parts: readonly StructurePart[],
  targets: readonly TargetShare[],
): ShareComparison[] {
  const targetOf = new Map<string, number>();
  for (const t of targets) {
    assertBp(t.shareBp, `target share ${t.key}`);
    if (targetOf.has(t.key)) throw invalid('target key', `${t.key} listed twice`);
    targetOf.set(t.key, t.shareBp);
  }
  const rows: ShareComparison[] = structureShare(parts).map((s) => {
    const target = targetOf.get(s.key);
    return {
      key: s.key,
      actualBp: s.shareBp,
      targetBp: target ?? null,
      gapBp: target === undefined ? null : s.shareBp - target,
    };
  });
  const seen = new Set(parts.map((p) => p.key));
  for (const t of targets) {
    if (!seen.has(t.key))
      rows.push({ key: t.key, actualBp: 0, targetBp: t.shareBp, gapBp: -t.shareBp });
  }
  return rows;
}
