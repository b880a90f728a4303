/**
 * The exact splitter every decomposition uses: a whole (fen, or a count) is divided into integer
 * parts by weight so that the parts always sum to the whole (METHOD §3). Largest-remainder
 * (Hamilton) method, in BigInt so weights of any size (basis points, fen of history, bigints)
 * never lose precision.
 */
import { AppError } from './errors.ts';
import { absBig, parseDecimal, pow10 } from './exact.ts';

export interface AllocateOptions {
  /**
   * Per-entry locked values (a manager's fixed cell). A number keeps that entry at exactly that
   * value; null/undefined leaves it to be computed. Siblings absorb the difference.
   */
  locks?: readonly (number | null | undefined)[];
  /**
   * Rounding quantum, default 1. With unit 100 on fen, parts are whole 元 where possible: every
   * unlocked part is a multiple of the unit except at most one, which takes the odd fen
   * (the remainder of the total modulo the unit) — the entry next in line by largest remainder.
   */
  unit?: number;
}

export type Weight = number | bigint;

/**
 * Splits `total` into integer parts proportional to `weights`.
 *
 * Method: with R = total − Σlocks and unit u, each unlocked entry's exact quota is
 * q_i = |R|·w_i / Σw. Everyone first gets q_i rounded down to a multiple of u; the units still
 * missing go one by one to the largest remainders (q_i − floor), ties to the lower index; if R is
 * not a multiple of u, the leftover (|R| mod u) goes whole to the next entry in that order.
 * Hence every unlocked part differs from its quota by less than one unit, zero weights get
 * zero, and the result is a pure function of its input.
 *
 * Negative totals (refunds, downward revisions) are split as −allocate(−total), so signs are
 * symmetric. Locks must not overshoot: R must be zero or have the sign of total.
 *
 * Weights: non-negative numbers or bigints. Non-integer numbers are taken at their decimal
 * value ('0.4' is exactly 4/10), so shares like [0.4, 0.25, 0.3, 0.05] split exactly.
 *
 * Errors: ALLOCATION_NEGATIVE_WEIGHT, ALLOCATION_LOCKS_EXCEED {locked, total},
 * ALLOCATION_NO_WEIGHT (R ≠ 0 but no unlocked entry has weight), ALLOCATION_INVALID (bad unit,
 * locks longer than weights, non-integer total/locks).
 */
export function allocate(
  total: number,
  weights: readonly Weight[],
  opts: AllocateOptions = {},
): number[] {
  assertInteger(total, 'total');
  const unit = opts.unit ?? 1;
  if (!Number.isSafeInteger(unit) || unit < 1) invalid(`unit ${unit}`);
  const locks = opts.locks ?? [];
  if (locks.length > weights.length) invalid(`${locks.length} locks for ${weights.length} weights`);

  const w = exactWeights(weights);
  const parts: bigint[] = new Array<bigint>(weights.length).fill(0n);
  const free: number[] = [];
  let locked = 0n;
  for (let i = 0; i < weights.length; i++) {
    const lock = locks[i];
    if (lock === null || lock === undefined) {
      free.push(i);
    } else {
      assertInteger(lock, `lock ${i}`);
      parts[i] = BigInt(lock);
      locked += BigInt(lock);
    }
  }

  const whole = BigInt(total);
  const rest = whole - locked;
  if ((whole === 0n && rest !== 0n) || (whole > 0n && rest < 0n) || (whole < 0n && rest > 0n)) {
    throw new AppError('ALLOCATION_LOCKS_EXCEED', { locked: locked.toString(), total });
  }

  if (rest !== 0n) {
    const shares = hamilton(
      absBig(rest),
      free.map((i) => w[i] ?? 0n),
      BigInt(unit),
    );
    free.forEach((i, k) => {
      const share = shares[k] ?? 0n;
      parts[i] = rest < 0n ? -share : share;
    });
  }

  // The invariant the whole product relies on; cheap enough to check on every call.
  const sum = parts.reduce((a, b) => a + b, 0n);
  if (sum !== whole)
    throw new AppError('INTERNAL', { reason: `allocation sums to ${sum}, not ${total}` });
  return parts.map((p) => {
    if (absBig(p) > BigInt(Number.MAX_SAFE_INTEGER)) {
      throw new AppError('MONEY_OUT_OF_RANGE', { value: p.toString() });
    }
    return Number(p);
  });
}

/**
 * `allocate(total, weights, { unit })` for many totals over one set of weights — a whole-plan
 * cascade splits every member-month (120,000 of them) over the same product-line weights. The
 * weights are made exact once, and a total whose products with the weights stay below 2^53 is
 * split in exact integer arithmetic on numbers instead of BigInt; anything larger goes through
 * `allocate` itself. The result is identical to `allocate` for every input (property-tested).
 */
export function allocator(
  weights: readonly Weight[],
  opts: Omit<AllocateOptions, 'locks'> = {},
): (total: number) => number[] {
  const unit = opts.unit ?? 1;
  if (!Number.isSafeInteger(unit) || unit < 1) invalid(`unit ${unit}`);
  const exact = exactWeights(weights);
  const totalWeight = exact.reduce((a, b) => a + b, 0n);
  const small = totalWeight * BigInt(unit) <= BigInt(Number.MAX_SAFE_INTEGER);
  const w = exact.map(Number);
  const W = Number(totalWeight);
  const denom = W * unit;
  const n = w.length;
  return (total) => {
    assertInteger(total, 'total');
    const amount = Math.abs(total);
    if (total === 0) return new Array<number>(n).fill(0);
    if (!small || W === 0 || amount * W > Number.MAX_SAFE_INTEGER) {
      return allocate(total, weights, { unit });
    }
    const parts = new Array<number>(n);
    const remainders = new Array<number>(n);
    let given = 0;
    for (let i = 0; i < n; i++) {
      const numerator = amount * (w[i] ?? 0); // ≤ amount·W < 2^53: exact
      let q = Math.floor(numerator / denom);
      // Float division of exact integers can land one off the true quotient: correct it.
      if (q * denom > numerator) q -= 1;
      else if ((q + 1) * denom <= numerator) q += 1;
      parts[i] = q * unit;
      remainders[i] = numerator - q * denom;
      given += q * unit;
    }
    let missing = amount - given;
    if (missing > 0) {
      const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => {
        const ra = remainders[a] ?? 0;
        const rb = remainders[b] ?? 0;
        return ra === rb ? a - b : rb - ra;
      });
      for (const i of order) {
        if (missing === 0) break;
        const step = missing >= unit ? unit : missing;
        parts[i] = (parts[i] ?? 0) + step;
        missing -= step;
      }
    }
    if (total < 0) for (let i = 0; i < n; i++) parts[i] = -(parts[i] ?? 0) || 0;
    return parts;
  };
}

/** Splits `total` into `n` parts as equal as possible; earlier parts take the odd units. */
export function allocateEven(
  total: number,
  n: number,
  opts: Omit<AllocateOptions, 'locks'> = {},
): number[] {
  if (!Number.isSafeInteger(n) || n < 0) invalid(`count ${n}`);
  return allocate(total, new Array<number>(n).fill(1), opts);
}

/**
 * Splits by percentages given in basis points, which must add up to exactly 100% (10,000 bp):
 * a plan with shares 40/25/30 is an input mistake, not something to normalise silently.
 */
export function allocateByPercents(
  total: number,
  basisPoints: readonly number[],
  opts: Omit<AllocateOptions, 'locks'> = {},
): number[] {
  let sum = 0;
  for (const bp of basisPoints) {
    if (!Number.isSafeInteger(bp)) invalid(`basis points ${bp}`);
    sum += bp;
  }
  if (sum !== 10_000) throw new AppError('ALLOCATION_PERCENTS_NOT_100', { sum });
  return allocate(total, basisPoints, opts);
}

/**
 * Splits `total` over an ordered sequence (the days of a month) so that every running total is
 * its exact share rounded half up: part_i = round(T·C_i/W) − round(T·C_(i−1)/W), with C_i the
 * weights up to i. The parts still sum to `total` exactly and each is within one unit of its
 * quota, but the odd units fall evenly along the sequence instead of on its first entries — which
 * matters for small counts: 7 new customers over 21 working days are one every third day, not one
 * a day for the first seven (largest remainder gives ties to the lowest index). Negative totals
 * split as −spread(−total).
 *
 * Errors: ALLOCATION_NEGATIVE_WEIGHT, ALLOCATION_NO_WEIGHT (total ≠ 0, no weight),
 * ALLOCATION_INVALID (non-integer total).
 */
export function spread(total: number, weights: readonly Weight[]): number[] {
  assertInteger(total, 'total');
  if (total < 0) return spread(-total, weights).map((x) => (x === 0 ? 0 : -x));
  const w = exactWeights(weights);
  const sum = w.reduce((a, b) => a + b, 0n);
  if (sum === 0n) {
    if (total !== 0) throw new AppError('ALLOCATION_NO_WEIGHT');
    return w.map(() => 0);
  }
  const t = BigInt(total);
  // round half up of t·c/sum, all non-negative
  const rounded = (c: bigint) => (2n * t * c + sum) / (2n * sum);
  const out: number[] = [];
  let cumulative = 0n;
  let before = 0n;
  for (const x of w) {
    cumulative += x;
    const upTo = rounded(cumulative);
    out.push(Number(upTo - before));
    before = upTo;
  }
  return out;
}

/** Largest remainder of `amount` (≥ 0) over `weights` in multiples of `unit`. */
function hamilton(amount: bigint, weights: readonly bigint[], unit: bigint): bigint[] {
  const totalWeight = weights.reduce((a, b) => a + b, 0n);
  if (totalWeight === 0n) throw new AppError('ALLOCATION_NO_WEIGHT');
  // quota_i = amount·w_i / W. Work with numerators over the common denominator W·unit.
  const denom = totalWeight * unit;
  const base: bigint[] = [];
  const remainders: bigint[] = []; // (quota_i − base_i)·W, comparable across entries
  let given = 0n;
  for (const w of weights) {
    const numerator = amount * w;
    const b = (numerator / denom) * unit;
    base.push(b);
    remainders.push(numerator - b * totalWeight);
    given += b;
  }
  let missing = amount - given; // < number of positive weights × unit
  const order = weights
    .map((_, i) => i)
    .sort((a, b) => {
      const ra = remainders[a] ?? 0n;
      const rb = remainders[b] ?? 0n;
      return ra === rb ? a - b : ra > rb ? -1 : 1;
    });
  for (const i of order) {
    if (missing === 0n) break;
    const step = missing >= unit ? unit : missing;
    base[i] = (base[i] ?? 0n) + step;
    missing -= step;
  }
  return base;
}

/** Weights as bigints over a common power-of-ten denominator, so decimal weights stay exact. */
function exactWeights(weights: readonly Weight[]): bigint[] {
  const decimals = weights.map((w, i) => {
    if (typeof w === 'bigint') {
      if (w < 0n) throw new AppError('ALLOCATION_NEGATIVE_WEIGHT', { index: i });
      return { mantissa: w, exponent: 0 };
    }
    if (!Number.isFinite(w)) invalid(`weight ${w}`);
    if (w < 0) throw new AppError('ALLOCATION_NEGATIVE_WEIGHT', { index: i });
    const d = parseDecimal(String(w));
    if (!d) invalid(`weight ${w}`);
    return d;
  });
  const minExp = decimals.reduce((m, d) => Math.min(m, d.exponent), 0);
  return decimals.map((d) => d.mantissa * pow10(d.exponent - minExp));
}

function assertInteger(x: number, what: string): void {
  if (!Number.isSafeInteger(x)) invalid(`${what} ${x}`);
}

function invalid(reason: string): never {
  throw new AppError('ALLOCATION_INVALID', { reason });
}
