import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../src/domain/errors.ts';
import {
  addFen,
  fenToYuanString,
  formatMoney,
  multiplyFenByRatio,
  parseMoney,
  sumFen,
  decimalsFor,
  fenPerUnit,
  unitLabel,
} from '../../src/domain/money.ts';

/** Runs `fn` and returns the AppError code it throws (fails the test if it does not throw). */
function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

const WAN = 1_000_000; // fen in 1万元
const YI = 10_000_000_000; // fen in 1亿元

describe('parseMoney', () => {
  it('reads the METHOD example "120万" as 1,200,000.00 元', () => {
    // Given a target typed the way managers write it
    // When it is parsed
    const fen = parseMoney('120万');
    // Then it is 1,200,000.00 元 in fen
    expect(fen).toBe(120_000_000);
    expect(fenToYuanString(fen)).toBe('1200000.00');
  });

  it.each([
    ['1234.5', 123_450],
    ['1,234.56', 123_456],
    ['１２３', 12_300],
    ['１，２３４．５６', 123_456],
    ['1.2亿', 120_000_000_00],
    ['3.5万元', 35_000_00],
    ['100元', 10_000],
    ['-20.00', -2_000],
    ['¥1,000', 100_000],
    ['￥1,000.5', 100_050],
    ['  42  ', 4_200],
    ['-¥5', -500],
    ['¥-5', -500],
    ['+7', 700],
    ['(1,000.00)', -100_000],
    ['CNY 1,234.56', 123_456],
    ['CNY -1,234.56', -123_456],
    ['CNY 1,200.00 万', 1200 * WAN],
    ['RMB 3 万元', 3 * WAN],
    ['¥12,000.00K', 1200 * WAN],
    ['-¥1.20M', -120 * WAN],
    ['350k', 350_000_00],
    ['1.5 m', 1_500_000_00],
    ['1.23456万', 1_234_560],
    ['1.2300', 123],
    ['0', 0],
    ['-0', 0],
    ['0.01', 1],
    ['1,234,567.89', 123_456_789],
  ])('reads %s as %i fen', (text, fen) => {
    expect(parseMoney(text)).toBe(fen);
  });

  it('never produces negative zero', () => {
    expect(Object.is(parseMoney('-0.00'), 0)).toBe(true);
  });

  it.each(['1.234', '0.001', '1.2345678万', '1.23456789012亿'])(
    'refuses sub-fen precision in %s',
    (text) => {
      expect(codeOf(() => parseMoney(text))).toBe('MONEY_TOO_PRECISE');
    },
  );

  it.each([
    '',
    'abc',
    '12a',
    '1,23',
    '1,2345',
    '1.2.3',
    '--5',
    '万',
    '¥',
    '1e5',
    '.5',
    '5.',
    '(-5)',
    '1 000',
    '12万万',
  ])('refuses garbage %j with MONEY_INVALID', (text) => {
    expect(codeOf(() => parseMoney(text))).toBe('MONEY_INVALID');
  });

  it('refuses amounts beyond Number.MAX_SAFE_INTEGER fen', () => {
    expect(parseMoney('90071992547409.91')).toBe(Number.MAX_SAFE_INTEGER);
    expect(codeOf(() => parseMoney('90071992547409.92'))).toBe('MONEY_OUT_OF_RANGE');
    expect(codeOf(() => parseMoney('1000000亿'))).toBe('MONEY_OUT_OF_RANGE');
  });

  it('keeps the original text in the error params', () => {
    try {
      parseMoney(' 12x ');
    } catch (e) {
      expect((e as AppError).params).toEqual({ value: ' 12x ' });
    }
  });
});

describe('formatMoney', () => {
  it('renders 万 and 亿 in Chinese with the zh suffix', () => {
    expect(formatMoney(12_000_000_00, 'wan')).toBe('1,200.00万');
    expect(formatMoney(120_000_000_00, 'yi')).toBe('1.20亿');
    expect(formatMoney(123_456, 'yuan')).toBe('1,234.56元');
  });

  it('renders English in ¥, thousands and millions: the same scale step, English words', () => {
    // Given 1,200万元 (12,000,000 元)
    expect(formatMoney(12_000_000_00, 'wan', { locale: 'en' })).toBe('¥12,000.00K');
    expect(formatMoney(12_000_000_00, 'yi', { locale: 'en' })).toBe('¥12.00M');
    expect(formatMoney(123_456, 'yuan', { locale: 'en' })).toBe('¥1,234.56');
    expect(formatMoney(-123_456, 'yuan', { locale: 'en' })).toBe('-¥1,234.56');
    expect(unitLabel('wan', 'en')).toBe('¥K');
    expect(unitLabel('yi', 'en')).toBe('¥M');
    expect(unitLabel('wan')).toBe('万元');
    expect(fenPerUnit('wan', 'en')).toBe(100_000);
    expect(fenPerUnit('wan')).toBe(1_000_000);
  });

  it('omits the unit on request and honours decimals', () => {
    expect(formatMoney(12_345_678, 'wan', { withUnit: false })).toBe('12.35');
    expect(formatMoney(12_345_678, 'wan', { decimals: 0 })).toBe('12万');
    expect(formatMoney(12_345_678, 'wan', { decimals: 6 })).toBe('12.345678万');
    expect(formatMoney(5, 'yuan', { decimals: 4 })).toBe('0.0500元');
  });

  it('rounds half away from zero, exactly', () => {
    // 1.005万 = 10,050 元 → 1.01万 (a float would see 1.00499999…)
    expect(formatMoney(1_005_000, 'wan')).toBe('1.01万');
    expect(formatMoney(-1_005_000, 'wan')).toBe('-1.01万');
    expect(formatMoney(1_004_999, 'wan')).toBe('1.00万');
    expect(formatMoney(250, 'yuan', { decimals: 0, withUnit: false })).toBe('3');
    expect(formatMoney(-250, 'yuan', { decimals: 0, withUnit: false })).toBe('-3');
  });

  it('prints a value that rounds to zero without a minus sign', () => {
    expect(formatMoney(-1, 'wan')).toBe('0.00万');
  });

  it('handles the largest safe amount', () => {
    expect(formatMoney(Number.MAX_SAFE_INTEGER, 'yuan', { withUnit: false })).toBe(
      '90,071,992,547,409.91',
    );
  });

  it('round-trips through parseMoney for yuan in both locales (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
        fc.constantFrom('zh-CN' as const, 'en' as const),
        fc.boolean(),
        (fen, locale, withUnit) => {
          expect(parseMoney(formatMoney(fen, 'yuan', { locale, withUnit }))).toBe(fen);
        },
      ),
    );
  });

  it('round-trips through parseMoney for 万/亿 when enough decimals are shown (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e15, max: 1e15 }),
        fc.constantFrom('wan' as const, 'yi' as const),
        fc.constantFrom('zh-CN' as const, 'en' as const),
        (fen, unit, locale) => {
          const decimals = unit === 'wan' ? 6 : 10;
          expect(parseMoney(formatMoney(fen, unit, { locale, decimals }))).toBe(fen);
        },
      ),
    );
  });
});

describe('fenToYuanString', () => {
  it.each([
    [123_456, '1234.56'],
    [5, '0.05'],
    [-5, '-0.05'],
    [0, '0.00'],
    [-100, '-1.00'],
    [Number.MAX_SAFE_INTEGER, '90071992547409.91'],
  ])('renders %i fen as %s', (fen, text) => {
    expect(fenToYuanString(fen)).toBe(text);
  });

  it('refuses non-integers', () => {
    expect(codeOf(() => fenToYuanString(1.5))).toBe('MONEY_INVALID');
  });
});

describe('addFen and sumFen', () => {
  it('add exactly and refuse to leave the safe range', () => {
    expect(addFen(1, 2)).toBe(3);
    expect(sumFen([480 * WAN, 300 * WAN, 360 * WAN, 60 * WAN])).toBe(1200 * WAN);
    expect(sumFen([])).toBe(0);
    expect(codeOf(() => addFen(Number.MAX_SAFE_INTEGER, 1))).toBe('MONEY_OUT_OF_RANGE');
    expect(codeOf(() => sumFen([Number.MAX_SAFE_INTEGER, 1]))).toBe('MONEY_OUT_OF_RANGE');
    expect(codeOf(() => addFen(0.5, 1))).toBe('MONEY_INVALID');
    expect(codeOf(() => addFen(2 ** 60, 1))).toBe('MONEY_OUT_OF_RANGE');
  });

  it('lets intermediate sums exceed the safe range when the total fits', () => {
    expect(sumFen([Number.MAX_SAFE_INTEGER, 1, -1])).toBe(Number.MAX_SAFE_INTEGER);
  });
});

describe('multiplyFenByRatio', () => {
  it('applies a basis-point ratio exactly, rounding half away from zero', () => {
    // 80% of 1,000万
    expect(multiplyFenByRatio(1000 * WAN, 8_000, 10_000)).toBe(800 * WAN);
    expect(multiplyFenByRatio(5, 1, 2)).toBe(3);
    expect(multiplyFenByRatio(-5, 1, 2)).toBe(-3);
    expect(multiplyFenByRatio(5, -1, 2)).toBe(-3);
    expect(multiplyFenByRatio(7, 1, 3)).toBe(2);
    expect(multiplyFenByRatio(10, 2n, 3n)).toBe(7);
  });

  it('stays exact where a double product would not', () => {
    // 9e15 × 3 overflows 2^53 in a double; BigInt keeps it exact.
    expect(multiplyFenByRatio(9_000_000_000_000_001, 3, 3)).toBe(9_000_000_000_000_001);
    expect(multiplyFenByRatio(1 * YI, 123_456_789, 1_000_000_000)).toBe(1_234_567_890);
  });

  it('refuses a zero denominator and results out of range', () => {
    expect(codeOf(() => multiplyFenByRatio(1, 1, 0))).toBe('RATIO_INVALID');
    expect(codeOf(() => multiplyFenByRatio(Number.MAX_SAFE_INTEGER, 2, 1))).toBe(
      'MONEY_OUT_OF_RANGE',
    );
    expect(codeOf(() => multiplyFenByRatio(1, 0.5, 1))).toBe('NUMBER_INVALID');
  });
});

describe('decimalsFor', () => {
  it('keeps two decimals for whole units and adds digits so a small figure never shows as zero', () => {
    // 4,000元 in 亿元 is 0.00004亿: shown with two significant digits, not as 0.00亿
    expect(formatMoney(400_000, 'yi', { decimals: decimalsFor(400_000, 'yi') })).toBe('0.000040亿');
    expect(decimalsFor(12_000_000_00, 'wan')).toBe(2);
    expect(decimalsFor(0, 'yi')).toBe(2);
    // 500元 is 0.05万: two decimals would show 0.05, two significant digits need 3
    expect(formatMoney(50_000, 'wan', { decimals: decimalsFor(50_000, 'wan') })).toBe('0.050万');
    // never below the fen: 1 fen in 亿元 has 10 decimals
    expect(decimalsFor(1, 'yi')).toBe(10);
    expect(decimalsFor(1, 'yuan')).toBe(2);
  });

  it('never prints a non-zero amount as zero (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e12, max: 1e12 }).filter((n) => n !== 0),
        fc.constantFrom('yuan' as const, 'wan' as const, 'yi' as const),
        fc.constantFrom('zh-CN' as const, 'en' as const),
        (fen, unit, locale) => {
          const text = formatMoney(fen, unit, {
            locale,
            decimals: decimalsFor(fen, unit, locale),
            withUnit: false,
          });
          expect(/[1-9]/.test(text)).toBe(true);
        },
      ),
    );
  });
});
