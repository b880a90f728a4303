import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  nextState,
  type RequestAction,
  type RequestState,
} from '../../../src/domain/adjustments/request-state.ts';

describe('the request state machine', () => {
  it('walks a two-step chain to applied', () => {
    let s = nextState('draft', 'send', 0, 2);
    expect(s).toEqual({ state: 'pending', step: 0 });
    s = nextState(s.state, 'approve', s.step, 2);
    expect(s).toEqual({ state: 'pending', step: 1 });
    expect(nextState(s.state, 'approve', s.step, 2)).toEqual({ state: 'applied', step: 2 });
  });

  it('sends a rejection or a recall back to a draft through an amendment', () => {
    expect(nextState('pending', 'reject', 1, 2)).toEqual({ state: 'rejected', step: 1 });
    expect(nextState('rejected', 'amend', 1, 2)).toEqual({ state: 'draft', step: 0 });
    expect(nextState('pending', 'recall', 0, 2)).toEqual({ state: 'recalled', step: 0 });
    expect(nextState('recalled', 'amend', 0, 2)).toEqual({ state: 'draft', step: 0 });
  });

  it('refuses every move the diagram does not have, and nothing leaves applied', () => {
    const states: RequestState[] = ['draft', 'pending', 'rejected', 'recalled', 'applied'];
    const actions: RequestAction[] = ['send', 'approve', 'reject', 'recall', 'amend'];
    const legal = new Set([
      'draft:send',
      'draft:amend',
      'pending:approve',
      'pending:reject',
      'pending:recall',
      'rejected:amend',
      'recalled:amend',
    ]);
    fc.assert(
      fc.property(fc.constantFrom(...states), fc.constantFrom(...actions), (s, a) => {
        if (legal.has(`${s}:${a}`)) expect(() => nextState(s, a, 0, 1)).not.toThrow();
        else expect(() => nextState(s, a, 0, 1)).toThrow(/ADJUSTMENT_STATE_INVALID/);
      }),
    );
  });
});
