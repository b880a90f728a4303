import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { packLines, splitMessage, utf8Bytes } from '../../src/domain/notify/split.ts';

const strip = (part: string) => part.replace(/\n\(\d+\/\d+\)$/, '');
const line = fc
  .oneof(
    fc.string({ maxLength: 80 }),
    fc.string({ unit: 'grapheme', maxLength: 60 }),
    fc.constantFrom('- **华东大区** 达成率 62.5%', '[查看详情](/?alert=12)', '😀😀😀 emoji'),
  )
  .map((s) => s.replace(/\n/g, ' '));

describe('splitting long messages by UTF-8 bytes', () => {
  it('counts bytes, not characters', () => {
    expect(utf8Bytes('a中😀')).toBe(1 + 3 + 4);
  });

  it('leaves a message under the limit whole and unnumbered', () => {
    expect(splitMessage(['a', 'b'], 100)).toEqual(['a\nb']);
  });

  it('numbers parts and breaks between lines', () => {
    // Given 3 lines of 30 Chinese characters (90 bytes) and a 120-byte limit
    const l = '甲'.repeat(30);
    const parts = splitMessage([l, l, l], 120);
    // Then each line is its own part, numbered
    expect(parts).toEqual([`${l}\n(1/3)`, `${l}\n(2/3)`, `${l}\n(3/3)`]);
  });

  it('every part fits, and the parts give back the lines in order (property)', () => {
    fc.assert(
      fc.property(
        fc.array(line, { maxLength: 40 }),
        fc.integer({ min: 100, max: 600 }),
        (lines, limit) => {
          const parts = splitMessage(lines, limit);
          for (const p of parts) expect(utf8Bytes(p)).toBeLessThanOrEqual(limit);
          const budget = limit - utf8Bytes('\n(999/999)');
          if (lines.every((l) => utf8Bytes(l) <= budget)) {
            // No line was cut: the parts hold exactly the original lines
            const back = parts.length === 1 ? parts[0]! : parts.map(strip).join('\n');
            expect(back).toBe(lines.join('\n'));
          }
        },
      ),
    );
  });

  it('cuts an over-long line only between characters (property)', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', minLength: 1, maxLength: 300 }),
        fc.integer({ min: 8, max: 40 }),
        (s, budget) => {
          const groups = packLines([s], budget);
          const pieces = groups.flat();
          expect(pieces.join('')).toBe(s);
          for (const g of groups) expect(utf8Bytes(g.join('\n'))).toBeLessThanOrEqual(budget);
          // No piece starts with a lone low surrogate: no character was cut in half
          for (const p of pieces) expect(/^[\uDC00-\uDFFF]/.test(p)).toBe(false);
        },
      ),
    );
  });
});
