import { describe, expect, it } from 'vitest';
import { slotOf } from '../../src/jobs/recurring.ts';

describe('quarter-hour recurring slots', () => {
  const r = { kind: 'reports.emit', every: 'quarter-hour' as const };
  it('are the China time quarter hour holding now', () => {
    // 00:29:59 UTC is 08:29:59 in China: the 08:15 slot; 08:30 starts the next one
    expect(slotOf(r, new Date('2026-12-08T00:29:59Z'))).toEqual({ key: '2026-12-08T08:15' });
    expect(slotOf(r, new Date('2026-12-08T00:30:00Z'))).toEqual({ key: '2026-12-08T08:30' });
    expect(slotOf(r, new Date('2026-12-08T00:44:59Z'))).toEqual({ key: '2026-12-08T08:30' });
    // 16:00 UTC is midnight in China: a new day's first slot
    expect(slotOf(r, new Date('2026-12-07T16:00:00Z'))).toEqual({ key: '2026-12-08T00:00' });
    expect(slotOf(r, new Date('2026-12-07T15:59:59Z'))).toEqual({ key: '2026-12-07T23:45' });
  });
});
