import { describe, expect, it } from 'vitest';
import { isUnder } from '../../src/web/shell/nav-items.ts';

describe('menu selection', () => {
  it('selects a page and the pages below it, not pages that merely share a prefix', () => {
    expect(isUnder('/me', '/me')).toBe(true);
    expect(isUnder('/me/history', '/me')).toBe(true);
    // The members page is not "my targets" (/me)
    expect(isUnder('/members', '/me')).toBe(false);
    expect(isUnder('/members/12', '/members')).toBe(true);
    expect(isUnder('/', '/')).toBe(true);
    expect(isUnder('/plans', '/')).toBe(false);
  });
});
