import { describe, expect, it } from 'vitest';
import { isUnder, NAV_ITEMS, visibleItems } from '../../src/web/shell/nav-items.ts';

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

describe('menu by role', () => {
  const keys = (role: Parameters<typeof visibleItems>[0]) => visibleItems(role).map((i) => i.key);

  it('offers a rep only the pages a rep can use: no master data, imports, jobs or admin', () => {
    // A rep asks to change his own targets (目标调整).
    expect(keys('rep')).toEqual(['dashboard', 'plans', 'myTargets', 'adjustments', 'tracking']);
  });

  it('keeps master data for the workbench roles and the admin pages for admins', () => {
    for (const role of ['manager', 'finance', 'viewer'] as const)
      expect(keys(role)).toEqual(
        expect.arrayContaining(['org', 'members', 'products', 'customers', 'dimensions']),
      );
    expect(keys('manager')).toContain('actuals');
    expect(keys('manager')).not.toContain('users');
    expect(keys('admin')).toEqual(NAV_ITEMS.map((i) => i.key));
  });
});
