import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { copyVersion as copyRows, getVersion } from '../../db/plans/versions.ts';
import { getSetting } from '../../db/settings.ts';
import type { Actor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import { assertDirector } from './access.ts';
import { versionView, type PlanVersionView } from './read-plan-versions.ts';

/**
 * A new draft based on a version (cells and splits copied); months already elapsed (China time)
 * are frozen. The director only.
 */
export async function copyVersion(
  db: Db,
  actor: Actor,
  input: { versionId: number },
  now: Date,
): Promise<PlanVersionView> {
  await assertDirector(db, actor);
  const fsm = await getSetting(db, 'fiscalYearStartMonth');
  return db.transaction().execute(async (trx) => {
    const { plan, version } = await getVersion(trx, input.versionId);
    const copy = await copyRows(trx, version, plan, actor.id, now, chinaToday(now), fsm);
    await audit(trx, now, {
      userId: actor.id,
      action: 'copy',
      entity: 'plan_version',
      entityId: copy.id,
      after: { basedOnId: version.id, number: copy.number, frozenBefore: copy.frozen_before },
    });
    return versionView(copy);
  });
}
