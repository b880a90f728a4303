import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { respreadTotal } from '../../../src/domain/adjustments/respread-total.ts';
import { sniffEvidence } from '../../../src/domain/adjustments/evidence-type.ts';

describe('re-spreading a total over the open months', () => {
  it("keeps closed months and spreads the difference by the open months' targets", () => {
    const months = [
      { period: '2026-01', value: 100, frozen: true },
      { period: '2026-02', value: 100, frozen: true },
      { period: '2026-03', value: 100, frozen: false },
      { period: '2026-04', value: 300, frozen: false },
    ];
    expect(respreadTotal(months, 500)).toEqual([100, 100, 75, 225]);
    expect(respreadTotal(months, 600)).toEqual([100, 100, 100, 300]);
  });

  it('is exact: the months sum to the new total and the frozen ones never move', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ value: fc.nat(1_000_000), frozen: fc.boolean() }), {
          minLength: 1,
          maxLength: 12,
        }),
        fc.integer({ min: -1_000_000, max: 5_000_000 }),
        (raw, delta) => {
          const months = raw.map((m, i) => ({
            ...m,
            period: `2026-${String(i + 1).padStart(2, '0')}`,
          }));
          if (months.every((m) => m.frozen)) return;
          const total = months.reduce((a, m) => a + m.value, 0) + delta;
          const out = respreadTotal(months, total);
          expect(out.reduce((a, v) => a + v, 0)).toBe(total);
          months.forEach((m, i) => {
            if (m.frozen) expect(out[i]).toBe(m.value);
          });
        },
      ),
    );
  });
});

describe('evidence types by content', () => {
  it('tells the allowed types by their first bytes and refuses the rest', () => {
    expect(sniffEvidence(Buffer.from('%PDF-1.7\n'))).toBe('pdf');
    expect(sniffEvidence(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0]))).toBe(
      'png',
    );
    expect(sniffEvidence(Buffer.from([0xff, 0xd8, 0xff, 0xe0]))).toBe('jpg');
    expect(sniffEvidence(Buffer.from('PK\x03\x04....xl/workbook.xml', 'latin1'))).toBe('xlsx');
    expect(sniffEvidence(Buffer.from('PK\x03\x04....word/document.xml', 'latin1'))).toBe('docx');
    expect(sniffEvidence(Buffer.from('市场变化说明\n'))).toBe('txt');
    expect(sniffEvidence(Buffer.from('MZ\x90\x00', 'latin1'))).toBeNull();
    expect(sniffEvidence(Buffer.from('PK\x03\x04 other.zip', 'latin1'))).toBeNull();
    expect(sniffEvidence(Buffer.from([0xc3, 0x28]))).toBeNull(); // invalid UTF-8
  });
});
