import type { Kysely, Selectable, Transaction } from 'kysely';
import type { Database, TargetSplitsTable } from '../schema.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type SplitRow = Selectable<TargetSplitsTable>;

export type Axis = 'time' | 'org' | 'product_line' | 'region' | 'segment' | 'channel' | 'lifecycle';

export interface NewSplit {
  versionId: number;
  metricId: number;
  parentKey: string;
  axis: Axis;
  method: string;
  inputs: unknown;
  userId: number | null;
  at: string;
}

const SPLIT_CHUNK = 1_000;

/**
 * Bulk insert; returns each new id with its (metric, parent key, axis) — the identity of a split
 * inside a version — so callers never rely on the order rows come back in.
 */
export async function insertSplits(
  q: Q,
  splits: readonly NewSplit[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  // A cascade passes the same inputs object to many thousands of splits: serialise it once.
  const json = new Map<unknown, string>();
  const inputsText = (inputs: unknown): string => {
    let text = json.get(inputs);
    if (text === undefined) json.set(inputs, (text = JSON.stringify(inputs ?? {})));
    return text;
  };
  for (let i = 0; i < splits.length; i += SPLIT_CHUNK) {
    const rows = await q
      .insertInto('target_splits')
      .values(
        splits.slice(i, i + SPLIT_CHUNK).map((s) => ({
          version_id: s.versionId,
          metric_id: s.metricId,
          parent_key: s.parentKey,
          axis: s.axis,
          method: s.method,
          inputs: inputsText(s.inputs),
          created_by: s.userId,
          created_at: s.at,
        })),
      )
      .returning(['id', 'parent_key', 'axis'])
      .execute();
    for (const r of rows) ids.set(splitIdentity(r.parent_key, r.axis), r.id);
  }
  return ids;
}

export function splitIdentity(parentKey: string, axis: string): string {
  return `${axis}|${parentKey}`;
}

/** The splits (any axis unless given) made of these parent cells. */
export async function splitsOfParents(
  q: Q,
  versionId: number,
  metricId: number,
  parentKeys: readonly string[],
  axis?: Axis,
): Promise<SplitRow[]> {
  const out: SplitRow[] = [];
  for (let i = 0; i < parentKeys.length; i += SPLIT_CHUNK) {
    let sel = q
      .selectFrom('target_splits')
      .selectAll()
      .where('version_id', '=', versionId)
      .where('metric_id', '=', metricId)
      .where('parent_key', 'in', parentKeys.slice(i, i + SPLIT_CHUNK));
    if (axis) sel = sel.where('axis', '=', axis);
    out.push(...(await sel.orderBy('id').execute()));
  }
  return out;
}

/** Splits no cell points to any more (replaced by a later split of the same parent). */
export async function deleteOrphanSplits(q: Q, versionId: number, metricId: number): Promise<void> {
  await q
    .deleteFrom('target_splits')
    .where('version_id', '=', versionId)
    .where('metric_id', '=', metricId)
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('target_cells as c')
            .select('c.id')
            .whereRef('c.split_id', '=', 'target_splits.id'),
        ),
      ),
    )
    .execute();
}
