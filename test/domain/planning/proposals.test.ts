import { describe, expect, it } from 'vitest';
import { rollUpProposals } from '../../../src/domain/planning/proposals.ts';
import { WAN } from './helpers.ts';

describe('bottom-up proposals against assigned targets', () => {
  const nodes = [
    { id: 'company', parentId: null },
    { id: 'team1', parentId: 'company' },
    { id: 'team2', parentId: 'company' },
    { id: 'rep_a', parentId: 'team1' },
    { id: 'rep_b', parentId: 'team1' },
    { id: 'rep_c', parentId: 'team2' },
  ];
  const assigned = {
    company: 1000 * WAN,
    team1: 600 * WAN,
    team2: 400 * WAN,
    rep_a: 300 * WAN,
    rep_b: 300 * WAN,
    rep_c: 400 * WAN,
  };

  it('rolls proposals up the tree and shows the gap to negotiate', () => {
    // Given reps A and B propose 250万 and 320万; team 2's manager proposes 380万 before rep C does
    const r = rollUpProposals({
      nodes,
      assigned,
      proposed: { rep_a: 250 * WAN, rep_b: 320 * WAN, team2: 380 * WAN },
    });
    // Then team 1 proposes 570万: 30万 short of its 600万, 95% coverage
    expect(r.team1).toMatchObject({
      assigned: 600 * WAN,
      proposed: 570 * WAN,
      gap: 30 * WAN,
      coverageBp: 9500,
      leaves: 2,
      leavesProposed: 2,
      complete: true,
    });
    // And team 2 stands on its manager's proposal
    expect(r.team2).toMatchObject({
      proposed: 380 * WAN,
      ownProposal: 380 * WAN,
      gap: 20 * WAN,
      complete: true,
    });
    expect(r.rep_c).toMatchObject({ proposed: 0, complete: false, gap: 400 * WAN });
    // And the company sees 950万 against 1,000万
    expect(r.company).toMatchObject({
      proposed: 950 * WAN,
      gap: 50 * WAN,
      coverageBp: 9500,
      complete: true,
    });
  });

  it('prefers the proposals from below over a manager’s own, which stays visible', () => {
    const r = rollUpProposals({
      nodes,
      assigned,
      proposed: { rep_a: 310 * WAN, team1: 500 * WAN },
    });
    expect(r.team1).toMatchObject({
      proposed: 310 * WAN,
      ownProposal: 500 * WAN,
      gap: 290 * WAN,
      leavesProposed: 1,
      complete: false,
    });
    expect(r.company?.complete).toBe(false);
  });
});
