/**
 * Who decides a target adjustment (METHOD §6), resolved once when the request is sent and fixed
 * from then on: the requester's manager first, then each manager up the org tree to the unit that
 * owns the changed total (the parent whose total the siblings keep), then the extra rules — a
 * change of more than a share or an amount also needs the director (the company root's manager),
 * a change of a metric that pays incentives must be seen by finance. Nobody approves their own
 * request: the requester never appears, and a manager who appears twice decides once.
 */

export interface ChainUnit {
  id: number;
  parentId: number | null;
  managerMemberId: number | null;
}

/** One approver: a member (by the unit they manage), or a role when no member holds the seat. */
export type ChainStep =
  | { kind: 'member'; memberId: number; unitId: number; why: ChainWhy }
  | { kind: 'role'; role: 'admin' | 'finance'; unitId: number | null; why: ChainWhy };

/** Why a step is there: the line above the requester, the owner of the total, or an extra rule. */
export type ChainWhy = 'line' | 'owner' | 'threshold' | 'incentive';

export interface ChainRules {
  /** A change above this share of the cells' total (basis points) needs the director. */
  directorAboveBp: number;
  /** A change above this amount (fen, absolute) needs the director. */
  directorAboveFen: number;
  /** Metric codes that pay incentives: finance must see changes of them. */
  incentiveMetrics: readonly string[];
}

export const DEFAULT_CHAIN_RULES: ChainRules = {
  directorAboveBp: 1_000,
  directorAboveFen: 50 * 10_000 * 100,
  // No metric pays incentives until incentives exist; a company lists its own (`adjustment_rules`).
  incentiveMetrics: [],
};

export interface ChainInput {
  units: readonly ChainUnit[];
  requesterMemberId: number | null;
  /** Where the requester stands: the unit they manage (the highest one), or a rep's own unit. */
  requesterUnitId: number;
  /** The unit whose total the change keeps (the changed cells' common parent owner). */
  ownerUnitId: number;
  /** Σ |after − before| over the cells asked for, and Σ before (for the share rule). */
  changeFen: number;
  baseFen: number;
  metricCode: string;
  rules: ChainRules;
}

export function resolveChain(input: ChainInput): ChainStep[] {
  const byId = new Map(input.units.map((u) => [u.id, u]));
  const ancestors = (id: number): ChainUnit[] => {
    const out: ChainUnit[] = [];
    const seen = new Set<number>();
    for (let u = byId.get(id); u && !seen.has(u.id); u = byId.get(u.parentId ?? -1)) {
      seen.add(u.id);
      out.push(u);
    }
    return out;
  };
  const fromRequester = ancestors(input.requesterUnitId);
  const root = fromRequester[fromRequester.length - 1] ?? null;
  const steps: ChainStep[] = [];
  const has = (s: ChainStep) =>
    steps.some((x) =>
      x.kind === 'member' && s.kind === 'member'
        ? x.memberId === s.memberId
        : x.kind === 'role' && s.kind === 'role' && x.role === s.role,
    );
  const push = (s: ChainStep) => {
    if (s.kind === 'member' && s.memberId === input.requesterMemberId) return;
    if (!has(s)) steps.push(s);
  };
  // A vacant seat at the root falls to the administrator, who holds the director's role there.
  const seat = (u: ChainUnit, why: ChainWhy): ChainStep =>
    u.managerMemberId !== null
      ? { kind: 'member', memberId: u.managerMemberId, unitId: u.id, why }
      : { kind: 'role', role: 'admin', unitId: u.id, why };
  const seated = (u: ChainUnit) =>
    (u.managerMemberId !== null && u.managerMemberId !== input.requesterMemberId) ||
    u.parentId === null;

  // 1. The requester's manager: the nearest unit up the line managed by someone else.
  const lineIndex = fromRequester.findIndex(seated);
  const line = fromRequester[lineIndex];
  if (line) push(seat(line, 'line'));
  // 2. On up to the owner of the changed total, when it lies above the first approver (a total
  //    kept inside the requester's own subtree needs nobody more).
  const pathIds = fromRequester.map((u) => u.id);
  const ownerIndex = pathIds.indexOf(input.ownerUnitId);
  if (ownerIndex > lineIndex) {
    for (const u of fromRequester.slice(lineIndex + 1, ownerIndex + 1))
      if (seated(u)) push(seat(u, 'owner'));
  } else if (ownerIndex === -1) {
    // A total in another branch: its managers up to where the two lines meet.
    for (const u of ancestors(input.ownerUnitId)) {
      if (pathIds.includes(u.id)) break;
      if (seated(u)) push(seat(u, 'owner'));
    }
  }
  // 3. Extra rules.
  const share = input.baseFen > 0 ? (input.changeFen * 10_000) / input.baseFen : Infinity;
  const big =
    (input.changeFen > 0 && share > input.rules.directorAboveBp) ||
    input.changeFen > input.rules.directorAboveFen;
  if (big && root) push(seat(root, 'threshold'));
  if (input.rules.incentiveMetrics.includes(input.metricCode))
    push({ kind: 'role', role: 'finance', unitId: null, why: 'incentive' });
  // The director asking about his own total: nobody above him, so the administrator decides.
  if (!steps.some((s) => s.kind === 'member' || s.role === 'admin'))
    steps.unshift({ kind: 'role', role: 'admin', unitId: root?.id ?? null, why: 'line' });
  return steps;
}
