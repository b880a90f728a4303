/**
 * One generic tree decomposition (METHOD §3) for every axis — org units and reps, product lines,
 * regions, customer lifecycle, channels: a total at the root is split level by level, each
 * parent's value over its children, and every node records how its number was made so the UI
 * can answer "why is my target X?" in one click.
 *
 * Every split is `allocate` (largest remainder, ties to the earlier child in input order,
 * locked children kept, unlocked siblings absorb the difference), so each parent equals the sum
 * of its children exactly. Only additive metrics are decomposed (see metrics.ts).
 */
import { type Weight, allocate } from '../allocation.ts';
import { AppError } from '../errors.ts';
import { buildTree } from './tree.ts';

/**
 *   even      every child the same
 *   weights   child.weight (explicit: strategic priority, margin weight, tier factor …)
 *   history   child.history (last period's actual, fen): share of history
 *   capacity  child.capacity (e.g. `bottomUpCapacity` of the rep or team, fen): share of capacity
 *   manual    child.manual values typed by the manager; they must add up to the parent
 */
export type SplitMethod = 'even' | 'weights' | 'history' | 'capacity' | 'manual';

export interface DecomposeNode {
  id: string;
  /** null for the root (exactly one). */
  parentId: string | null;
  weight?: number;
  history?: number;
  capacity?: number;
  manual?: number;
  /** A locked value (fen): kept as is, the siblings absorb the rest. */
  locked?: number;
  /** How this node's own children are split; overrides the method of its level. */
  childMethod?: SplitMethod;
}

export interface DecomposeInput {
  /** The root's value. */
  total: number;
  /** Any order; siblings are ordered as listed (the tie-break order). */
  nodes: readonly DecomposeNode[];
  /** Split method by depth of the parent: methods[0] splits the root over its children. */
  methods: readonly SplitMethod[];
  /** Rounding unit of every split (see `allocate`), default 1. */
  unit?: number;
}

export interface SiblingInput {
  id: string;
  /** The weight this sibling entered the split with (1 for even; the typed value for manual). */
  weight: number;
  locked?: number;
}

export interface Provenance {
  nodeId: string;
  parentId: string | null;
  method: SplitMethod | 'root';
  value: number;
  /** The parent's value that was split (null for the root). */
  parentValue: number | null;
  /** This node's weight in the split (null for the root and for locked nodes). */
  weight: number | null;
  locked: boolean;
  inputs: {
    /** Σ locked siblings (this node included if locked). */
    lockedTotal: number;
    /** parentValue − lockedTotal: what the weights shared. */
    distributed: number;
    /** Σ weights of the unlocked siblings. */
    weightTotal: number;
    /** Every sibling as it entered the split, in order. */
    siblings: SiblingInput[];
  } | null;
}

export interface DecomposeResult {
  values: Record<string, number>;
  provenance: Record<string, Provenance>;
  /** Node ids root first, parents before children, siblings in input order. */
  order: string[];
}

export function decompose(input: DecomposeInput): DecomposeResult {
  const { root, children, byId } = buildTree(input.nodes);
  if (!Number.isSafeInteger(input.total)) {
    throw new AppError('MONEY_INVALID', { value: String(input.total) });
  }
  const values: Record<string, number> = { [root.id]: input.total };
  const provenance: Record<string, Provenance> = {
    [root.id]: {
      nodeId: root.id,
      parentId: null,
      method: 'root',
      value: input.total,
      parentValue: null,
      weight: null,
      locked: false,
      inputs: null,
    },
  };
  const order: string[] = [root.id];
  const queue: { id: string; depth: number }[] = [{ id: root.id, depth: 0 }];
  for (let q = 0; q < queue.length; q++) {
    const { id, depth } = queue[q] ?? { id: root.id, depth: 0 };
    const kids = children.get(id) ?? [];
    if (kids.length === 0) continue;
    const method = byId.get(id)?.childMethod ?? input.methods[depth];
    if (!method) {
      throw new AppError('DECOMPOSE_TREE_INVALID', {
        reason: `no split method for depth ${depth} (under ${id})`,
      });
    }
    const parentValue = values[id] ?? 0;
    const parts = splitChildren(id, parentValue, kids, method, input.unit);
    kids.forEach((k, i) => {
      values[k.id] = parts.values[i] ?? 0;
      provenance[k.id] = {
        nodeId: k.id,
        parentId: id,
        method,
        value: parts.values[i] ?? 0,
        parentValue,
        weight: k.locked === undefined ? (parts.siblings[i]?.weight ?? 0) : null,
        locked: k.locked !== undefined,
        inputs: {
          lockedTotal: parts.lockedTotal,
          distributed: parentValue - parts.lockedTotal,
          weightTotal: parts.weightTotal,
          siblings: parts.siblings,
        },
      };
      order.push(k.id);
      queue.push({ id: k.id, depth: depth + 1 });
    });
  }
  return { values, provenance, order };
}

/** The provenance records from the root down to `id`: the one-click "why is my target X?". */
export function explain(result: DecomposeResult, id: string): Provenance[] {
  const chain: Provenance[] = [];
  let p = result.provenance[id];
  if (!p) throw new AppError('NOT_FOUND', { entity: id });
  while (p) {
    chain.unshift(p);
    p = p.parentId === null ? undefined : result.provenance[p.parentId];
  }
  return chain;
}

function splitChildren(
  parentId: string,
  parentValue: number,
  kids: readonly DecomposeNode[],
  method: SplitMethod,
  unit: number | undefined,
): { values: number[]; siblings: SiblingInput[]; lockedTotal: number; weightTotal: number } {
  const siblings: SiblingInput[] = kids.map((k) => {
    const weight = weightOf(k, method);
    const s: SiblingInput = { id: k.id, weight };
    if (k.locked !== undefined) {
      if (!Number.isSafeInteger(k.locked))
        throw new AppError('MONEY_INVALID', { value: String(k.locked) });
      s.locked = k.locked;
    }
    return s;
  });
  const locks = kids.map((k) => k.locked);
  const lockedTotal = locks.reduce<number>((a, l) => a + (l ?? 0), 0);
  const weightTotal = siblings.reduce((a, s) => a + (s.locked === undefined ? s.weight : 0), 0);

  if (method === 'manual') {
    const values = siblings.map((s) => s.locked ?? s.weight);
    const sum = values.reduce((a, b) => a + b, 0);
    if (sum !== parentValue) {
      throw new AppError('DECOMPOSE_MANUAL_MISMATCH', { parentId, sum, parent: parentValue });
    }
    return { values, siblings, lockedTotal, weightTotal };
  }
  const overshoot =
    parentValue >= 0
      ? lockedTotal > parentValue || lockedTotal < 0
      : lockedTotal < parentValue || lockedTotal > 0;
  if (overshoot) {
    throw new AppError('DECOMPOSE_LOCKS_EXCEED', {
      parentId,
      locked: lockedTotal,
      parent: parentValue,
    });
  }
  if (lockedTotal !== parentValue && weightTotal === 0) {
    throw new AppError('DECOMPOSE_NO_WEIGHT', { parentId, method });
  }
  const weights: Weight[] = siblings.map((s) => s.weight);
  const values = allocate(parentValue, weights, { locks, ...(unit === undefined ? {} : { unit }) });
  return { values, siblings, lockedTotal, weightTotal };
}

function weightOf(node: DecomposeNode, method: SplitMethod): number {
  if (method === 'even') return 1;
  const field = method === 'weights' ? 'weight' : method;
  const w = node[field];
  if (w === undefined) {
    if (node.locked !== undefined) return 0;
    throw new AppError('DECOMPOSE_WEIGHT_MISSING', { nodeId: node.id, method });
  }
  if (!Number.isFinite(w)) throw new AppError('NUMBER_INVALID', { value: String(w) });
  if (method === 'manual') {
    if (!Number.isSafeInteger(w)) throw new AppError('MONEY_INVALID', { value: String(w) });
    return w;
  }
  if (w < 0) throw new AppError('DECOMPOSE_NEGATIVE_WEIGHT', { nodeId: node.id, method });
  return w;
}
