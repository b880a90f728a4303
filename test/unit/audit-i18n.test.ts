import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { features } from '../../src/web/i18n/resources.ts';

/** Every .ts file under `dir`, recursively. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory()
      ? sources(join(dir, e.name))
      : e.name.endsWith('.ts')
        ? [join(dir, e.name)]
        : [],
  );
}

/** The string literals written as `key: '…'` anywhere in the server's code. */
function literals(key: string): string[] {
  const found = new Set<string>();
  const pattern = new RegExp(`\\b${key}: (?:[^'\\n]*\\? )?'([a-z_]+)'(?: : '([a-z_]+)')?`, 'g');
  for (const dir of ['src/api', 'src/db', 'src/jobs'])
    for (const file of sources(dir))
      for (const m of readFileSync(file, 'utf8').matchAll(pattern))
        for (const v of m.slice(1)) if (v) found.add(v);
  return [...found].sort();
}

describe('the audit log page', () => {
  const audit = features.audit!;
  it('names every action the server writes, in both languages', () => {
    // The plan workflow's transitions are written through a variable.
    const actions = [...literals('action'), 'submit', 'approve', 'reject', 'activate'];
    for (const lang of ['zh-CN', 'en'] as const) {
      const names = audit[lang].actions as Record<string, string>;
      expect(
        actions.filter((a) => !(a in names)),
        lang,
      ).toEqual([]);
    }
  });

  it('names every kind of object the server audits, in both languages', () => {
    const entities = literals('entity');
    expect(entities.length).toBeGreaterThan(10);
    for (const lang of ['zh-CN', 'en'] as const) {
      const names = audit[lang].entities as Record<string, string>;
      expect(
        entities.filter((e) => !(e in names)),
        lang,
      ).toEqual([]);
    }
  });
});
