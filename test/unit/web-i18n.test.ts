import { describe, expect, it } from 'vitest';
import { features, LANGUAGES, type Tree } from '../../src/web/i18n/resources.ts';

/** Every leaf of a resource tree as 'a.b.c' → value. */
function leaves(tree: Tree, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of Object.entries(tree)) {
    const key = prefix ? `${prefix}.${k}` : k;
    if (typeof v === 'string') out.set(key, v);
    else for (const [kk, vv] of leaves(v, key)) out.set(kk, vv);
  }
  return out;
}

/** '{{name}}' placeholders used by a string, sorted. */
function placeholders(s: string): string[] {
  return [...s.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1] ?? '').sort();
}

describe('web UI strings', () => {
  for (const [feature, strings] of Object.entries(features)) {
    describe(feature, () => {
      const zh = leaves(strings['zh-CN']);
      const en = leaves(strings.en);

      it('has the same keys in zh-CN and en', () => {
        // Given both languages of one feature file, Then neither has a key the other lacks.
        expect([...zh.keys()].filter((k) => !en.has(k))).toEqual([]);
        expect([...en.keys()].filter((k) => !zh.has(k))).toEqual([]);
      });

      it('has no empty strings', () => {
        for (const lang of LANGUAGES) {
          const empty = [...leaves(strings[lang])]
            .filter(([, v]) => v.trim() === '')
            .map(([k]) => k);
          expect(empty, `${lang} empty keys`).toEqual([]);
        }
      });

      it('uses the same placeholders in both languages', () => {
        const mismatched = [...zh].filter(
          ([k, v]) => en.has(k) && placeholders(v).join() !== placeholders(en.get(k)!).join(),
        );
        expect(mismatched.map(([k]) => k)).toEqual([]);
      });
    });
  }

  it('has strings for every feature', () => {
    expect(Object.keys(features).length).toBeGreaterThan(5);
    for (const strings of Object.values(features))
      expect(leaves(strings['zh-CN']).size).toBeGreaterThan(0);
  });
});
