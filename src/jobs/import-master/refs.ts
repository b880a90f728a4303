import type { Problem } from '../../domain/errors.ts';
import { fold } from '../import/parse-cell.ts';
import type { Q } from './kind.ts';
import type { Dimension } from '../../db/schema.ts';

const TEXT_MEMO_LIMIT = 100_000;
/** Ids are positive, so this marks a text known to match nothing. */
const NOT_FOUND = -1;

/**
 * Looks references up by code or by either name, as users write whichever they have at hand
 * (a CRM export names the region "华东", a hand-made sheet writes "EAST").
 */
export class RefIndex {
  private readonly byKey = new Map<string, number>();
  private readonly codeById = new Map<number, string>();
  /** Texts as written → id: a file names the same few codes thousands of times; fold each once. */
  private readonly byText = new Map<string, number>();
  /** Rows whose names are folded into `byKey` on the first text that matches no code. */
  private unnamed: { id: number; name_zh?: string; name_en?: string }[] | null;

  constructor(
    rows: { id: number; code: string; name_zh?: string; name_en?: string }[],
    byName = true,
  ) {
    for (const r of rows) {
      this.codeById.set(r.id, r.code);
      this.byKey.set(fold(r.code), r.id);
    }
    // Folding every name (NFKC) costs more than most imports' lookups, which are codes.
    this.unnamed = byName ? rows : null;
  }

  find(text: string): number | undefined {
    const known = this.byText.get(text);
    if (known !== undefined) return known === NOT_FOUND ? undefined : known;
    const key = fold(text);
    let id = this.byKey.get(key);
    if (id === undefined && this.unnamed) {
      // A code wins over a name that folds the same, as if the names had been indexed up front.
      for (const r of this.unnamed) {
        for (const n of [r.name_zh, r.name_en])
          if (n && !this.byKey.has(fold(n))) this.byKey.set(fold(n), r.id);
      }
      this.unnamed = null;
      id = this.byKey.get(key);
    }
    if (this.byText.size < TEXT_MEMO_LIMIT) this.byText.set(text, id ?? NOT_FOUND);
    return id;
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
