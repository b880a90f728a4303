import { AppError } from '../../domain/errors.ts';
import type { Q } from './kind.ts';

export type ColumnMapping = Record<string, string | null>;

/**
 * A saved header → field mapping (e.g. "the CRM's order export"), by id (the web app) or by name
 * (the command line). Refuses a mapping saved for another kind: its fields would not exist.
 */
export async function loadColumnMapping(
  q: Q,
  kind: string,
  ref: { id: number } | { name: string },
): Promise<ColumnMapping> {
  let query = q.selectFrom('column_mappings').select(['kind', 'mapping']);
  query =
    'id' in ref
      ? query.where('id', '=', ref.id)
      : query.where('kind', '=', kind).where('name', '=', ref.name);
  const row = await query.executeTakeFirst();
  if (!row || row.kind !== kind) throw new AppError('NOT_FOUND', { entity: 'column_mapping' });
  return JSON.parse(row.mapping) as ColumnMapping;
}
