import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import {
  getSettings,
  updateSettings as writeSettings,
  type Settings,
  type VersionedSettings,
} from '../../db/settings.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { reclassifyCustomers } from '../customers/reclassify-customers.ts';

/**
 * Replaces the settings at the version the client read (admins only). New customer tier rules
 * re-tier every customer in the same transaction, audited as one `reclassify` entry.
 */
export async function updateSettings(
  db: Db,
  actor: Actor,
  input: Settings & { version: number },
  now: Date,
): Promise<VersionedSettings & { reclassifiedCustomers: number }> {
  assertRole(actor, ['admin']);
  const { version, ...next } = input;
  const changed = await db.transaction().execute(async (trx) => {
    const before = await getSettings(trx);
    await writeSettings(trx, version, next, now);
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'update',
      entity: 'settings',
      before,
      after: input,
    });
    if (JSON.stringify(before.customerTierRules) === JSON.stringify(next.customerTierRules))
      return [];
    const changed = await reclassifyCustomers(trx, next.customerTierRules, now);
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'reclassify',
      entity: 'customer',
      before: { rules: before.customerTierRules },
      after: { rules: next.customerTierRules, changed },
    });
    return changed;
  });
  return { ...(await getSettings(db)), reclassifiedCustomers: changed.length };
}
