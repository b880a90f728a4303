import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { createPlan as insertPlan } from '../../db/plans/versions.ts';
import type { Actor } from '../actor.ts';
import { assertDirector } from './access.ts';
import { planView, type PlanView } from './read-plan-versions.ts';

export interface CreatePlanInput {
  fiscalYear: number;
  nameZh: string;
  nameEn: string;
}

/** A plan for a fiscal year with version 1 as a draft. The director (or an admin) only. */
export async function createPlan(
  db: Db,
  actor: Actor,
  input: CreatePlanInput,
  now: Date,
): Promise<PlanView> {
  await assertDirector(db, actor);
  return db.transaction().execute(async (trx) => {
    const { plan, version } = await insertPlan(trx, input, actor.id, now);
    await audit(trx, now, {
      userId: actor.id,
      action: 'create',
      entity: 'plan',
      entityId: plan.id,
      after: input,
    });
    return planView(plan, [version]);
  });
}
