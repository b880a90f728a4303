import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { updateVersioned } from '../../db/versioned.ts';
import { nextState } from '../../domain/adjustments/request-state.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { loadVisibleAlert } from '../alerts/access.ts';
import type { AdjustmentContent } from './create-adjustment.ts';
import { previewAdjustment } from './preview-adjustment.ts';
import { assertVersion, loadRequest, replaceCells, requestCells } from './request-store.ts';

/**
 * The requester rewrites a draft, or a rejected or recalled request, on today's numbers (cells,
 * reason, evidence link); it becomes a draft again, to be sent anew with a fresh chain.
 */
export async function amendAdjustment(
  db: Db,
  actor: Actor,
  input: AdjustmentContent & { id: number; version: number },
  now: Date,
): Promise<void> {
  const r0 = await loadRequest(db, input.id);
  if (r0.requester_user_id !== actor.id) throw new AppError('ADJUSTMENT_NOT_REQUESTER');
  if (input.alertId != null) await loadVisibleAlert(db, actor, input.alertId);
  const preview = await previewAdjustment(db, actor, input.spec, now);
  await db.transaction().execute(async (trx) => {
    const r = await loadRequest(trx, input.id);
    assertVersion(r, input.version);
    const next = nextState(r.state, 'amend', r.current_step, 0);
    const before = await requestCells(trx, r.id);
    await updateVersioned(
      trx,
      'adjustment_requests',
      r.id,
      input.version,
      {
        state: next.state,
        current_step: 0,
        plan_version_id: preview.versionId,
        metric_id: preview.metricId,
        scope_unit_id: preview.ownerUnitId,
        reason_category: input.reasonCategory,
        reason_text: input.reasonText,
        alert_id: input.alertId ?? r.alert_id,
        step_entered_at: now.toISOString(),
      },
      'adjustment_request',
    );
    await replaceCells(trx, r.id, preview.metricId, preview.requested);
    await audit(trx, now, {
      userId: actor.id,
      action: 'amend',
      entity: 'adjustment_request',
      entityId: r.id,
      before: {
        state: r.state,
        reasonCategory: r.reason_category,
        reasonText: r.reason_text,
        cells: before.map((c) => ({ cellId: c.cell_id, before: c.before, after: c.after })),
      },
      after: {
        state: next.state,
        reasonCategory: input.reasonCategory,
        reasonText: input.reasonText,
        cells: preview.requested,
      },
    });
  });
}
