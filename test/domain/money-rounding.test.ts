import { describe, expect, it } from 'vitest';
import {
  addFenDifference,
  formatFenDifference,
  parseMoney,
  parseMoneyRounded,
} from '../../src/domain/money.ts';

describe('amounts finer than a fen', () => {
  it('are refused without a rounding choice, as before', () => {
    expect(() => parseMoney('957.5775')).toThrow(
      expect.objectContaining({ code: 'MONEY_TOO_PRECISE' }),
    );
    expect(() => parseMoneyRounded('957.5775', 'none')).toThrow(
      expect.objectContaining({ code: 'MONEY_TOO_PRECISE' }),
    );
  });

  it('round half-up away from zero, with the exact difference', () => {
    // Given 957.5775 元 = 95757.75 fen, When rounded half-up, Then 95758 fen, +0.25 fen.
    const r = parseMoneyRounded('957.5775', 'half-up');
    expect(r.fen).toBe(95758);
    expect(formatFenDifference(r.difference)).toBe('0.25');
    expect(parseMoneyRounded('0.125', 'half-up').fen).toBe(13);
    expect(parseMoneyRounded('-0.125', 'half-up').fen).toBe(-13);
    expect(formatFenDifference(parseMoneyRounded('-0.125', 'half-up').difference)).toBe('-0.5');
    expect(parseMoneyRounded('0.1249', 'half-up').fen).toBe(12);
    expect(parseMoneyRounded('¥1,234.5678', 'half-up').fen).toBe(123457);
  });

  it('round half-even to the even fen', () => {
    expect(parseMoneyRounded('0.125', 'half-even').fen).toBe(12);
    expect(parseMoneyRounded('0.135', 'half-even').fen).toBe(14);
    expect(parseMoneyRounded('-0.125', 'half-even').fen).toBe(-12);
    expect(parseMoneyRounded('0.1251', 'half-even').fen).toBe(13);
    expect(formatFenDifference(parseMoneyRounded('0.125', 'half-even').difference)).toBe('-0.5');
  });

  it('leave amounts of whole fen alone, and scale words still apply', () => {
    const r = parseMoneyRounded('12.34', 'half-up');
    expect(r).toEqual({ fen: 1234, difference: { numerator: 0n, scale: 0 } });
    // 1.23456789万 = 12345.6789 元 → 1234567.89 fen.
    expect(parseMoneyRounded('1.23456789万', 'half-up').fen).toBe(1234568);
  });

  it('sum differences of different precision exactly', () => {
    const a = parseMoneyRounded('957.5775', 'half-up').difference; // +0.25
    const b = parseMoneyRounded('1.001', 'half-up').difference; // -0.1
    const c = parseMoneyRounded('2.00999', 'half-up').difference; // +0.001
    expect(formatFenDifference(addFenDifference(addFenDifference(a, b), c))).toBe('0.151');
    expect(formatFenDifference({ numerator: 0n, scale: 0 })).toBe('0');
    expect(formatFenDifference({ numerator: -5n, scale: 3 })).toBe('-0.005');
  });
});
