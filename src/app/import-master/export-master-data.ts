import type { Db } from '../../db/connect.ts';
import type { Actor as AppActor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import { encode, headersFor, kindOf, type ExportFormat } from './engine.ts';
import { importActor } from './import-master-data.ts';
import type { Actor, Lang } from './kind.ts';

export interface ExportMasterDataInput {
  kind: string;
  format: ExportFormat;
  /** The language of the headers (and of names where a kind has both). */
  lang: Lang;
}

/** Exports the rows the actor may see, in a file that imports back unchanged. */
export async function exportMasterData(
  db: Db,
  actor: AppActor | Actor,
  input: ExportMasterDataInput,
  now: Date,
  onRows?: (count: number) => void,
): Promise<Buffer> {
  const kind = kindOf(input.kind);
  const { fields, headers } = headersFor(kind.columns, input.lang);
  const rows = await kind.exportRows(
    db,
    { actor: importActor(actor), now, today: chinaToday(now) },
    input.lang,
  );
  onRows?.(rows.length);
  return encode(
    input.kind,
    headers,
    rows.map((r) => fields.map((f) => r[f] ?? null)),
    input.format,
  );
}
