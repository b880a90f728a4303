import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS, AUDIT_ENTITIES } from '../../src/db/audit.ts';
import { features } from '../../src/web/i18n/resources.ts';

// The server's actions and entities are closed types (src/db/audit.ts): whatever it writes is
// in these lists, so the page must name every one of them.
describe('the audit log page', () => {
  const audit = features.audit!;
  it('names every action the server writes, in both languages', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const names = audit[lang].actions as Record<string, string>;
      expect(
        AUDIT_ACTIONS.filter((a) => !(a in names)),
        lang,
      ).toEqual([]);
    }
  });

  it('names every kind of object the server audits, in both languages', () => {
    for (const lang of ['zh-CN', 'en'] as const) {
      const names = audit[lang].entities as Record<string, string>;
      expect(
        AUDIT_ENTITIES.filter((e) => !(e in names)),
        lang,
      ).toEqual([]);
    }
  });
});
