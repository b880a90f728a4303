import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.ts';
import { bandCounts271, bands271, rank } from '../../../src/domain/tracking/index.ts';

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

const team = [
  { id: 'd', actual: 50, target: 100 }, // 50%
  { id: 'b', actual: 120, target: 150 }, // 80%
  { id: 'e', actual: 10, target: 0 }, // no attainment
  { id: 'a', actual: 80, target: 100 }, // 80%
  { id: 'c', actual: 90, target: 100 }, // 90%
];

describe('rank', () => {
  it('ranks by attainment with competition ranking and ties listed by id', () => {
    const r = rank(team, 'attainment');
    expect(r.map((e) => [e.id, e.rank, e.attainmentBp])).toEqual([
      ['c', 1, 9000],
      ['a', 2, 8000],
      ['b', 2, 8000],
      ['d', 4, 5000],
      ['e', 5, null],
    ]);
  });

  it('ranks by actual', () => {
    const r = rank([...team, { id: 'f', actual: 90, target: 200 }], 'actual');
    expect(r.map((e) => [e.id, e.rank])).toEqual([
      ['b', 1],
      ['c', 2],
      ['f', 2],
      ['a', 4],
      ['d', 5],
      ['e', 6],
    ]);
  });

  it('separates attainments that only look equal once rounded', () => {
    // 66.674% and 66.666% both display as 66.67%
    const r = rank(
      [
        { id: 'y', actual: 66_666, target: 100_000 },
        { id: 'x', actual: 66_674, target: 100_000 },
      ],
      'attainment',
    );
    expect(r.map((e) => [e.id, e.rank, e.attainmentBp])).toEqual([
      ['x', 1, 6667],
      ['y', 2, 6667],
    ]);
  });

  it('refuses duplicate ids', () => {
    expect(codeOf(() => rank([team[0]!, team[0]!], 'actual'))).toBe('TRACKING_INVALID');
  });

  it('is a permutation where ties share a rank and ranks count those strictly ahead (property)', () => {
    const entry = fc.record({
      id: fc.string({ maxLength: 3 }),
      actual: fc.integer({ min: -5, max: 5 }),
      target: fc.integer({ min: 0, max: 4 }),
    });
    fc.assert(
      fc.property(
        fc.uniqueArray(entry, { maxLength: 15, selector: (e) => e.id }),
        fc.constantFrom('attainment' as const, 'actual' as const),
        (entries, by) => {
          const r = rank(entries, by);
          expect(r.map((e) => e.id).sort()).toEqual(entries.map((e) => e.id).sort());
          const value = (e: { actual: number; target: number }) =>
            by === 'actual' ? e.actual : e.target === 0 ? -Infinity : e.actual / e.target;
          for (const e of r) {
            const ahead = r.filter((o) => value(o) > value(e)).length;
            expect(e.rank).toBe(ahead + 1);
          }
          for (let i = 1; i < r.length; i++) {
            const prev = r[i - 1]!;
            const cur = r[i]!;
            expect(prev.rank).toBeLessThanOrEqual(cur.rank);
            if (prev.rank === cur.rank) expect(prev.id < cur.id).toBe(true);
          }
        },
      ),
    );
  });
});

describe('271 bands', () => {
  it('rounds the 20% and 10% to the nearest whole person', () => {
    expect(bandCounts271(1)).toEqual({ top: 0, middle: 1, bottom: 0 });
    expect(bandCounts271(7)).toEqual({ top: 1, middle: 5, bottom: 1 }); // 1.4 → 1, 0.7 → 1
    expect(bandCounts271(10)).toEqual({ top: 2, middle: 7, bottom: 1 });
    expect(bandCounts271(11)).toEqual({ top: 2, middle: 8, bottom: 1 }); // 2.2 → 2, 1.1 → 1
    expect(bandCounts271(5)).toEqual({ top: 1, middle: 3, bottom: 1 }); // 0.5 rounds up
    expect(bandCounts271(0)).toEqual({ top: 0, middle: 0, bottom: 0 });
  });

  const people = (actuals: number[]) =>
    rank(
      actuals.map((actual, i) => ({ id: `r${String(i).padStart(2, '0')}`, actual, target: 100 })),
      'actual',
    );
  const bandsOf = (actuals: number[]) =>
    bands271(people(actuals))
      .map((e) => e.band[0])
      .join('');

  it('bands teams of 1, 7, 10 and 11 without ties', () => {
    expect(bandsOf([50])).toBe('m');
    expect(bandsOf([70, 60, 50, 40, 30, 20, 10])).toBe('tmmmmmb');
    expect(bandsOf([100, 90, 80, 70, 60, 50, 40, 30, 20, 10])).toBe('ttmmmmmmmb');
    expect(bandsOf([110, 100, 90, 80, 70, 60, 50, 40, 30, 20, 10])).toBe('ttmmmmmmmmb');
  });

  it('keeps ties in one band, in the person’s favour', () => {
    // Ranks 1, 2, 2, 4 … 9, 9: the tie at places 2–3 straddles the top boundary (2) → both top;
    // the tie at places 9–10 straddles the bottom boundary (1) → both middle
    expect(bandsOf([100, 90, 90, 80, 70, 60, 50, 40, 30, 30])).toBe('tttmmmmmmm');
    // a tie wholly inside the bottom places is bottom together (n = 20: bottom 2)
    const twenty = [
      200, 190, 180, 170, 160, 150, 140, 130, 120, 110, 100, 90, 80, 70, 60, 50, 40, 30, 5, 5,
    ];
    expect(bandsOf(twenty)).toBe('ttttmmmmmmmmmmmmmmbb');
    // everyone tied shares rank 1 and so the top band
    expect(bandsOf([5, 5, 5])).toBe('ttt');
  });

  it('takes configured shares', () => {
    expect(bandCounts271(10, { topBp: 3000, bottomBp: 2000 })).toEqual({
      top: 3,
      middle: 5,
      bottom: 2,
    });
    expect(codeOf(() => bandCounts271(10, { topBp: 6000, bottomBp: 5000 }))).toBe(
      'TRACKING_INVALID',
    );
  });
});
