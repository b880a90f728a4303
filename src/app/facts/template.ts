import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';
import type { Lang } from '../import-master/kind.ts';
import { writeXlsx, type OutCell } from '../import/write-table.ts';
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

/**
 * An .xlsx with the kind's headers and one example row whose references exist in the company
 * (so the sample imports as it is): the caller's own member code (else the first member's), the
 * first customer, product and channel by code; empty where the company has none yet.
 */
export async function factTemplate(
  db: Db,
  actor: Actor,
  kindName: string,
  lang: Lang,
): Promise<Buffer> {
  const kind = factKindOf(kindName);
  const { fields, headers } = factHeaders(kindName, lang);
  const refs = await sampleRefs(db, actor);
  const example: Record<string, OutCell | undefined> = { ...kind.example };
  // A reference the company has nothing for stays empty: a made-up code would not import.
  for (const [field, code] of Object.entries(refs))
    if (example[field] !== undefined && example[field] !== null) example[field] = code ?? null;
  return writeXlsx([{ name: kindName, headers, rows: [fields.map((f) => example[f] ?? null)] }]);
}

async function sampleRefs(db: Db, actor: Actor): Promise<Record<string, string | undefined>> {
  const first = async (table: 'members' | 'customers' | 'products') =>
    (await db.selectFrom(table).select('code').orderBy('code').limit(1).executeTakeFirst())?.code;
  const own =
    actor.memberId === null
      ? undefined
      : (
          await db
            .selectFrom('members')
            .select('code')
            .where('id', '=', actor.memberId)
            .executeTakeFirst()
        )?.code;
  const channel = (
    await db
      .selectFrom('dimension_members')
      .select('code')
      .where('dimension', '=', 'channel')
      .orderBy('sort_order')
      .orderBy('code')
      .limit(1)
      .executeTakeFirst()
  )?.code;
  return {
    ownerCode: own ?? (await first('members')),
    customer: await first('customers'),
    product: await first('products'),
    channel,
  };
}
