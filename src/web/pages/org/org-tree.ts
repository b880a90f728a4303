import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { OrgUnit } from '../../api/types.ts';

export const orgUnitsKey = ['org-units'] as const;

export function useOrgUnits() {
  return useQuery({ queryKey: orgUnitsKey, queryFn: () => api.get<OrgUnit[]>('/org-units') });
}

export interface TreeNode<T> {
  item: T;
  children: TreeNode<T>[];
}

/**
 * The API returns a flat list in path order ('/1/4/12/'). Rebuild the tree; a node whose parent
 * is outside the caller's scope becomes a root, so a manager sees their own subtree on top.
 */
export function buildTree<T extends { id: number; parentId: number | null; sortOrder: number }>(
  flat: readonly T[],
): TreeNode<T>[] {
  const nodes = new Map<number, TreeNode<T>>();
  for (const item of flat) nodes.set(item.id, { item, children: [] });
  const roots: TreeNode<T>[] = [];
  for (const item of flat) {
    const node = nodes.get(item.id)!;
    const parent = item.parentId === null ? undefined : nodes.get(item.parentId);
    (parent ? parent.children : roots).push(node);
  }
  const sort = (list: TreeNode<T>[]) => {
    list.sort((a, b) => a.item.sortOrder - b.item.sortOrder);
    list.forEach((n) => sort(n.children));
  };
  sort(roots);
  return roots;
}

/** Ids of a node and everything under it (for "cannot move under own descendant"). */
export function subtreeIds<T extends { id: number; path: string }>(
  flat: readonly T[],
  root: T,
): Set<number> {
  return new Set(flat.filter((u) => u.path.startsWith(root.path)).map((u) => u.id));
}

/** TreeSelect options for any tree of named nodes (org units, product lines). */
export interface TreeOption {
  value: number;
  title: string;
  disabled?: boolean;
  children: TreeOption[];
}

export function treeOptions<T extends { id: number; parentId: number | null; sortOrder: number }>(
  flat: readonly T[],
  title: (item: T) => string,
  disabled?: Set<number>,
): TreeOption[] {
  const toOption = (n: TreeNode<T>): TreeOption => ({
    value: n.item.id,
    title: title(n.item),
    disabled: disabled?.has(n.item.id),
    children: n.children.map(toOption),
  });
  return buildTree(flat).map(toOption);
}
