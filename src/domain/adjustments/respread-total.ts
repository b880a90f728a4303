import { allocate } from '../allocation.ts';

export interface MonthTarget {
  period: string;
  value: number;
  /** An elapsed or frozen month: it keeps its value (METHOD §11, revisions freeze the past). */
  frozen: boolean;
}

/**
 * A unit's total for the year changes to `newTotal`: the difference is spread over the months
 * still open, in proportion to their current targets (evenly when they are all zero), exact to
 * the fen; frozen months keep their value. Returns the new value of every month, in order.
 * A total that would take an open month below zero is refused by the caller's check on the
 * result (a target is never negative), not silently clipped.
 */
export function respreadTotal(months: readonly MonthTarget[], newTotal: number): number[] {
  const open = months.filter((m) => !m.frozen);
  const frozenSum = months.filter((m) => m.frozen).reduce((a, m) => a + m.value, 0);
  const openSum = open.reduce((a, m) => a + m.value, 0);
  const delta = newTotal - frozenSum - openSum;
  if (open.length === 0 || delta === 0) return months.map((m) => m.value);
  const weights = openSum > 0 ? open.map((m) => m.value) : open.map(() => 1);
  const parts = allocate(delta, weights);
  let i = 0;
  return months.map((m) => (m.frozen ? m.value : m.value + (parts[i++] ?? 0)));
}
