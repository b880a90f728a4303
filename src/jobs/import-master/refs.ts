import type { Problem } from '../../domain/errors.ts';
import { fold } from '../import/parse-cell.ts';
import type { Q } from './kind.ts';
import type { Dimension } from '../../db/schema.ts';

/**
 * Looks references up by code or by either name, as users write whichever they have at hand
 * (a CRM export names the region "华东", a hand-made sheet writes "EAST").
 */
export class RefIndex {
  private readonly byKey = new Map<string, number>();
  private readonly codeById = new Map<number, string>();

  constructor(
    rows: { id: number; code: string; name_zh?: string; name_en?: string }[],
    byName = true,
  ) {
    for (const r of rows) {
      this.codeById.set(r.id, r.code);
      this.byKey.set(fold(r.code), r.id);
    }
    if (byName) {
      for (const r of rows) {
        for (const n of [r.name_zh, r.name_en])
          if (n && !this.byKey.has(fold(n))) this.byKey.set(fold(n), r.id);
      }
    }
  }

  find(text: string): number | undefined {
    return this.byKey.get(fold(text));
  }

  code(id: number | null): string | null {
    return id === null ? null : (this.codeById.get(id) ?? null);
  }

  /** Resolves or records a REFERENCE_NOT_FOUND problem; null text stays null. */
  resolve(
    text: string | null,
    row: number,
    column: string,
    entity: string,
    problems: Problem[],
  ): number | null {
    if (text === null) return null;
    const id = this.find(text);
    if (id === undefined) {
      problems.push({ row, column, code: 'REFERENCE_NOT_FOUND', params: { entity, value: text } });
      return null;
    }
    return id;
  }
}

export async function dimensionIndex(q: Q, dimension: Dimension): Promise<RefIndex> {
  const rows = await q
    .selectFrom('dimension_members')
    .select(['id', 'code', 'name_zh', 'name_en'])
    .where('dimension', '=', dimension)
    .execute();
  return new RefIndex(rows);
}

export async function memberIndex(q: Q): Promise<RefIndex> {
  return new RefIndex(await q.selectFrom('members').select(['id', 'code']).execute(), false);
}

/** Compares the stored row with the wanted values; only differences are written and audited. */
export function changedFields<T extends Record<string, unknown>>(
  stored: T,
  wanted: Partial<T>,
): Partial<T> {
  const diff: Partial<T> = {};
  for (const [k, v] of Object.entries(wanted) as [keyof T, unknown][]) {
    if (v !== undefined && stored[k] !== v) diff[k] = v as T[keyof T];
  }
  return diff;
}
