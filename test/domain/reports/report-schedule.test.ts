import { describe, expect, it } from 'vitest';
import {
  DEFAULT_REPORT_SCHEDULE as S,
  dueReports,
} from '../../../src/domain/reports/report-schedule.ts';

describe('dueReports', () => {
  // 2026-12-07 is a Monday.
  it('sends the battle report of yesterday from 08:30 until the end of the day', () => {
    expect(dueReports(S, '2026-12-08', 8 * 60 + 29).battle).toBeNull();
    expect(dueReports(S, '2026-12-08', 8 * 60 + 30).battle).toBe('2026-12-07');
    expect(dueReports(S, '2026-12-08', 23 * 60 + 59).battle).toBe('2026-12-07');
    // the first of the month reports the last day of the previous one
    expect(dueReports(S, '2027-01-01', 9 * 60).battle).toBe('2026-12-31');
  });

  it('sends the weekly sheet of the week just ended on Monday from 08:00 only', () => {
    expect(dueReports(S, '2026-12-07', 7 * 60 + 59).weekly).toBeNull();
    expect(dueReports(S, '2026-12-07', 8 * 60)).toEqual({ battle: null, weekly: '2026-W49' });
    expect(dueReports(S, '2026-12-08', 8 * 60).weekly).toBeNull();
    // Monday 4 January 2027: the week ended on Sunday 3 January is ISO week 53 of 2026
    expect(dueReports(S, '2027-01-04', 8 * 60).weekly).toBe('2026-W53');
  });

  it('on a Friday meeting reports the running week up to Thursday', () => {
    const friday = { ...S, weekly: { ...S.weekly, weekday: 5 } };
    expect(dueReports(friday, '2026-12-11', 8 * 60).weekly).toBe('2026-W50');
  });

  it('sends nothing that is switched off', () => {
    const off = {
      battle: { ...S.battle, enabled: false },
      weekly: { ...S.weekly, enabled: false },
    };
    expect(dueReports(off, '2026-12-07', 12 * 60)).toEqual({ battle: null, weekly: null });
  });
});
