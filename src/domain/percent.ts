/**
 * Percentages are integer basis points (1% = 100 bp, 100% = 10,000 bp): exact, comparable, and
 * precise enough for every ratio in the method (shares, conversion rates, growth, buffers).
 */
import { AppError } from './errors.ts';
import { absBig, divRoundHalfUp, foldFullWidth, parseDecimal, pow10 } from './exact.ts';

/** 100% in basis points. */
export const FULL_BP = 10_000;

/**
 * Reads a percentage and returns basis points.
 *
 * - With a percent sign: '15%' → 1500, '15.5%' → 1550, '-3%' → -300, '120 ％' → 12000.
 * - Without one, the number is read as a fraction, which is how spreadsheets store percentage
 *   cells: '0.15' → 1500, '1' → 10000, '-0.05' → -500. Only |x| ≤ 1 is accepted this way:
 *   a bare '15' is ambiguous (15% or 1500%?) and a bare '1.3' could be 130% or 1.3%, so we ask
 *   the user to add '%' rather than guess. Importers that read a numeric spreadsheet cell
 *   (which is unambiguously a fraction) should call `fractionToBasisPoints` instead.
 * - More precision than 0.01% (one basis point) is refused with PERCENT_TOO_PRECISE rather than
 *   rounded silently; trailing zeros are fine ('15.500%').
 */
export function parsePercent(text: string): number {
  const value = text;
  const s = foldFullWidth(String(text)).trim();
  const withSign = /^(.*?)\s*%$/.exec(s);
  const body = withSign ? (withSign[1] ?? '') : s;
  if (!/^[+-]?\d+(\.\d+)?$/.test(body)) throw new AppError('PERCENT_INVALID', { value });
  const decimal = parseDecimal(body);
  if (!decimal) throw new AppError('PERCENT_INVALID', { value });
  // Basis points = percent × 100 = fraction × 10,000.
  const shift = decimal.exponent + (withSign ? 2 : 4);
  if (!withSign && absBig(decimal.mantissa) > pow10(-decimal.exponent)) {
    throw new AppError('PERCENT_INVALID', { value });
  }
  return toBasisPoints(decimal.mantissa, shift, value);
}

/** A spreadsheet fraction (0.155) → basis points (1550), exact on the number's decimal form. */
export function fractionToBasisPoints(fraction: number): number {
  const decimal = parseDecimal(String(fraction));
  if (!decimal) throw new AppError('PERCENT_INVALID', { value: String(fraction) });
  return toBasisPoints(decimal.mantissa, decimal.exponent + 4, String(fraction));
}

function toBasisPoints(mantissa: bigint, shift: number, value: string): number {
  let bp: bigint;
  if (shift >= 0) {
    bp = mantissa * pow10(shift);
  } else {
    const divisor = pow10(-shift);
    if (mantissa % divisor !== 0n) throw new AppError('PERCENT_TOO_PRECISE', { value });
    bp = mantissa / divisor;
  }
  if (absBig(bp) > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new AppError('PERCENT_INVALID', { value });
  }
  return Number(bp);
}

/**
 * Basis points as a percentage string, half away from zero: formatPercent(1550) → '15.5%',
 * formatPercent(1550, 2) → '15.50%', formatPercent(3333, 0) → '33%'. Default one decimal.
 */
export function formatPercent(bp: number, decimals = 1): string {
  if (!Number.isSafeInteger(bp)) throw new AppError('NUMBER_INVALID', { value: String(bp) });
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 10) {
    throw new AppError('NUMBER_INVALID', { value: String(decimals) });
  }
  const shift = decimals - 2;
  const scaled = shift >= 0 ? BigInt(bp) * pow10(shift) : divRoundHalfUp(BigInt(bp), pow10(-shift));
  const digits = absBig(scaled)
    .toString()
    .padStart(decimals + 1, '0');
  const int = digits.slice(0, digits.length - decimals);
  const frac = digits.slice(digits.length - decimals);
  return (scaled < 0n ? '-' : '') + int + (decimals > 0 ? '.' + frac : '') + '%';
}
