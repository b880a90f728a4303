/**
 * Exact integer helpers shared by money, percentages and allocation. Everything that divides
 * money goes through BigInt so that no intermediate product is silently rounded by a double
 * (1,000万元 in fen × a basis-point ratio already exceeds 2^53).
 */
import { AppError, type ErrorCode } from './errors.ts';

/** Absolute value of a bigint. */
export function absBig(x: bigint): bigint {
  return x < 0n ? -x : x;
}

/**
 * a ÷ b rounded half away from zero (四舍五入, the rounding Chinese finance users expect
 * on reports). b must be non-zero; its sign is honoured.
 */
export function divRoundHalfUp(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new AppError('RATIO_INVALID', { numerator: String(a), denominator: '0' });
  const negative = a < 0n !== b < 0n;
  const n = absBig(a);
  const d = absBig(b);
  const q = n / d;
  const r = n % d;
  const rounded = 2n * r >= d ? q + 1n : q;
  return negative ? -rounded : rounded;
}

/**
 * a ÷ b rounded half to even (banker's rounding), for callers that sum many rounded values and
 * want no systematic drift. Not the default anywhere user-visible.
 */
export function divRoundHalfEven(a: bigint, b: bigint): bigint {
  if (b === 0n) throw new AppError('RATIO_INVALID', { numerator: String(a), denominator: '0' });
  const negative = a < 0n !== b < 0n;
  const n = absBig(a);
  const d = absBig(b);
  const q = n / d;
  const twice = 2n * (n % d);
  const rounded = twice > d || (twice === d && q % 2n === 1n) ? q + 1n : q;
  return negative ? -rounded : rounded;
}

/** Converts a bigint back to a number, refusing anything a double cannot hold exactly. */
export function toSafeNumber(x: bigint, errorCode: ErrorCode = 'MONEY_OUT_OF_RANGE'): number {
  if (x > BigInt(Number.MAX_SAFE_INTEGER) || x < -BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError(errorCode, { value: x.toString() });
  }
  // Number(-0n) is 0, never -0, so no negative zero leaks out.
  return Number(x);
}

/** Throws `code` unless `x` is a safe integer (the only numbers the domain stores). */
export function assertSafeInteger(x: number, code: ErrorCode = 'MONEY_INVALID'): void {
  if (!Number.isSafeInteger(x)) {
    throw new AppError(Number.isInteger(x) ? 'MONEY_OUT_OF_RANGE' : code, { value: String(x) });
  }
}

/** Inserts thousands separators into a string of ASCII digits: '1234567' → '1,234,567'. */
export function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * Folds full-width characters (as typed with a Chinese IME or pasted from Excel in a Chinese
 * locale) to their ASCII forms: '１２３．５' → '123.5', '，' → ',', '％' → '%', U+3000 → ' '.
 */
export function foldFullWidth(text: string): string {
  return text.replace(/[\uFF01-\uFF5E\u3000]/g, (ch) =>
    ch === '\u3000' ? ' ' : String.fromCharCode(ch.charCodeAt(0) - 0xfee0),
  );
}

/**
 * A decimal string split into an exact rational: value = mantissa × 10^exponent. Used to read
 * user-typed numbers ('1.2', '-0.05', '3e-4') without ever going through a double.
 */
export interface Decimal {
  mantissa: bigint;
  exponent: number;
}

/** Parses a plain decimal ('-12.50', '.5' is rejected, '1e3' accepted) or returns undefined. */
export function parseDecimal(text: string): Decimal | undefined {
  const m = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
  if (!m) return undefined;
  const [, sign = '', int = '', frac = '', exp = '0'] = m;
  const e = Number(exp);
  if (!Number.isSafeInteger(e) || Math.abs(e) > 400) return undefined;
  const mantissa = BigInt(int + frac);
  return { mantissa: sign === '-' ? -mantissa : mantissa, exponent: e - frac.length };
}

/** The exact value of a finite JS number as a decimal, via its shortest round-trip string. */
export function decimalOfNumber(x: number): Decimal | undefined {
  if (!Number.isFinite(x)) return undefined;
  return parseDecimal(String(x));
}

/** 10^n as a bigint. */
export function pow10(n: number): bigint {
  return 10n ** BigInt(n);
}
