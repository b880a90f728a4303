/**
 * Shared exact helpers for the tracking measures: basis-point ratios rounded half away from zero
 * (四舍五入, what a user checking with a calculator expects), exact fractions for screens that
 * need more precision than 0.01%, and input checks that name the offending field.
 */
import { AppError } from '../errors.ts';
import { divRoundHalfUp, toSafeNumber } from '../exact.ts';
import { FULL_BP } from '../percent.ts';

/**
 * An exact ratio num / den with den > 0, kept unreduced so it still reads as what was counted
 * ("12 of 22 working days"). Safe integers, so it travels as JSON unchanged.
 */
export interface Fraction {
  num: number;
  den: number;
}

/** num ÷ den in basis points, half away from zero; den must be non-zero (its sign is honoured). */
export function ratioBp(num: number | bigint, den: number | bigint): number {
  return toSafeNumber(divRoundHalfUp(BigInt(num) * BigInt(FULL_BP), BigInt(den)), 'NUMBER_INVALID');
}

/** A fraction in basis points, half away from zero. */
export function fractionBp(f: Fraction): number {
  return ratioBp(f.num, f.den);
}

/** Exact three-way comparison of two fractions (dens > 0) by cross-multiplication in BigInt. */
export function compareFractions(a: Fraction, b: Fraction): number {
  const l = BigInt(a.num) * BigInt(b.den);
  const r = BigInt(b.num) * BigInt(a.den);
  return l < r ? -1 : l > r ? 1 : 0;
}

export function invalid(field: string, value: unknown): AppError {
  return new AppError('TRACKING_INVALID', { field, value: String(value) });
}

/** An amount of fen (may be negative: refunds, credit notes). */
export function assertFen(x: number, field: string): void {
  if (!Number.isSafeInteger(x)) throw invalid(field, x);
}

/** A non-negative amount of fen or a count (targets, dues, leads, days). */
export function assertNonNegative(x: number, field: string): void {
  if (!Number.isSafeInteger(x) || x < 0) throw invalid(field, x);
}

/** A basis-point value within [min, max]. */
export function assertBp(x: number, field: string, min = 0, max = FULL_BP): void {
  if (!Number.isSafeInteger(x) || x < min || x > max) throw invalid(field, x);
}

/** Σ of safe integers, exact, refusing a total beyond 2^53. */
export function sumExact(values: Iterable<number>): number {
  let total = 0n;
  for (const v of values) total += BigInt(v);
  return toSafeNumber(total);
}
