import type { Transaction } from 'kysely';
import type { CustomerTier, Database } from '../../db/schema.ts';
import { classifyCustomer, type TierRule } from '../../domain/customer-tier.ts';

/** Keeps `where id in (…)` under SQLite's bound-parameter limit. */
const CHUNK = 500;

/**
 * Re-tiers every customer under new rules, in the caller's transaction. Tier is derived data, so
 * the rows keep their version: a user editing a customer meanwhile loses nothing, because their
 * save recomputes the tier anyway. Returns what changed, for the audit record.
 */
export async function reclassifyCustomers(
  trx: Transaction<Database>,
  rules: TierRule[],
  now: Date,
) {
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
