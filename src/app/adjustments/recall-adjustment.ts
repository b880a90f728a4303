import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { nextState } from '../../domain/adjustments/request-state.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertVersion, loadRequest } from './request-store.ts';

/** The requester takes a pending request back before it is decided. */
export async function recallAdjustment(
  db: Db,
  actor: Actor,
  input: { id: number; version: number; comment?: string },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const r = await loadRequest(trx, input.id);
    assertVersion(r, input.version);
    if (r.requester_user_id !== actor.id) throw new AppError('ADJUSTMENT_NOT_REQUESTER');
    const next = nextState(r.state, 'recall', r.current_step, 0);
    const at = now.toISOString();
    await updateVersioned(
      trx,
      'adjustment_requests',
      r.id,
      input.version,
      { state: next.state, decided_at: at, step_entered_at: at },
      'adjustment_request',
    );
    await trx
      .insertInto('adjustment_steps')
      .values({
        request_id: r.id,
        step: r.current_step,
        user_id: actor.id,
        decision: 'recall',
        comment: input.comment ?? '',
        entered_at: r.step_entered_at ?? at,
        decided_at: at,
      })
      .execute();
    await audit(trx, now, {
      userId: actor.id,
      action: 'recall',
      entity: 'adjustment_request',
      entityId: r.id,
      before: { state: r.state, step: r.current_step },
      after: { state: next.state },
    });
  });
}
