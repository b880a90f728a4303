import type { Db } from '../../src/db/connect.ts';

/**
 * Every split of a version, checked against the cells: its children add up exactly to its parent
 * cell (to the fen). Returns the splits that do not, as `parentKey: Σchildren ≠ parent`, so a
 * failing test says where.
 */
export async function unbalancedSplits(db: Db, versionId: number): Promise<string[]> {
  const cells = await db
    .selectFrom('target_cells')
    .selectAll()
    .where('version_id', '=', versionId)
    .execute();
  const splits = await db
    .selectFrom('target_splits')
    .selectAll()
    .where('version_id', '=', versionId)
    .execute();
  const keyOf = (c: (typeof cells)[number]) =>
    JSON.stringify([
      c.metric_id,
      c.owner_type,
      c.owner_id,
      c.period,
      c.product_line_id,
      c.region_id,
      c.segment_id,
      c.channel_id,
      c.lifecycle,
    ]);
  const byKey = new Map(cells.map((c) => [keyOf(c), c]));
  const sums = new Map<number, number>();
  for (const c of cells)
    if (c.split_id !== null) sums.set(c.split_id, (sums.get(c.split_id) ?? 0) + c.value);
  const bad: string[] = [];
  for (const s of splits) {
    const k = JSON.parse(s.parent_key) as Record<string, unknown>;
    const parent = byKey.get(
      JSON.stringify([
        s.metric_id,
        k.ownerType,
        k.ownerId,
        k.period,
        k.productLineId,
        k.regionId,
        k.segmentId,
        k.channelId,
        k.lifecycle,
      ]),
    );
    const sum = sums.get(s.id);
    if (sum === undefined) continue; // a split without children is never read
    if (!parent || parent.value !== sum)
      bad.push(`${s.parent_key} ${s.axis}: ${sum} ≠ ${parent?.value ?? 'missing'}`);
  }
  return bad;
}
