/**
 * A flat list of { id, parentId } checked into a tree: exactly one root, known parents, no
 * cycles, no duplicate ids. Children keep the input order (the tie-break order of every split).
 */
import { AppError } from '../errors.ts';

export interface TreeNode {
  id: string;
  parentId: string | null;
}

export function buildTree<N extends TreeNode>(
  nodes: readonly N[],
): {
  root: N;
  children: Map<string, N[]>;
  byId: Map<string, N>;
} {
  const byId = new Map<string, N>();
  for (const n of nodes) {
    if (byId.has(n.id))
      throw new AppError('DECOMPOSE_TREE_INVALID', { reason: `duplicate id ${n.id}` });
    byId.set(n.id, n);
  }
  const roots = nodes.filter((n) => n.parentId === null);
  const root = roots[0];
  if (!root || roots.length > 1) {
    throw new AppError('DECOMPOSE_TREE_INVALID', {
      reason: `${roots.length} roots (need exactly one)`,
    });
  }
  const children = new Map<string, N[]>();
  for (const n of nodes) {
    if (n.parentId === null) continue;
    if (!byId.has(n.parentId)) {
      throw new AppError('DECOMPOSE_TREE_INVALID', {
        reason: `unknown parent ${n.parentId} of ${n.id}`,
      });
    }
    const list = children.get(n.parentId) ?? [];
    list.push(n);
    children.set(n.parentId, list);
  }
  // Every node must hang under the root; a node left over sits on a cycle.
  const seen = new Set<string>([root.id]);
  const stack = [root.id];
  while (stack.length > 0) {
    for (const c of children.get(stack.pop() ?? '') ?? []) {
      seen.add(c.id);
      stack.push(c.id);
    }
  }
  if (seen.size !== nodes.length) {
    const stray = nodes.find((n) => !seen.has(n.id));
    throw new AppError('DECOMPOSE_TREE_INVALID', { reason: `cycle through ${stray?.id ?? '?'}` });
  }
  return { root, children, byId };
}
