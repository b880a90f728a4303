import { AppError } from '../../domain/errors.ts';
import { fold } from '../../domain/text-keys.ts';
import {
  dateOrderEvidence,
  excelSerialToDate,
  parseDate,
  parseDateAs,
  type DateFormat,
} from '../../domain/dates.ts';
import {
  addFenDifference,
  parseMoneyRounded,
  type FenDifference,
  type MoneyRounding,
} from '../../domain/money.ts';
import { fractionToBasisPoints, parsePercent } from '../../domain/percent.ts';
import type { ColumnDef } from './columns.ts';
import type { RawCell } from './read-table.ts';

/** The scale a money column's header announces: '目标（万元）' holds 万元, not 元. */
export type MoneyScale = '' | '万' | '亿';

/**
 * How an import reads amounts finer than a fen, and what it rounded: every rounded amount counts
 * once, and `difference` sums rounded − written, exactly.
 */
export interface MoneyRoundingTally {
  readonly rounding: MoneyRounding;
  count: number;
  difference: FenDifference;
}

/**
 * How an import reads dates, and what its 'auto' format learned: the first date that can only be
 * month/day/year, the first that can only be day/month/year, and whether a date read two ways.
 */
export interface DateOrderTally {
  readonly format: DateFormat;
  mdy?: string;
  dmy?: string;
  ambiguous: boolean;
}

export function dateOrderTally(format: DateFormat = 'auto'): DateOrderTally {
  return { format, ambiguous: false };
}

/** What a column parser is told and tells back beyond each cell's value. */
export interface CellReading {
  money?: MoneyRoundingTally;
  dates?: DateOrderTally;
}

export function roundingTally(rounding: MoneyRounding = 'none'): MoneyRoundingTally {
  return { rounding, count: 0, difference: { numerator: 0n, scale: 0 } };
}

/**
 * Turns one non-empty raw cell into the column's type, or throws an AppError naming the value.
 * Text cells come from CSV (and from Excel cells formatted as text); number cells come from Excel
 * and mean what Excel shows: 元 for money, a fraction for percentages (35% is stored as 0.35),
 * a serial day number for dates.
 */
export function parseCell(
  def: ColumnDef,
  raw: string | number,
  scale: MoneyScale = '',
  reading: CellReading = {},
): unknown {
  switch (def.type) {
    case 'string':
      return String(raw).trim();
    case 'integer':
      return parseInteger(raw);
    case 'number':
      return parseNumber(raw);
    case 'money':
      return parseMoneyCell(raw, scale, reading.money);
    case 'percent':
      return typeof raw === 'number' ? fractionToBasisPoints(clean(raw)) : parsePercent(raw);
    case 'date':
      return typeof raw === 'number' ? excelSerialToDate(raw) : parseDateCell(raw, reading.dates);
    case 'boolean':
      return parseBoolean(raw);
    case 'enum':
      return parseEnum(def.values, raw);
  }
}

/**
 * A parser for one column's non-empty cells, same results and errors as `parseCell`, made once per
 * column of an import: an enum's aliases are folded once, and a column whose cells repeat (dates,
 * enums, yes/no) remembers what each distinct text parsed to, errors included.
 */
export function cellParser(
  def: ColumnDef,
  scale: MoneyScale = '',
  reading: CellReading = {},
): (raw: string | number) => unknown {
  if (def.type === 'money' && scale === '') return (raw) => parseMoneyFast(raw, reading.money);
  if (def.type === 'integer') return parseIntegerFast;
  if (def.type !== 'enum' && def.type !== 'date' && def.type !== 'boolean')
    return (raw) => parseCell(def, raw, scale, reading);
  // Each distinct text is parsed once (memo below), which is all the date tally needs.
  const parseOne =
    def.type === 'enum'
      ? enumParser(def.values)
      : (raw: string | number) => parseCell(def, raw, scale, reading);
  const memo = new Map<string | number, { value: unknown } | { error: unknown }>();
  return (raw) => {
    let hit = memo.get(raw);
    if (hit === undefined) {
      try {
        hit = { value: parseOne(raw) };
      } catch (error) {
        hit = { error };
      }
      // Distinct texts of a date or enum column are few; a pathological file must not grow it forever.
      if (memo.size < MEMO_LIMIT) memo.set(raw, hit);
    }
    if ('error' in hit) throw hit.error;
    return hit.value;
  };
}

const MEMO_LIMIT = 10_000;

export { fold } from '../../domain/text-keys.ts';

/**
 * Excel computes in binary floating point, so a cell showing 0.3 may hold 0.30000000000000004.
 * Fifteen significant digits is what Excel itself displays and keeps.
 */
function clean(n: number): number {
  return Number(n.toPrecision(15));
}

/** '1299', '-35.5', '0.07': plain 元 with at most two decimals, which need no exact arithmetic. */
const PLAIN_YUAN = /^(-?)(\d{1,13})(?:\.(\d{1,2}))?$/;

/** parseMoneyCell for a column in 元: plain amounts by hand (exact below 2^53 fen), the rest as before. */
function parseMoneyFast(raw: string | number, money?: MoneyRoundingTally): number {
  if (typeof raw === 'string') {
    const m = PLAIN_YUAN.exec(raw.trim());
    if (m) {
      const cents = m[3] === undefined ? 0 : m[3].length === 1 ? Number(m[3]) * 10 : Number(m[3]);
      const fen = Number(m[2]) * 100 + cents;
      // -0 is 0: parseMoney never returns a negative zero.
      return m[1] === '-' && fen !== 0 ? -fen : fen;
    }
  }
  return parseMoneyCell(raw, '', money);
}

/** Plain integers ('3', '-12') by hand; the rest (separators, full-width digits) as before. */
function parseIntegerFast(raw: string | number): number {
  if (typeof raw === 'string' && /^-?\d{1,15}$/.test(raw)) return Number(raw);
  return parseInteger(raw);
}

/** A date's text in the file's format; in 'auto', notes what it says about the file's order. */
function parseDateCell(raw: string, tally: DateOrderTally | undefined): string {
  const text = raw.trim();
  if (!tally) return parseDate(text);
  if (tally.format === 'auto') {
    const evidence = dateOrderEvidence(text);
    if (evidence === 'MDY') tally.mdy ??= text;
    else if (evidence === 'DMY') tally.dmy ??= text;
    else if (evidence === 'either') tally.ambiguous = true;
  }
  return parseDateAs(text, tally.format);
}

function parseMoneyCell(
  raw: string | number,
  scale: MoneyScale,
  money?: MoneyRoundingTally,
): number {
  const text = typeof raw === 'number' ? decimalText(clean(raw)) : raw.trim();
  // A cell that names its own scale ('1.2亿', '500元') wins over the header's.
  const hasUnit = /(?:元|万|亿|cny|rmb)$/i.test(text);
  const { fen, difference } = parseMoneyRounded(
    scale && !hasUnit ? text + scale : text,
    money?.rounding ?? 'none',
  );
  if (money && difference.numerator !== 0n) {
    money.count++;
    money.difference = addFenDifference(money.difference, difference);
  }
  return fen;
}

/** A number as plain decimal text: 1e-7 → '0.0000001', which parseMoney understands. */
function decimalText(n: number): string {
  const s = String(n);
  if (!/e/i.test(s)) return s;
  return n.toFixed(20).replace(/\.?0+$/, '');
}

function parseInteger(raw: string | number): number {
  const n = typeof raw === 'number' ? clean(raw) : readNumber(raw);
  if (n === undefined || !Number.isSafeInteger(n)) {
    throw new AppError('INTEGER_INVALID', { value: String(raw) });
  }
  return n;
}

function parseNumber(raw: string | number): number {
  const n = typeof raw === 'number' ? raw : readNumber(raw);
  if (n === undefined) throw new AppError('NUMBER_INVALID', { value: String(raw) });
  return n;
}

/** '1,234.5', '１２３', ' -7 ' → numbers; thousands separators must be well-formed. */
function readNumber(text: string): number | undefined {
  const s = text.normalize('NFKC').trim();
  if (!/^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d+)?(?:e[+-]?\d+)?$/i.test(s) || !/\d/.test(s))
    return undefined;
  const n = Number(s.replace(/,/g, ''));
  return Number.isFinite(n) ? n : undefined;
}

const TRUE_WORDS = new Set(['是', '对', 'y', 'yes', 'true', '1', '√', '✓']);
const FALSE_WORDS = new Set(['否', '不是', 'n', 'no', 'false', '0', '×', '✗']);

function parseBoolean(raw: string | number): boolean {
  const word = fold(String(raw));
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  throw new AppError('ENUM_INVALID', { value: String(raw), allowed: '是/否, yes/no' });
}

function parseEnum(
  values: Readonly<Record<string, readonly string[]>>,
  raw: string | number,
): string {
  return enumParser(values)(raw);
}

/** The enum's keys and aliases folded once; the first key claiming a word wins, as before. */
function enumParser(
  values: Readonly<Record<string, readonly string[]>>,
): (raw: string | number) => string {
  const byWord = new Map<string, string>();
  for (const [key, aliases] of Object.entries(values)) {
    for (const word of [key, ...aliases]) if (!byWord.has(fold(word))) byWord.set(fold(word), key);
  }
  const allowed = Object.entries(values).map(([key, aliases]) => aliases[0] ?? key);
  return (raw) => {
    const key = byWord.get(fold(String(raw)));
    if (key !== undefined) return key;
    throw new AppError('ENUM_INVALID', { value: String(raw).trim(), allowed: allowed.join('、') });
  };
}

export function isBlank(cell: RawCell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}
