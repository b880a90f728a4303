import { describe, expect, it } from 'vitest';
import { factDateRange, inFactDateRange } from '../../src/domain/fact-dates.ts';

describe('factDateRange', () => {
  it('runs from 2000-01-01 to the end of the year after today', () => {
    expect(factDateRange('2026-03-16')).toEqual({ min: '2000-01-01', max: '2027-12-31' });
    expect(factDateRange('2026-12-31')).toEqual({ min: '2000-01-01', max: '2027-12-31' });
  });

  it('holds its edges and refuses what lies beyond them', () => {
    const range = factDateRange('2026-03-16');
    expect(inFactDateRange('2000-01-01', range)).toBe(true);
    expect(inFactDateRange('2027-12-31', range)).toBe(true);
    expect(inFactDateRange('1999-12-31', range)).toBe(false);
    expect(inFactDateRange('2028-01-01', range)).toBe(false);
    expect(inFactDateRange('9999-12-31', range)).toBe(false);
  });
});
