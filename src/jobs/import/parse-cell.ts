import { AppError } from '../../domain/errors.ts';
import { excelSerialToDate, parseDate } from '../../domain/dates.ts';
import { parseMoney } from '../../domain/money.ts';
import { fractionToBasisPoints, parsePercent } from '../../domain/percent.ts';
import type { ColumnDef } from './columns.ts';
import type { RawCell } from './read-table.ts';

/** The scale a money column's header announces: '目标（万元）' holds 万元, not 元. */
export type MoneyScale = '' | '万' | '亿';

/**
 * Turns one non-empty raw cell into the column's type, or throws an AppError naming the value.
 * Text cells come from CSV (and from Excel cells formatted as text); number cells come from Excel
 * and mean what Excel shows: 元 for money, a fraction for percentages (35% is stored as 0.35),
 * a serial day number for dates.
 */
export function parseCell(def: ColumnDef, raw: string | number, scale: MoneyScale = ''): unknown {
  switch (def.type) {
    case 'string':
      return String(raw).trim();
    case 'integer':
      return parseInteger(raw);
    case 'number':
      return parseNumber(raw);
    case 'money':
      return parseMoneyCell(raw, scale);
    case 'percent':
      return typeof raw === 'number' ? fractionToBasisPoints(clean(raw)) : parsePercent(raw);
    case 'date':
      return typeof raw === 'number' ? excelSerialToDate(raw) : parseDate(raw.trim());
    case 'boolean':
      return parseBoolean(raw);
    case 'enum':
      return parseEnum(def.values, raw);
  }
}

/** Lower-case, full-width folded, without spaces: how users' spellings are compared. */
export function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().replace(/\s+/g, '');
}

/**
 * Excel computes in binary floating point, so a cell showing 0.3 may hold 0.30000000000000004.
 * Fifteen significant digits is what Excel itself displays and keeps.
 */
function clean(n: number): number {
  return Number(n.toPrecision(15));
}

function parseMoneyCell(raw: string | number, scale: MoneyScale): number {
  const text = typeof raw === 'number' ? decimalText(clean(raw)) : raw.trim();
  // A cell that names its own scale ('1.2亿', '500元') wins over the header's.
  const hasUnit = /(?:元|万|亿|cny|rmb)$/i.test(text);
  return parseMoney(scale && !hasUnit ? text + scale : text);
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
  const word = fold(String(raw));
  for (const [key, aliases] of Object.entries(values)) {
    if (fold(key) === word || aliases.some((alias) => fold(alias) === word)) return key;
  }
  const allowed = Object.entries(values).map(([key, aliases]) => aliases[0] ?? key);
  throw new AppError('ENUM_INVALID', { value: String(raw).trim(), allowed: allowed.join('、') });
}

export function isBlank(cell: RawCell | undefined): boolean {
  return cell === null || cell === undefined || (typeof cell === 'string' && cell.trim() === '');
}
