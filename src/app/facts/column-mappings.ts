import type { DateFormat } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import type { MoneyRounding } from '../../domain/money.ts';
import type { Q } from './kind.ts';

export type ColumnMapping = Record<string, string | null>;

/** The import options saved with a mapping: how its source system writes amounts and dates. */
export interface MappingOptions {
  rounding?: MoneyRounding;
  dateFormat?: DateFormat;
}

export interface SavedMapping {
  mapping: ColumnMapping;
  options: MappingOptions;
}

/**
 * A saved header → field mapping (e.g. "the CRM's order export"), by id (the web app) or by name
 * (the command line), with its import options. Refuses a mapping saved for another kind: its
 * fields would not exist.
 */
export async function loadColumnMapping(
  q: Q,
  kind: string,
  ref: { id: number } | { name: string },
): Promise<SavedMapping> {
  let query = q.selectFrom('column_mappings').select(['kind', 'mapping', 'options']);
  query =
    'id' in ref
      ? query.where('id', '=', ref.id)
      : query.where('kind', '=', kind).where('name', '=', ref.name);
  const row = await query.executeTakeFirst();
  if (!row || row.kind !== kind) throw new AppError('NOT_FOUND', { entity: 'column_mapping' });
  return {
    mapping: JSON.parse(row.mapping) as ColumnMapping,
    options: row.options ? (JSON.parse(row.options) as MappingOptions) : {},
  };
}

/**
 * An import's options with a saved mapping's: what the import asks for explicitly (anything but
 * the defaults 'none' and 'auto') wins; otherwise the mapping's saved choice applies.
 */
export function withMappingOptions<O extends MappingOptions>(
  opts: O,
  saved: SavedMapping | undefined,
): O & { mapping?: ColumnMapping } {
  if (!saved) return opts;
  const rounding =
    opts.rounding && opts.rounding !== 'none' ? opts.rounding : saved.options.rounding;
  const dateFormat =
    opts.dateFormat && opts.dateFormat !== 'auto' ? opts.dateFormat : saved.options.dateFormat;
  return {
    ...opts,
    mapping: saved.mapping,
    ...(rounding ? { rounding } : {}),
    ...(dateFormat ? { dateFormat } : {}),
  };
}
