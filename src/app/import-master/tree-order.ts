import type { Problem } from '../../domain/errors.ts';

/**
 * Orders file rows so that a parent defined in the same file is applied before its children,
 * and reports rows whose parents form a cycle within the file.
 */
export function parentsFirst<T extends { code: string; parentCode: string | null; row: number }>(
  items: T[],
  column: string,
): { ordered: T[]; problems: Problem[] } {
  const byCode = new Map(items.map((i) => [i.code, i]));
  const ordered: T[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const problems: Problem[] = [];
  const visit = (item: T): void => {
    const s = state.get(item.code);
    if (s === 'done') return;
    if (s === 'visiting') {
      problems.push({ row: item.row, column, code: 'TREE_CYCLE' });
      return;
    }
    state.set(item.code, 'visiting');
    const parent = item.parentCode === null ? undefined : byCode.get(item.parentCode);
    if (parent && parent !== item) visit(parent);
    if (parent === item) problems.push({ row: item.row, column, code: 'TREE_CYCLE' });
    state.set(item.code, 'done');
    ordered.push(item);
  };
  items.forEach(visit);
  return { ordered, problems };
}
