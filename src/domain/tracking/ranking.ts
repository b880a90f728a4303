/**
 * Rankings 排名 and the 271 rule 271法则 (top 20% / middle 70% / bottom 10%, METHOD §4).
 */
import { FULL_BP } from '../percent.ts';
import { divRoundHalfUp } from '../exact.ts';
import {
  type Fraction,
  assertBp,
  assertFen,
  assertNonNegative,
  compareFractions,
  invalid,
  ratioBp,
} from './ratio.ts';

export interface RankEntry {
  id: string;
  actual: number;
  target: number;
}

export interface RankedEntry extends RankEntry {
  /** Competition rank: 1, 2, 2, 4 — tied entries share the best rank, the next rank skips. */
  rank: number;
  /** actual ÷ target in bp; null for a zero target. */
  attainmentBp: number | null;
}

export type RankBy = 'attainment' | 'actual';

/**
 * Ranks entries best first. By attainment, ties are decided on the exact ratio (66.674% and
 * 66.666% both show as 66.67% but are not tied); entries with a zero target have no attainment and
 * come last, tied with each other. Entries that tie are listed by id (code-unit order, independent
 * of locale), so the output is a pure function of the set of entries. Ids must be unique.
 */
export function rank(entries: readonly RankEntry[], by: RankBy): RankedEntry[] {
  const ids = new Set<string>();
  for (const e of entries) {
    assertFen(e.actual, `actual ${e.id}`);
    assertNonNegative(e.target, `target ${e.id}`);
    if (ids.has(e.id)) throw invalid('id', `${e.id} listed twice`);
    ids.add(e.id);
  }
  const compareValue = (a: RankEntry, b: RankEntry): number => {
    if (by === 'actual') return b.actual - a.actual;
    if (a.target === 0 || b.target === 0)
      return (a.target === 0 ? 1 : 0) - (b.target === 0 ? 1 : 0);
    const fa: Fraction = { num: a.actual, den: a.target };
    const fb: Fraction = { num: b.actual, den: b.target };
    return compareFractions(fb, fa);
  };
  const sorted = [...entries].sort(
    (a, b) => compareValue(a, b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
  const out: RankedEntry[] = [];
  sorted.forEach((e, i) => {
    const prev = sorted[i - 1];
    const prevRanked = out[i - 1];
    const r = prev && prevRanked && compareValue(prev, e) === 0 ? prevRanked.rank : i + 1;
    out.push({ ...e, rank: r, attainmentBp: e.target === 0 ? null : ratioBp(e.actual, e.target) });
  });
  return out;
}

export type Band271 = 'top' | 'middle' | 'bottom';

export interface BandOptions {
  /** Share of the top band in bp; default 2,000 (20%). */
  topBp?: number;
  /** Share of the bottom band in bp; default 1,000 (10%). */
  bottomBp?: number;
}

/**
 * Nominal band sizes for n people: top = n × 20% and bottom = n × 10%, each rounded to the
 * nearest whole person (half up), middle = the rest. n = 7 → 1 / 5 / 1 (1.4 → 1, 0.7 → 1);
 * n = 10 → 2 / 7 / 1; n = 11 → 2 / 8 / 1 (2.2 → 2, 1.1 → 1); n = 1 → 0 / 1 / 0 (nobody is the
 * bottom tenth of a team of one); n = 5 → 1 / 3 / 1.
 */
export function bandCounts271(
  n: number,
  opts: BandOptions = {},
): { top: number; middle: number; bottom: number } {
  assertNonNegative(n, 'n');
  const topBp = opts.topBp ?? 2_000;
  const bottomBp = opts.bottomBp ?? 1_000;
  assertBp(topBp, 'topBp');
  assertBp(bottomBp, 'bottomBp');
  if (topBp + bottomBp > FULL_BP) throw invalid('topBp + bottomBp', topBp + bottomBp);
  const top = Number(divRoundHalfUp(BigInt(n) * BigInt(topBp), BigInt(FULL_BP)));
  // With top + bottom ≤ 100% the two rounded counts can still overlap by one (n = 1 at 50/50).
  const bottom = Math.min(
    n - top,
    Number(divRoundHalfUp(BigInt(n) * BigInt(bottomBp), BigInt(FULL_BP))),
  );
  return { top, middle: n - top - bottom, bottom };
}

/**
 * Puts ranked entries into the 271 bands. Ties never split across a band boundary, and they are
 * resolved in the person's favour: an entry is top when its rank is within the top count (so a
 * tie straddling the top boundary is all top and the top band grows), and bottom only when its
 * whole tie group lies within the last `bottom` places (a tie straddling the bottom boundary is
 * all middle and the bottom band shrinks). Hence a band can be larger or smaller than
 * `bandCounts271` says; when everyone ties, everyone is top (all share rank 1).
 * Input is `rank`'s output (any order); output keeps the input order.
 */
export function bands271<T extends { rank: number }>(
  ranked: readonly T[],
  opts: BandOptions = {},
): (T & { band: Band271 })[] {
  const n = ranked.length;
  const { top, bottom } = bandCounts271(n, opts);
  return ranked.map((e) => {
    if (!Number.isSafeInteger(e.rank) || e.rank < 1 || e.rank > n) throw invalid('rank', e.rank);
    const band: Band271 = e.rank <= top ? 'top' : e.rank > n - bottom ? 'bottom' : 'middle';
    return { ...e, band };
  });
}
