/**
 * Top-down meets bottom-up (METHOD §3): subordinates propose their own numbers; the tool shows
 * the roll-up of proposals against the assigned number and the gap to negotiate.
 *
 * Roll-up rule: a node's proposal is the sum of its children's roll-ups as soon as anyone below
 * it has proposed; otherwise the node's own proposal (a manager may propose for the whole team
 * before the reps do); otherwise nothing yet (counted as 0, `complete` false). A manager's own
 * proposal next to proposals from below is kept in `ownProposal` for comparison, never added.
 */
import { AppError } from '../errors.ts';
import { divRoundHalfUp, toSafeNumber } from '../exact.ts';
import { type TreeNode, buildTree } from './tree.ts';

export interface ProposalRollUp {
  id: string;
  parentId: string | null;
  /** The assigned (top-down) value, if the node has one. */
  assigned: number | null;
  /** The rolled-up proposal. */
  proposed: number;
  /** This node's own proposal, if it made one. */
  ownProposal: number | null;
  /** assigned − proposed (positive: proposals fall short of the assignment). */
  gap: number | null;
  /** proposed ÷ assigned in bp, half-up; null without a positive assignment. */
  coverageBp: number | null;
  /** Leaves below (the node itself if a leaf) and how many of them are covered by a proposal. */
  leaves: number;
  leavesProposed: number;
  /** Every leaf below is covered (by its own proposal or an ancestor's, up to this node). */
  complete: boolean;
}

export function rollUpProposals(input: {
  nodes: readonly TreeNode[];
  assigned: Readonly<Record<string, number>>;
  proposed: Readonly<Record<string, number>>;
}): Record<string, ProposalRollUp> {
  const { root, children } = buildTree(input.nodes);
  for (const [id, v] of Object.entries(input.proposed)) {
    if (!Number.isSafeInteger(v)) throw new AppError('MONEY_INVALID', { value: `${id}: ${v}` });
  }
  const out: Record<string, ProposalRollUp> = {};

  function visit(node: TreeNode): ProposalRollUp {
    const kids = (children.get(node.id) ?? []).map(visit);
    const own = input.proposed[node.id] ?? null;
    const anyBelow = kids.some((k) => k.leavesProposed > 0);
    let proposed: number;
    let leaves: number;
    let leavesProposed: number;
    if (kids.length === 0) {
      proposed = own ?? 0;
      leaves = 1;
      leavesProposed = own === null ? 0 : 1;
    } else {
      leaves = kids.reduce((a, k) => a + k.leaves, 0);
      if (anyBelow || own === null) {
        proposed = kids.reduce((a, k) => a + k.proposed, 0);
        leavesProposed = kids.reduce((a, k) => a + k.leavesProposed, 0);
      } else {
        proposed = own;
        leavesProposed = leaves;
      }
    }
    const assigned = input.assigned[node.id] ?? null;
    const row: ProposalRollUp = {
      id: node.id,
      parentId: node.parentId,
      assigned,
      proposed,
      ownProposal: own,
      gap: assigned === null ? null : assigned - proposed,
      coverageBp:
        assigned === null || assigned <= 0
          ? null
          : toSafeNumber(
              divRoundHalfUp(BigInt(proposed) * 10_000n, BigInt(assigned)),
              'NUMBER_INVALID',
            ),
      leaves,
      leavesProposed,
      complete: leavesProposed === leaves,
    };
    out[node.id] = row;
    return row;
  }
  visit(root);
  return out;
}
