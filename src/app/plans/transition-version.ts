import { audit } from '../../db/audit.ts';
import { AppError } from '../../domain/errors.ts';
import type { Db } from '../../db/connect.ts';
import {
  getVersion,
  transitionVersion as moveVersion,
  type Transition,
} from '../../db/plans/versions.ts';
import type { Actor } from '../actor.ts';
import { assertDirector } from './access.ts';
import { versionView, type PlanVersionView } from './read-plan-versions.ts';

export interface TransitionVersionInput {
  versionId: number;
  action: Transition;
  version: number;
  note?: string;
  /** An administrator approving or activating a version he submitted must say why. */
  overrideReason?: string;
}

/**
 * Workflow: the director (an admin or the manager of the company root) submits, approves,
 * rejects and activates. A version is the whole company's plan and the workflow has no per-unit
 * parts, so only the level that owns the draft submits it: a region manager edits his region's
 * cells but cannot send the company's draft on. Activation supersedes the plan's active
 * version; both moves are audited. `version` is required: a stale one is VERSION_CONFLICT.
 */
export async function transitionVersion(
  db: Db,
  actor: Actor,
  input: TransitionVersionInput,
  now: Date,
): Promise<PlanVersionView> {
  await assertDirector(db, actor);
  return db.transaction().execute(async (trx) => {
    const { version: before } = await getVersion(trx, input.versionId);
    // An illegal move is refused as such (PLAN_TRANSITION_INVALID) before whose move it is.
    const own =
      ((input.action === 'approve' && before.status === 'submitted') ||
        (input.action === 'activate' && before.status === 'approved')) &&
      before.submitted_by !== null &&
      before.submitted_by === actor.id;
    const override = own ? input.overrideReason?.trim() : undefined;
    if (own && (actor.role !== 'admin' || !override))
      throw new AppError('PLAN_SELF_APPROVAL', { number: before.number, action: input.action });
    const { supersededId } = await moveVersion(
      trx,
      before,
      input.action,
      input.version,
      actor.id,
      now,
      input.note,
    );
    const { version: after } = await getVersion(trx, before.id);
    await audit(trx, now, {
      userId: actor.id,
      action: input.action,
      entity: 'plan_version',
      entityId: before.id,
      before: { status: before.status },
      after: {
        status: after.status,
        note: input.note ?? null,
        supersededId,
        ...(override ? { selfApprovalOverride: override } : {}),
      },
    });
    if (supersededId !== null) {
      await audit(trx, now, {
        userId: actor.id,
        action: 'supersede',
        entity: 'plan_version',
        entityId: supersededId,
        after: { by: before.id },
      });
    }
    return versionView(after);
  });
}
