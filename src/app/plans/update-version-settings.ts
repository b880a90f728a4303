import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import {
  assertDraft,
  getVersion,
  settingsOf,
  touchVersion,
  type VersionSettings,
} from '../../db/plans/versions.ts';
import { targetTiers } from '../../domain/tiers.ts';
import type { Actor } from '../actor.ts';
import { assertDirector } from './access.ts';

export interface UpdateVersionSettingsInput extends VersionSettings {
  versionId: number;
  /** The version's `version` the client read. */
  version: number;
}

/** Tier percentages and buffer (bp) of a draft. The director only; a whole-version write. */
export async function updateVersionSettings(
  db: Db,
  actor: Actor,
  input: UpdateVersionSettingsInput,
  now: Date,
): Promise<void> {
  await assertDirector(db, actor);
  const { versionId, version, ...settings } = input;
  targetTiers(0, settings); // the domain's own check: base ≤ 100% ≤ challenge
  await db.transaction().execute(async (trx) => {
    const { version: v } = await getVersion(trx, versionId);
    assertDraft(v);
    await touchVersion(trx, v, version, { settings: JSON.stringify(settings) });
    await audit(trx, now, {
      userId: actor.id,
      action: 'update',
      entity: 'plan_version',
      entityId: v.id,
      before: settingsOf(v),
      after: settings,
    });
  });
}
