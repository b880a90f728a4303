import { describe, expect, it } from 'vitest';
import { dateOrderEvidence, parseDateAs } from '../../src/domain/dates.ts';

describe('dates in a chosen format', () => {
  it('read US and European dates', () => {
    expect(parseDateAs('11/8/2016', 'MDY')).toBe('2016-11-08');
    expect(parseDateAs('11/8/2016', 'DMY')).toBe('2016-08-11');
    expect(parseDateAs('8.11.2016', 'DMY')).toBe('2016-11-08');
    expect(parseDateAs('08-11-2016 10:30', 'DMY')).toBe('2016-11-08');
    // Year-first dates read the same in every format.
    expect(parseDateAs('2016-11-08', 'DMY')).toBe('2016-11-08');
    expect(parseDateAs('2016/11/8', 'MDY')).toBe('2016-11-08');
  });

  it('refuse impossible dates and day-first ones under YMD', () => {
    expect(() => parseDateAs('13/8/2016', 'MDY')).toThrow(
      expect.objectContaining({ code: 'DATE_INVALID' }),
    );
    expect(() => parseDateAs('31/4/2016', 'DMY')).toThrow(
      expect.objectContaining({ code: 'DATE_INVALID' }),
    );
    expect(() => parseDateAs('11/8/2016', 'YMD')).toThrow(
      expect.objectContaining({ code: 'DATE_INVALID' }),
    );
  });

  it('in auto, read what reads one way and name both readings otherwise', () => {
    expect(parseDateAs('13/8/2016', 'auto')).toBe('2016-08-13');
    expect(parseDateAs('8/13/2016', 'auto')).toBe('2016-08-13');
    expect(parseDateAs('5/5/2016', 'auto')).toBe('2016-05-05');
    expect(() => parseDateAs('11/8/2016', 'auto')).toThrow(
      expect.objectContaining({
        code: 'DATE_AMBIGUOUS',
        params: { value: '11/8/2016', mdy: '2016-11-08', dmy: '2016-08-11' },
      }),
    );
  });

  it('read an Excel serial number written as text', () => {
    expect(parseDateAs('42682', 'auto')).toBe('2016-11-08');
    expect(parseDateAs('42682.5', 'DMY')).toBe('2016-11-08');
  });

  it('tell what a date says about the order', () => {
    expect(dateOrderEvidence('13/8/2016')).toBe('DMY');
    expect(dateOrderEvidence('8/13/2016')).toBe('MDY');
    expect(dateOrderEvidence('11/8/2016')).toBe('either');
    expect(dateOrderEvidence('5/5/2016')).toBeNull();
    expect(dateOrderEvidence('2016-11-08')).toBeNull();
  });
});
