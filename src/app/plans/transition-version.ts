import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import {
  getVersion,
  transitionVersion as moveVersion,
  type Transition,
} from '../../db/plans/versions.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertDirector, isDirector } from './access.ts';
import { versionView, type PlanVersionView } from './read-plan-versions.ts';

export interface TransitionVersionInput {
  versionId: number;
  action: Transition;
  version?: number;
  note?: string;
}

/**
 * Workflow: a planner (a manager or the director) submits; the director approves, rejects and
 * activates. Activation supersedes the plan's active version; both moves are audited.
 */
export async function transitionVersion(
  db: Db,
  actor: Actor,
  input: TransitionVersionInput,
  now: Date,
): Promise<PlanVersionView> {
  if (input.action !== 'submit') await assertDirector(db, actor);
  else if (!(await isDirector(db, actor)) && actor.role !== 'manager')
    throw new AppError('FORBIDDEN');
  return db.transaction().execute(async (trx) => {
    const { version: before } = await getVersion(trx, input.versionId);
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
      after: { status: after.status, note: input.note ?? null, supersededId },
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
