import { AppError } from '../errors.ts';

/**
 * The life of a target adjustment request:
 *
 *   draft ──send──▶ pending ──approve (last step)──▶ applied
 *     ▲               │  └──approve (not last)──▶ pending (next step)
 *     │               ├──reject──▶ rejected ──amend──▶ draft
 *     │               └──recall──▶ recalled ──amend──▶ draft
 *     └──────────────────────────────────────────────────┘
 *
 * The final approval applies the change in the same transaction, so "approved" is never a
 * resting state: a request is either still deciding, or applied. An apply refused because the
 * plan moved refuses the approval with it, and the request stays pending on the same step.
 */
export type RequestState = 'draft' | 'pending' | 'rejected' | 'recalled' | 'applied';
export type RequestAction = 'send' | 'approve' | 'reject' | 'recall' | 'amend';

const legal: Record<RequestAction, readonly RequestState[]> = {
  send: ['draft'],
  approve: ['pending'],
  reject: ['pending'],
  recall: ['pending'],
  amend: ['rejected', 'recalled', 'draft'],
};

export function nextState(
  state: RequestState,
  action: RequestAction,
  step: number,
  chainLength: number,
): { state: RequestState; step: number } {
  if (!legal[action].includes(state))
    throw new AppError('ADJUSTMENT_STATE_INVALID', { action, state });
  switch (action) {
    case 'send':
      return { state: 'pending', step: 0 };
    case 'approve':
      return step + 1 >= chainLength
        ? { state: 'applied', step: step + 1 }
        : { state: 'pending', step: step + 1 };
    case 'reject':
      return { state: 'rejected', step };
    case 'recall':
      return { state: 'recalled', step };
    case 'amend':
      return { state: 'draft', step: 0 };
  }
}

export const REASON_CATEGORIES = [
  'market',
  'cost',
  'staffing',
  'data_error',
  'strategy',
  'other',
] as const;
export type ReasonCategory = (typeof REASON_CATEGORIES)[number];
