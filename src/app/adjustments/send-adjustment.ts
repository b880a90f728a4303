import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { nextState } from '../../domain/adjustments/request-state.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { activeVersion } from './change-set.ts';
import { assertCellsUnmoved } from './apply-adjustment.ts';
import { chainFor } from './resolve-chain.ts';
import { assertVersion, loadRequest, requestCells } from './request-store.ts';

/**
 * Sends a draft: its approval chain is resolved now and fixed from then on (a later change of
 * managers does not move a request already on its way), and the version's cell revision is
 * recorded for the apply's version check. The cells must still read what the requester saw.
 */
export async function sendAdjustment(
  db: Db,
  actor: Actor,
  input: { id: number; version: number },
  now: Date,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const r = await loadRequest(trx, input.id);
    assertVersion(r, input.version);
    if (r.requester_user_id !== actor.id) throw new AppError('ADJUSTMENT_NOT_REQUESTER');
    const next = nextState(r.state, 'send', r.current_step, 0);
    const v = await activeVersion(trx, r.plan_version_id);
    const cells = await requestCells(trx, r.id);
    await assertCellsUnmoved(trx, cells);
    const metric = await trx
      .selectFrom('metrics')
      .select('code')
      .where('id', '=', r.metric_id)
      .executeTakeFirstOrThrow();
    const { chain } = await chainFor(
      trx,
      { memberId: r.requester_member_id },
      cells.map((c) => ({ cellId: c.cell_id, before: c.before, after: c.after })),
      metric,
    );
    const at = now.toISOString();
    await updateVersioned(
      trx,
      'adjustment_requests',
      r.id,
      input.version,
      {
        state: next.state,
        current_step: 0,
        chain: JSON.stringify(chain),
        sent_cells_rev: v.cells_rev,
        sent_at: at,
        step_entered_at: at,
        decided_at: null,
        reminded_at: null,
      },
      'adjustment_request',
    );
    await trx
      .insertInto('adjustment_steps')
      .values({
        request_id: r.id,
        step: -1,
        user_id: actor.id,
        decision: 'send',
        entered_at: r.step_entered_at ?? r.created_at,
        decided_at: at,
      })
      .execute();
    await audit(trx, now, {
      userId: actor.id,
      action: 'send',
      entity: 'adjustment_request',
      entityId: r.id,
      before: { state: r.state },
      after: { state: next.state, chain, cellsRev: v.cells_rev },
    });
  });
}
