/**
 * 'YYYY-MM' months as consecutive integers (year × 12 + month − 1), so "months since a rep
 * started" and "the same month N years ago" are plain subtraction.
 */
import { AppError } from '../errors.ts';
import { parsePeriod } from '../periods.ts';

export function monthIndex(month: string): number {
  const p = parsePeriod(month);
  if (p.kind !== 'month' || p.id !== month) throw new AppError('PERIOD_INVALID', { value: month });
  return p.year * 12 + p.month - 1;
}

export function monthOfIndex(index: number): string {
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}`;
}
