import { allocate } from '../allocation.ts';

export interface RebalanceSibling {
  value: number;
  /** Locked or in a frozen period: keeps its value. */
  held: boolean;
}

/**
 * Re-splits a set of siblings so they sum to `parentValue` again (METHOD §3: "a manager can lock
 * a cell; the rest of its siblings absorb the difference"). Held siblings keep their value; the
 * others share the rest in proportion to their current values (evenly if those are all zero).
 * `overrides` are new locked values by sibling index. The server's edit and the grid's preview
 * both call this, so what the grid shows before saving is what the save writes. Errors are the
 * allocator's own: ALLOCATION_LOCKS_EXCEED when the locks are more than the parent.
 */
export function rebalanceSiblings(
  siblings: readonly RebalanceSibling[],
  parentValue: number,
  overrides: ReadonlyMap<number, number> = new Map(),
): number[] {
  const locks = siblings.map((s, i) => overrides.get(i) ?? (s.held ? s.value : null));
  const free = siblings.filter((_, i) => locks[i] === null);
  const proportional = free.some((s) => s.value > 0) && free.every((s) => s.value >= 0);
  const weights = siblings.map((s, i) => (locks[i] !== null ? 0 : proportional ? s.value : 1));
  return allocate(parentValue, weights, { locks });
}
