import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import { parsePercent } from '../../src/domain/money.ts';
import { formatPercent, fractionToBasisPoints } from '../../src/domain/percent.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('parsePercent', () => {
  it.each([
    ['15%', 1500],
    ['15.5%', 1550],
    ['15.50%', 1550],
    ['0.01%', 1],
    ['-3%', -300],
    ['120 ％', 12_000],
    ['１５％', 1500],
    ['0.15', 1500],
    ['1', 10_000],
    ['1.0', 10_000],
    ['0', 0],
    ['-0.05', -500],
    [' 0.9 ', 9000],
  ])('reads %j as %i basis points', (text, bp) => {
    expect(parsePercent(text)).toBe(bp);
  });

  it.each(['', '%', 'abc', '15', '1.3', '-2', '1e-2', '15%%', '15 percent', '.5'])(
    'refuses %j (ambiguous or garbage) with PERCENT_INVALID',
    (text) => {
      expect(codeOf(() => parsePercent(text))).toBe('PERCENT_INVALID');
    },
  );

  it('refuses more precision than one basis point', () => {
    expect(codeOf(() => parsePercent('33.333%'))).toBe('PERCENT_TOO_PRECISE');
    expect(codeOf(() => parsePercent('0.33333'))).toBe('PERCENT_TOO_PRECISE');
  });
});

describe('fractionToBasisPoints', () => {
  it('reads spreadsheet fractions exactly, any magnitude', () => {
    expect(fractionToBasisPoints(0.155)).toBe(1550);
    expect(fractionToBasisPoints(1.3)).toBe(13_000);
    expect(fractionToBasisPoints(0.07)).toBe(700);
    expect(codeOf(() => fractionToBasisPoints(1 / 3))).toBe('PERCENT_TOO_PRECISE');
    expect(codeOf(() => fractionToBasisPoints(Number.NaN))).toBe('PERCENT_INVALID');
  });
});

describe('formatPercent', () => {
  it('renders basis points, rounding half away from zero', () => {
    expect(formatPercent(1550)).toBe('15.5%');
    expect(formatPercent(1550, 2)).toBe('15.50%');
    expect(formatPercent(3350, 0)).toBe('34%');
    expect(formatPercent(-3350, 0)).toBe('-34%');
    expect(formatPercent(5)).toBe('0.1%');
    expect(formatPercent(-4)).toBe('0.0%');
    expect(formatPercent(10_000)).toBe('100.0%');
  });
});
