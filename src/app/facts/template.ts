import type { Lang } from '../import-master/kind.ts';
import { writeXlsx } from '../import/write-table.ts';
import { factKindOf } from './kinds.ts';

/** The headers of a kind in one language, required ones starred (as the master-data templates). */
export function factHeaders(kindName: string, lang: Lang): { fields: string[]; headers: string[] } {
  const kind = factKindOf(kindName);
  const fields = Object.keys(kind.columns);
  const headers = fields.map((f) => {
    const def = kind.columns[f]!;
    const label = (lang === 'en' ? def.aliases[1] : def.aliases[0]) ?? f;
    return def.required ? `*${label}` : label;
  });
  return { fields, headers };
}

/** An .xlsx with the kind's headers and one example row. */
export async function factTemplate(kindName: string, lang: Lang): Promise<Buffer> {
  const kind = factKindOf(kindName);
  const { fields, headers } = factHeaders(kindName, lang);
  return writeXlsx([
    { name: kindName, headers, rows: [fields.map((f) => kind.example[f] ?? null)] },
  ]);
}
