import type { Kysely, Transaction } from 'kysely';
import { rebalanceSiblings } from '../../domain/planning/rebalance.ts';
import type { Database } from '../schema.ts';
import {
  assertUnchangedSince,
  cellsOfSplits,
  isFrozenPeriod,
  updateCells,
  type CellRow,
  type CellStamp,
  type CellUpdate,
} from './cells.ts';
import { keyOfRow, keyText } from './keys.ts';
import { splitsOfParents } from './splits.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * Re-splits a set of siblings so they sum to `parentValue` again: locked and frozen siblings keep
 * their value, `overrides` (by cell id) are new locked values; the rule is the domain's
 * `rebalanceSiblings`, which the grid's preview calls too.
 */
export function rebalance(
  siblings: readonly CellRow[],
  parentValue: number,
  frozenBefore: string | null,
  overrides: ReadonlyMap<number, number> = new Map(),
): number[] {
  const byIndex = new Map<number, number>();
  siblings.forEach((s, i) => {
    const o = overrides.get(s.id);
    if (o !== undefined) byIndex.set(i, o);
  });
  return rebalanceSiblings(
    siblings.map((s) => ({
      value: s.value,
      held: s.locked === 1 || isFrozenPeriod(s.period, frozenBefore),
    })),
    parentValue,
    byIndex,
  );
}

/**
 * After the cells in `changed` got new values, re-spreads every split below them, level by level,
 * so each child set keeps summing exactly to its parent. Set-based per level: one read of the
 * splits, one of their cells, chunked CASE updates. Returns the number of cells updated.
 * With a `stamp` (a cell edit), every cell re-spread must be unchanged since the edit's read and
 * gets the edit's revision.
 */
export async function respreadBelow(
  q: Q,
  versionId: number,
  metricId: number,
  changed: readonly { row: CellRow; value: number }[],
  frozenBefore: string | null,
  stamp?: CellStamp,
): Promise<number> {
  let level = changed;
  let updated = 0;
  for (let depth = 0; level.length > 0 && depth < 32; depth++) {
    const valueByKey = new Map(level.map((c) => [keyText(keyOfRow(c.row)), c.value]));
    const splits = await splitsOfParents(q, versionId, metricId, [...valueByKey.keys()]);
    if (splits.length === 0) break;
    const cells = await cellsOfSplits(
      q,
      splits.map((s) => s.id),
    );
    const bySplit = new Map<number, CellRow[]>();
    for (const c of cells) {
      const list = bySplit.get(c.split_id ?? 0) ?? [];
      list.push(c);
      bySplit.set(c.split_id ?? 0, list);
    }
    const updates: CellUpdate[] = [];
    const next: { row: CellRow; value: number }[] = [];
    for (const s of splits) {
      const kids = bySplit.get(s.id) ?? [];
      const parentValue = valueByKey.get(s.parent_key);
      if (kids.length === 0 || parentValue === undefined) continue;
      if (kids.reduce((a, k) => a + k.value, 0) === parentValue) continue;
      const parts = rebalance(kids, parentValue, frozenBefore);
      kids.forEach((k, i) => {
        const v = parts[i] ?? 0;
        if (v === k.value) return;
        updates.push({ id: k.id, value: v });
        next.push({ row: k, value: v });
      });
    }
    assertUnchangedSince(
      next.map((n) => n.row),
      stamp,
    );
    await updateCells(q, updates, stamp?.rev);
    updated += updates.length;
    level = next;
  }
  return updated;
}
