import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { ReasonCategory } from '../../domain/adjustments/request-state.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { loadVisibleAlert } from '../alerts/access.ts';
import type { ChangeSpec } from './change-set.ts';
import { previewAdjustment } from './preview-adjustment.ts';
import { replaceCells } from './request-store.ts';
import { sendAdjustment } from './send-adjustment.ts';

export interface AdjustmentContent {
  spec: ChangeSpec;
  reasonCategory: ReasonCategory;
  reasonText: string;
  /** The alert the request was opened from ("open a target review"), if any. */
  alertId?: number | null;
}

/**
 * A manager (for his subtree) or a rep (for himself) asks to change targets of the active
 * version. The request is stored as a draft with the cells it asks for, before and after; with
 * `send` it goes straight on to its approval chain. Scope is checked by the preview, before any
 * write.
 */
export async function createAdjustment(
  db: Db,
  actor: Actor,
  input: AdjustmentContent & { send: boolean },
  now: Date,
): Promise<{ id: number }> {
  if ((actor.role !== 'manager' && actor.role !== 'rep') || actor.memberId === null)
    throw new AppError('FORBIDDEN');
  // The alert cited as evidence must be one the requester may see (404 otherwise, as the inbox).
  if (input.alertId != null) await loadVisibleAlert(db, actor, input.alertId);
  const preview = await previewAdjustment(db, actor, input.spec, now);
  const id = await db.transaction().execute(async (trx) => {
    const row = await trx
      .insertInto('adjustment_requests')
      .values({
        requester_user_id: actor.id,
        requester_member_id: actor.memberId,
        plan_version_id: preview.versionId,
        metric_id: preview.metricId,
        scope_unit_id: preview.ownerUnitId,
        reason_category: input.reasonCategory,
        reason_text: input.reasonText,
        alert_id: input.alertId ?? null,
        state: 'draft',
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await replaceCells(trx, row.id, preview.metricId, preview.requested);
    await audit(trx, now, {
      userId: actor.id,
      action: 'create',
      entity: 'adjustment_request',
      entityId: row.id,
      after: {
        versionId: preview.versionId,
        reasonCategory: input.reasonCategory,
        reasonText: input.reasonText,
        alertId: input.alertId ?? null,
        cells: preview.requested,
      },
    });
    return row.id;
  });
  if (input.send) await sendAdjustment(db, actor, { id, version: 1 }, now);
  return { id };
}
