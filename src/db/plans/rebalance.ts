import type { Kysely, Transaction } from 'kysely';
import { allocate } from '../../domain/allocation.ts';
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
 * Re-splits a set of siblings so they sum to `parentValue` again (METHOD §3: "a manager can lock
 * a cell; the rest of its siblings absorb the difference"). Locked and frozen siblings keep their
 * value; the others share the rest in proportion to their current values (evenly if those are all
 * zero). `overrides` are new locked values for some siblings. Errors are the allocator's own:
 * ALLOCATION_LOCKS_EXCEED when the locks are more than the parent.
 */
export function rebalance(
  siblings: readonly CellRow[],
  parentValue: number,
  frozenBefore: string | null,
  overrides: ReadonlyMap<number, number> = new Map(),
): number[] {
  const locks = siblings.map((s) => {
    const o = overrides.get(s.id);
    if (o !== undefined) return o;
    return s.locked === 1 || isFrozenPeriod(s.period, frozenBefore) ? s.value : null;
  });
  const free = siblings.filter((_, i) => locks[i] === null);
  const proportional = free.some((s) => s.value > 0) && free.every((s) => s.value >= 0);
  const weights = siblings.map((s, i) => (locks[i] !== null ? 0 : proportional ? s.value : 1));
  return allocate(parentValue, weights, { locks });
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
