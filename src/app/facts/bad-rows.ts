import { translate } from '../../i18n/translate.ts';
import type { Problem } from '../../domain/errors.ts';
import type { Lang } from '../import-master/kind.ts';
import type { RawTable } from '../import/read-table.ts';
import { writeCsv, type OutCell } from '../import/write-table.ts';

/** "列：问题；列：问题" — every problem of one row, in the reader's language. */
export function describeProblems(problems: readonly Problem[], lang: Lang): string {
  const sep = lang === 'en' ? '; ' : '；';
  const colon = lang === 'en' ? ': ' : '：';
  return problems
    .map((p) => (p.column ? p.column + colon : '') + translate(p.code, p.params ?? {}, lang))
    .join(sep);
}

/**
 * The rejected rows as a CSV the user can fix and import again: the file's own headers and cells,
 * untouched, plus a last column 问题 / Problem. The fixed file imports as is: facts are keyed by
 * their external id, and the importer ignores a column headed 问题 / Problem.
 */
export function badRowsCsv(
  table: RawTable,
  problemsByRow: ReadonlyMap<number, Problem[]>,
  lang: Lang,
): Buffer {
  const headers = [...table.headers, lang === 'en' ? 'Problem' : '问题'];
  const rows: OutCell[][] = [];
  for (const raw of table.rows) {
    const problems = problemsByRow.get(raw.rowNumber);
    if (!problems) continue;
    const cells = table.headers.map((_, i) => raw.cells[i] ?? null);
    rows.push([...cells, describeProblems(problems, lang)]);
  }
  return writeCsv(headers, rows);
}
