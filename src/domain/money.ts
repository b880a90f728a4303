/**
 * Money is an integer number of fen (分; 1 元 = 100 fen). Users think in 元, 万元 and 亿元, so this
 * module reads and writes those scales — always with exact decimal-string/BigInt arithmetic,
 * because 1.1 × 10000 in floating point is 11000.000000000002, and a target table that is off by
 * one fen no longer sums to its parent.
 */
import { AppError } from './errors.ts';
import {
  absBig,
  assertSafeInteger,
  divRoundHalfUp,
  foldFullWidth,
  groupThousands,
  parseDecimal,
  pow10,
  toSafeNumber,
} from './exact.ts';

// Percentages live in their own module; re-exported here because callers reach for money first.
export { parsePercent, formatPercent } from './percent.ts';

/** Display scale: 元, 万元 (10^4 元) or 亿元 (10^8 元). */
export type AmountUnit = 'yuan' | 'wan' | 'yi';

export function isAmountUnit(s: string): s is AmountUnit {
  return s === 'yuan' || s === 'wan' || s === 'yi';
}

export type Locale = 'zh-CN' | 'en';

/** Fen per one display unit, as a power of ten: 元 = 10^2 fen, 万 = 10^6 fen, 亿 = 10^10 fen. */
const FEN_EXPONENT: Record<AmountUnit, number> = { yuan: 2, wan: 6, yi: 10 };

/**
 * The same three scales as English readers count: ¥, thousands (¥K = 10^5 fen) and millions
 * (¥M = 10^8 fen). A user's preference is a scale step (small, medium, large), shown in the
 * language's own words: 万元 in Chinese is ¥K in English, 亿元 is ¥M.
 */
const EN_FEN_EXPONENT: Record<AmountUnit, number> = { yuan: 2, wan: 5, yi: 8 };

/** Fen per one display unit in `locale` (an integer power of ten). */
export function fenPerUnit(unit: AmountUnit, locale: Locale = 'zh-CN'): number {
  return 10 ** (locale === 'en' ? EN_FEN_EXPONENT : FEN_EXPONENT)[unit];
}

const MAX_FEN = BigInt(Number.MAX_SAFE_INTEGER);

/** Matches the numeric core after currency markers and the scale word have been peeled off. */
const PLAIN_NUMBER = /^(?:\d+|\d{1,3}(?:,\d{3})+)(?:\.\d+)?$/;

/**
 * Reads an amount typed or pasted by a user and returns fen.
 *
 * Accepted: '1234.5', '1,234.56', full-width digits ('１２３'), a 万/亿 scale ('120万', '1.2亿',
 * '3.5万元') or a K/M one ('350K', '¥1.2M'), '元' suffix, '¥'/'￥'/'CNY'/'RMB' markers, a leading sign ('-20.00', '-¥5', '¥-5'),
 * accounting parentheses for negatives ('(1,000.00)') and surrounding spaces.
 * Thousands separators must be well-formed (groups of three) — '1,23' is more likely a typo for
 * 1.23 than for 123, so it is rejected instead of guessed.
 *
 * The value must be a whole number of fen: '1.234' → MONEY_TOO_PRECISE, but '1.23456万'
 * (12,345.6 元) and '1.2300' (trailing zeros add no precision) are fine.
 */
export function parseMoney(text: string): number {
  return parseMoneyRounded(text, 'none').fen;
}

/**
 * How an amount finer than a fen is read: 'none' refuses it (MONEY_TOO_PRECISE), 'half-up' rounds
 * half away from zero (四舍五入: 0.125 元 → 0.13, -0.125 → -0.13), 'half-even' rounds half to the
 * even fen (banker's rounding: 0.125 → 0.12, 0.135 → 0.14). Real exports carry 957.5775.
 */
export type MoneyRounding = 'none' | 'half-up' | 'half-even';

export const MONEY_ROUNDINGS: readonly MoneyRounding[] = ['none', 'half-up', 'half-even'];

/**
 * What rounding did to one amount, exactly: rounded fen − written fen = `numerator` / 10^`scale`
 * fen (both 0n/0 when nothing was rounded).
 */
export interface FenDifference {
  numerator: bigint;
  scale: number;
}

/** `parseMoney` with a rounding choice: the fen, and the exact difference rounding made. */
export function parseMoneyRounded(
  text: string,
  rounding: MoneyRounding,
): { fen: number; difference: FenDifference } {
  const value = text;
  const invalid = () => new AppError('MONEY_INVALID', { value });
  let s = foldFullWidth(String(text)).trim().replace(/\s+/g, ' ');

  let negative = false;
  const paren = /^\((.*)\)$/.exec(s);
  if (paren) {
    negative = true;
    s = (paren[1] ?? '').trim();
  }
  // The sign may sit before or after a currency marker: '-¥5' and '¥-5' are both seen in exports.
  const signAt = (str: string): string => {
    const m = /^([+-])\s*/.exec(str);
    if (!m) return str;
    if (paren) throw invalid();
    if (m[1] === '-') negative = !negative;
    return str.slice(m[0].length);
  };
  s = signAt(s);
  const currency = /^(?:¥|\uFFE5|CNY|RMB)\s*/i.exec(s);
  if (currency) s = signAt(s.slice(currency[0].length));

  let exponent = FEN_EXPONENT.yuan;
  const suffix = /\s*(万元|亿元|万|亿|元|CNY|RMB|K|M)$/i.exec(s);
  if (suffix) {
    const word = suffix[1] ?? '';
    if (word.startsWith('万')) exponent = FEN_EXPONENT.wan;
    else if (word.startsWith('亿')) exponent = FEN_EXPONENT.yi;
    else if (word.toUpperCase() === 'K') exponent = EN_FEN_EXPONENT.wan;
    else if (word.toUpperCase() === 'M') exponent = EN_FEN_EXPONENT.yi;
    s = s.slice(0, s.length - suffix[0].length);
  }
  if (!PLAIN_NUMBER.test(s)) throw invalid();

  const decimal = parseDecimal(s.replace(/,/g, ''));
  if (!decimal) throw invalid();
  const shift = decimal.exponent + exponent;
  let fen: bigint;
  let difference: FenDifference = { numerator: 0n, scale: 0 };
  if (shift >= 0) {
    fen = decimal.mantissa * pow10(shift);
  } else {
    const divisor = pow10(-shift);
    const rest = decimal.mantissa % divisor;
    if (rest !== 0n && rounding === 'none') throw new AppError('MONEY_TOO_PRECISE', { value });
    fen = decimal.mantissa / divisor;
    // The magnitude is rounded, so half-up is half away from zero once the sign is put back.
    if (
      rest * 2n > divisor ||
      (rest * 2n === divisor && (rounding === 'half-up' || fen % 2n === 1n))
    )
      fen += 1n;
    if (rest !== 0n) {
      const numerator = fen * divisor - decimal.mantissa;
      difference = { numerator: negative ? -numerator : numerator, scale: -shift };
    }
  }
  if (fen > MAX_FEN) throw new AppError('MONEY_OUT_OF_RANGE', { value });
  // BigInt has no negative zero, so '-0' comes out as 0.
  return { fen: Number(negative ? -fen : fen), difference };
}

/** The sum of two rounding differences, exact. */
export function addFenDifference(a: FenDifference, b: FenDifference): FenDifference {
  const scale = Math.max(a.scale, b.scale);
  return {
    numerator: a.numerator * pow10(scale - a.scale) + b.numerator * pow10(scale - b.scale),
    scale,
  };
}

/** A difference as plain decimal fen without trailing zeros: '0.25', '-1.5', '0'. */
export function formatFenDifference(d: FenDifference): string {
  const negative = d.numerator < 0n;
  const digits = absBig(d.numerator)
    .toString()
    .padStart(d.scale + 1, '0');
  const int = digits.slice(0, digits.length - d.scale);
  const frac = digits.slice(digits.length - d.scale).replace(/0+$/, '');
  const text = frac ? `${int}.${frac}` : int;
  return negative && text !== '0' ? `-${text}` : text;
}

export interface FormatMoneyOptions {
  /** Digits after the decimal point in the chosen unit; default 2. */
  decimals?: number;
  /** Default 'zh-CN'. */
  locale?: Locale;
  /** Append/prepend the unit or currency; default true. Use `unitLabel` for column headers. */
  withUnit?: boolean;
}

/**
 * Renders fen in 元, 万元 or 亿元 with thousands separators, rounded half away from zero
 * (四舍五入) exactly.
 *
 * zh-CN: '1,234.56元', '1,200.00万', '1.20亿' — the suffixes users write themselves.
 * en:    '¥1,234.56', '¥12,000.00K', '¥12.00M' — the scales English readers count in (the
 *        preference's step: 万 → thousands, 亿 → millions). An English reader shown
 *        'CNY 35,350.00 万' has to convert in their head, and the text wrapped in cards and inputs.
 * Negative amounts: '-1,234.56元' / '-¥1,234.56'. A value that rounds to zero prints unsigned.
 * Every output (with or without unit) is accepted back by `parseMoney` when no precision was
 * lost in rounding.
 */
export function formatMoney(fen: number, unit: AmountUnit, opts: FormatMoneyOptions = {}): string {
  assertSafeInteger(fen);
  const decimals = opts.decimals ?? 2;
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > 12) {
    throw new AppError('NUMBER_INVALID', { value: String(decimals) });
  }
  const withUnit = opts.withUnit ?? true;

  const locale = opts.locale ?? 'zh-CN';
  // scaled = fen / 10^unitExp × 10^decimals, rounded half-up, as an integer.
  const shift = decimals - (locale === 'en' ? EN_FEN_EXPONENT : FEN_EXPONENT)[unit];
  const scaled =
    shift >= 0 ? BigInt(fen) * pow10(shift) : divRoundHalfUp(BigInt(fen), pow10(-shift));
  const digits = absBig(scaled)
    .toString()
    .padStart(decimals + 1, '0');
  const intPart = digits.slice(0, digits.length - decimals);
  const fracPart = digits.slice(digits.length - decimals);
  const sign = scaled < 0n ? '-' : '';
  const magnitude = groupThousands(intPart) + (decimals > 0 ? '.' + fracPart : '');

  if (!withUnit) return sign + magnitude;
  if (locale === 'zh-CN') return sign + magnitude + ZH_SUFFIX[unit];
  return sign + '¥' + magnitude + EN_SUFFIX[unit];
}

const ZH_SUFFIX: Record<AmountUnit, string> = { yuan: '元', wan: '万', yi: '亿' };
const EN_SUFFIX: Record<AmountUnit, string> = { yuan: '', wan: 'K', yi: 'M' };

/**
 * Decimals to show `fen` in `unit` so that it never collapses to zero: `min` (2) for a figure of
 * one unit or more, else enough for two significant digits, at most down to the fen. An average
 * order of 4,000元 in 亿元 is '0.00004亿' (5 decimals), not '0.00亿'.
 */
export function decimalsFor(
  fen: number,
  unit: AmountUnit,
  locale: Locale = 'zh-CN',
  min = 2,
): number {
  const per = fenPerUnit(unit, locale);
  const abs = Math.abs(fen);
  if (abs === 0 || abs >= per) return min;
  // the position of the first significant digit after the point, plus one more digit
  const needed = Math.ceil(Math.log10(per / abs) - 1e-12) + 1;
  return Math.max(min, Math.min(needed, Math.round(Math.log10(per))));
}

/** Column-header label for a table printed with `withUnit: false`: '万元' / '¥K'. */
export function unitLabel(unit: AmountUnit, locale: Locale = 'zh-CN'): string {
  if (locale === 'zh-CN') return { yuan: '元', wan: '万元', yi: '亿元' }[unit];
  return { yuan: '¥', wan: '¥K', yi: '¥M' }[unit];
}

/** Exact 元 string without grouping, always two decimals: 123456 → '1234.56', -5 → '-0.05'. */
export function fenToYuanString(fen: number): string {
  assertSafeInteger(fen);
  const abs = Math.abs(fen).toString().padStart(3, '0');
  return (fen < 0 ? '-' : '') + abs.slice(0, -2) + '.' + abs.slice(-2);
}

/** a + b in fen, refusing non-integers and results beyond Number.MAX_SAFE_INTEGER. */
export function addFen(a: number, b: number): number {
  assertSafeInteger(a);
  assertSafeInteger(b);
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) {
    throw new AppError('MONEY_OUT_OF_RANGE', { value: (BigInt(a) + BigInt(b)).toString() });
  }
  return sum;
}

/** Σ fen over a list; exact, and throws rather than lose a fen beyond 2^53. */
export function sumFen(list: readonly number[]): number {
  let total = 0n;
  for (const x of list) {
    assertSafeInteger(x);
    total += BigInt(x);
  }
  return toSafeNumber(total);
}

/**
 * fen × numerator ÷ denominator, rounded half away from zero (四舍五入) — the rounding a user
 * checking the number with a calculator expects for a single product such as "80% of the target".
 * Use `allocate` instead whenever several rounded parts must add up to a whole.
 * Ratio terms may be numbers (safe integers) or bigints; the product is formed in BigInt.
 */
export function multiplyFenByRatio(
  fen: number,
  numerator: number | bigint,
  denominator: number | bigint,
): number {
  assertSafeInteger(fen);
  const n = toBig(numerator);
  const d = toBig(denominator);
  if (d === 0n) {
    throw new AppError('RATIO_INVALID', { numerator: String(numerator), denominator: '0' });
  }
  return toSafeNumber(divRoundHalfUp(BigInt(fen) * n, d));
}

function toBig(x: number | bigint): bigint {
  if (typeof x === 'bigint') return x;
  if (!Number.isSafeInteger(x)) throw new AppError('NUMBER_INVALID', { value: String(x) });
  return BigInt(x);
}
