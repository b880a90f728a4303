import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';

/**
 * `text` as a LIKE pattern matching it anywhere, taken literally: `%`, `_` and the escape character
 * itself are escaped (a search for "50%" or "A_1" finds exactly those), and lower-cased for
 * `containsText`'s lower() on the column side.
 */
export function containsPattern(text: string): string {
  return `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Whether any of `columns` contains `text`, case-insensitively and literally, the same on both
 * dialects: lower() on both sides (LIKE ignores case on SQLite but not on PostgreSQL) and an
 * explicit ESCAPE (SQLite has no default escape character).
 */
export function containsText(
  eb: ExpressionBuilder<any, any>,
  columns: readonly string[],
  text: string,
): Expression<SqlBool> {
  const pattern = containsPattern(text);
  return eb.or(columns.map((c) => sql<SqlBool>`lower(${sql.ref(c)}) like ${pattern} escape '\\'`));
}
