import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { nextState } from '../../domain/adjustments/request-state.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { applyAdjustment } from './apply-adjustment.ts';
import { assertVersion, chainOf, holdsStep, loadRequest } from './request-store.ts';

export interface DecideAdjustmentInput {
  id: number;
  decision: 'approve' | 'reject';
  /** The request's `version` the approver read: a second decision on the same read loses. */
  version: number;
  comment: string;
}

/**
 * An approver decides the step the request waits on. Nobody decides their own request, and only
 * the holder of the current step decides it (a member by seat, or a user of the step's role).
 * A rejection goes back to the requester; the last approval applies the change in the same
 * transaction, so a request is never approved and left unapplied.
 */
export async function decideAdjustment(
  db: Db,
  actor: Actor,
  input: DecideAdjustmentInput,
  now: Date,
): Promise<{ state: string; changed: { cellId: number; before: number; after: number }[] }> {
  if (input.decision === 'reject' && input.comment.trim() === '')
    throw new AppError('VALIDATION', { field: 'comment', reason: 'required to reject' });
  return db.transaction().execute(async (trx) => {
    const r = await loadRequest(trx, input.id);
    assertVersion(r, input.version);
    if (r.requester_user_id === actor.id) throw new AppError('ADJUSTMENT_SELF_APPROVAL');
    const chain = chainOf(r);
    const next = nextState(r.state, input.decision, r.current_step, chain.length);
    const step = chain[r.current_step];
    if (!step || !holdsStep(actor, step))
      throw new AppError('ADJUSTMENT_NOT_APPROVER', {
        waitingFor: step ? (step.kind === 'member' ? `member:${step.memberId}` : step.role) : '',
      });
    const at = now.toISOString();
    await updateVersioned(
      trx,
      'adjustment_requests',
      r.id,
      input.version,
      {
        state: next.state,
        current_step: next.step,
        step_entered_at: at,
        ...(next.state === 'pending' ? {} : { decided_at: at }),
        ...(next.state === 'applied' ? { applied_at: at } : {}),
      },
      'adjustment_request',
    );
    await trx
      .insertInto('adjustment_steps')
      .values({
        request_id: r.id,
        step: r.current_step,
        user_id: actor.id,
        decision: input.decision,
        comment: input.comment,
        entered_at: r.step_entered_at ?? r.sent_at ?? at,
        decided_at: at,
      })
      .execute();
    const applied =
      next.state === 'applied' ? await applyAdjustment(trx, r, auditUserId(actor), now) : null;
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: input.decision,
      entity: 'adjustment_request',
      entityId: r.id,
      before: { state: r.state, step: r.current_step },
      after: {
        state: next.state,
        step: next.step,
        comment: input.comment,
        ...(applied ? { applied: applied.changed } : {}),
      },
    });
    return { state: next.state, changed: applied?.changed ?? [] };
  });
}
