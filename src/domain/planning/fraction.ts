/**
 * Exact rationals for the planning engine. Productivity such as "2.5 deals a month", ramp factors
 * in basis points and compounded attrition are multiplied together before a single rounding to
 * the fen; doing that in doubles would make the capacity plan differ by a fen between machines
 * or between a month and the sum of its parts.
 */
import { AppError } from '../errors.ts';
import { absBig, divRoundHalfUp, parseDecimal, pow10, toSafeNumber } from '../exact.ts';

/** num / den with den > 0, not necessarily reduced. */
export interface Fraction {
  num: bigint;
  den: bigint;
}

export const ZERO: Fraction = { num: 0n, den: 1n };
export const ONE: Fraction = { num: 1n, den: 1n };

/** The exact value of a finite decimal number (2.5 → 5/2 as 25/10). */
export function fractionOf(x: number | bigint, what = 'value'): Fraction {
  if (typeof x === 'bigint') return { num: x, den: 1n };
  const d = Number.isFinite(x) ? parseDecimal(String(x)) : undefined;
  if (!d) throw new AppError('PLANNING_INVALID', { reason: `${what} ${x}` });
  return d.exponent >= 0
    ? { num: d.mantissa * pow10(d.exponent), den: 1n }
    : { num: d.mantissa, den: pow10(-d.exponent) };
}

export function bp(x: number): Fraction {
  return { num: BigInt(x), den: 10_000n };
}

export function mul(a: Fraction, b: Fraction): Fraction {
  return reduce({ num: a.num * b.num, den: a.den * b.den });
}

export function add(a: Fraction, b: Fraction): Fraction {
  if (a.den === b.den) return { num: a.num + b.num, den: a.den };
  return reduce({ num: a.num * b.den + b.num * a.den, den: a.den * b.den });
}

export function pow(a: Fraction, n: number): Fraction {
  let out = ONE;
  for (let i = 0; i < n; i++) out = mul(out, a);
  return out;
}

/** Half away from zero (四舍五入) to an integer, as a safe number. */
export function roundHalfUp(a: Fraction): number {
  return toSafeNumber(divRoundHalfUp(a.num, a.den));
}

/** a × 10,000 rounded half-up: a display value in basis points (or "hundredths of a person"). */
export function toBp(a: Fraction): number {
  return toSafeNumber(divRoundHalfUp(a.num * 10_000n, a.den), 'NUMBER_INVALID');
}

/** ⌈a / b⌉ for a ≥ 0, b > 0. */
export function ceilDiv(a: bigint, b: bigint): bigint {
  return (a + b - 1n) / b;
}

function gcd(a: bigint, b: bigint): bigint {
  let x = absBig(a);
  let y = absBig(b);
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function reduce(a: Fraction): Fraction {
  const g = gcd(a.num, a.den);
  if (g <= 1n) return a;
  return { num: a.num / g, den: a.den / g };
}
