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
  private readonly codeById = new Map<number, string>();
  /**
   * Codes exactly as stored → id. A CRM export writes codes as they are, so most lookups end
   * here, without folding anything; a code written exactly as stored always finds its own row.
   */
  private readonly byCode = new Map<string, number>();
  /** Folded codes, then folded names where no code folds the same; built on the first miss. */
  private byKey: Map<string, number> | null = null;
  /** Other texts as written → id (NOT_FOUND when none): each is folded once per import. */
  private readonly byText = new Map<string, number>();

  constructor(
    private readonly rows: { id: number; code: string; name_zh?: string; name_en?: string }[],
    private readonly byName = true,
  ) {
    for (const r of rows) {
      this.codeById.set(r.id, r.code);
      this.byCode.set(r.code, r.id);
    }
  }

  find(text: string): number | undefined {
    const exact = this.byCode.get(text);
    if (exact !== undefined) return exact;
    const known = this.byText.get(text);
    if (known !== undefined) return known === NOT_FOUND ? undefined : known;
    const id = this.folded().get(fold(text));
    if (this.byText.size < TEXT_MEMO_LIMIT) this.byText.set(text, id ?? NOT_FOUND);
    return id;
  }

  /** Folding every code and name (NFKC) costs more than most imports' lookups, which are codes. */
  private folded(): Map<string, number> {
    if (this.byKey) return this.byKey;
    const byKey = new Map<string, number>();
    for (const r of this.rows) byKey.set(fold(r.code), r.id);
    if (this.byName) {
      for (const r of this.rows) {
        for (const n of [r.name_zh, r.name_en])
          if (n && !byKey.has(fold(n))) byKey.set(fold(n), r.id);
      }
    }
    return (this.byKey = byKey);
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
