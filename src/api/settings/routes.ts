import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Transaction } from 'kysely';
import type { Database, CustomerTier } from '../../db/schema.ts';
import { getSettings, updateSettings } from '../../db/settings.ts';
import { classifyCustomer, type TierRule } from '../../domain/customer-tier.ts';
import { audit } from '../../db/audit.ts';
import { requireRole, requireUser } from '../authorize.ts';
import type { AppDeps } from '../context.ts';
import { settingsSchema, updateSettingsBody, updateSettingsResponse } from './schemas.ts';

/** Keeps `where id in (…)` under SQLite's bound-parameter limit. */
const CHUNK = 500;

/**
 * Re-tiers every customer under new rules, in the caller's transaction. Tier is derived data, so
 * the rows keep their version: a user editing a customer meanwhile loses nothing, because their
 * save recomputes the tier anyway. Returns what changed, for the audit record.
 */
async function reclassifyCustomers(trx: Transaction<Database>, rules: TierRule[], now: Date) {
  const rows = await trx
    .selectFrom('customers')
    .select(['id', 'code', 'annual_purchase', 'tier'])
    .execute();
  const changed: { id: number; code: string; from: CustomerTier; to: CustomerTier }[] = [];
  const idsByTier = new Map<CustomerTier, number[]>();
  for (const r of rows) {
    const to = classifyCustomer(r.annual_purchase, rules);
    if (to === r.tier) continue;
    changed.push({ id: r.id, code: r.code, from: r.tier, to });
    idsByTier.set(to, [...(idsByTier.get(to) ?? []), r.id]);
  }
  for (const [tier, ids] of idsByTier) {
    for (let i = 0; i < ids.length; i += CHUNK) {
      await trx
        .updateTable('customers')
        .set({ tier, updated_at: now.toISOString() })
        .where('id', 'in', ids.slice(i, i + CHUNK))
        .execute();
    }
  }
  return changed;
}

export const settingsRoutes =
  (deps: AppDeps): FastifyPluginAsyncZod =>
  async (app) => {
    const { db } = deps;

    app.get(
      '/settings',
      { schema: { tags: ['settings'], response: { 200: settingsSchema } } },
      async (req) => {
        requireUser(req);
        return getSettings(db);
      },
    );

    app.put(
      '/settings',
      {
        schema: {
          tags: ['settings'],
          summary: 'Replace the settings; new customer tier rules re-tier every customer at once',
          body: updateSettingsBody,
          response: { 200: updateSettingsResponse },
        },
      },
      async (req) => {
        const user = requireRole(req, ['admin']);
        const { version, ...next } = req.body;
        const now = deps.now();
        const changed = await db.transaction().execute(async (trx) => {
          const before = await getSettings(trx);
          await updateSettings(trx, version, next, now);
          await audit(trx, now, {
            userId: user.id,
            action: 'update',
            entity: 'settings',
            before,
            after: req.body,
          });
          if (JSON.stringify(before.customerTierRules) === JSON.stringify(next.customerTierRules))
            return [];
          const changed = await reclassifyCustomers(trx, next.customerTierRules, now);
          await audit(trx, now, {
            userId: user.id,
            action: 'reclassify',
            entity: 'customer',
            before: { rules: before.customerTierRules },
            after: { rules: next.customerTierRules, changed },
          });
          return changed;
        });
        return { ...(await getSettings(db)), reclassifiedCustomers: changed.length };
      },
    );
  };
