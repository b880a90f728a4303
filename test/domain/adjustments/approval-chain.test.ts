import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_CHAIN_RULES,
  resolveChain,
  type ChainInput,
  type ChainUnit,
} from '../../../src/domain/adjustments/approval-chain.ts';

/**
 *   1 company (director 100)
 *   ├─ 2 East (region manager 200) ├─ 4 T1 (team lead 400)
 *   │                              └─ 5 T2 (no lead)
 *   └─ 3 West (300)                └─ 6 T3 (600)
 */
const units: ChainUnit[] = [
  { id: 1, parentId: null, managerMemberId: 100 },
  { id: 2, parentId: 1, managerMemberId: 200 },
  { id: 3, parentId: 1, managerMemberId: 300 },
  { id: 4, parentId: 2, managerMemberId: 400 },
  { id: 5, parentId: 2, managerMemberId: null },
  { id: 6, parentId: 3, managerMemberId: 600 },
];
const base: ChainInput = {
  units,
  requesterMemberId: 900,
  requesterUnitId: 4,
  ownerUnitId: 4,
  changeFen: 100,
  baseFen: 100_000,
  metricCode: 'revenue',
  rules: DEFAULT_CHAIN_RULES,
};
const who = (input: Partial<ChainInput>) =>
  resolveChain({ ...base, ...input }).map((s) =>
    s.kind === 'member' ? `${s.memberId}:${s.why}` : `${s.role}:${s.why}`,
  );

describe('the approval chain', () => {
  it("starts with the requester's manager: a rep's team lead", () => {
    expect(who({})).toEqual(['400:line']);
  });

  it('skips a vacant seat: a rep of a team without a lead goes to the region manager', () => {
    expect(who({ requesterUnitId: 5, ownerUnitId: 5 })).toEqual(['200:line']);
  });

  it('climbs to whoever owns the changed total', () => {
    // A team lead changes his team's month, kept in East's total: the region manager decides.
    expect(who({ requesterMemberId: 400, ownerUnitId: 2 })).toEqual(['200:line']);
    // ... kept in the company total: the region manager, then the director.
    expect(who({ requesterMemberId: 400, ownerUnitId: 1 })).toEqual(['200:line', '100:owner']);
    // A region manager's change kept inside his region needs only the director.
    expect(who({ requesterMemberId: 200, requesterUnitId: 2, ownerUnitId: 2 })).toEqual([
      '100:line',
    ]);
  });

  it('adds the director above 10% or 50万, and finance for a metric that pays incentives', () => {
    expect(who({ changeFen: 10_001, baseFen: 100_000 })).toEqual(['400:line', '100:threshold']);
    expect(who({ changeFen: 10_000, baseFen: 100_000 })).toEqual(['400:line']); // exactly 10%
    expect(who({ changeFen: 50_000_001, baseFen: 1_000_000_000 })).toEqual([
      '400:line',
      '100:threshold',
    ]);
    expect(who({ rules: { ...DEFAULT_CHAIN_RULES, incentiveMetrics: ['revenue'] } })).toEqual([
      '400:line',
      'finance:incentive',
    ]);
  });

  it("gives the director's own request to the administrator", () => {
    expect(who({ requesterMemberId: 100, requesterUnitId: 1, ownerUnitId: 1 })).toEqual([
      'admin:line',
    ]);
    // A vacant company seat is the administrator's too.
    const vacant = units.map((u) => (u.id === 1 ? { ...u, managerMemberId: null } : u));
    expect(
      who({ units: vacant, requesterMemberId: 200, requesterUnitId: 2, ownerUnitId: 2 }),
    ).toEqual(['admin:line']);
  });

  it('never contains the requester, never repeats an approver, and is never empty', () => {
    const memberIds = [100, 200, 300, 400, 600, 900];
    fc.assert(
      fc.property(
        fc.constantFrom(...memberIds),
        fc.constantFrom(1, 2, 3, 4, 5, 6),
        fc.constantFrom(1, 2, 3, 4, 5, 6),
        fc.nat(2_000_000_000),
        fc.nat(2_000_000_000),
        fc.boolean(),
        fc.array(fc.option(fc.constantFrom(...memberIds), { nil: null }), {
          minLength: 6,
          maxLength: 6,
        }),
        (requester, at, owner, change, baseFen, incentive, managers) => {
          const shuffled = units.map((u, i) => ({ ...u, managerMemberId: managers[i] ?? null }));
          const chain = resolveChain({
            units: shuffled,
            requesterMemberId: requester,
            requesterUnitId: at,
            ownerUnitId: owner,
            changeFen: change,
            baseFen,
            metricCode: 'revenue',
            rules: { ...DEFAULT_CHAIN_RULES, incentiveMetrics: incentive ? ['revenue'] : [] },
          });
          expect(chain.length).toBeGreaterThan(0);
          const members = chain.flatMap((s) => (s.kind === 'member' ? [s.memberId] : []));
          expect(members).not.toContain(requester);
          expect(new Set(members).size).toBe(members.length);
          const roles = chain.flatMap((s) => (s.kind === 'role' ? [s.role] : []));
          expect(new Set(roles).size).toBe(roles.length);
        },
      ),
    );
  });
});
