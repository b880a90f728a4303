import type { Kysely, Transaction } from 'kysely';
import { z } from 'zod';
import { defaultTierRules, validateTierRules, type TierRule } from '../domain/customer-tier.ts';
import { AppError } from '../domain/errors.ts';
import type { Database } from './schema.ts';
import { isUniqueViolation } from './versioned.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * Company-wide settings. Each setting is one row of `settings` (value = JSON), so a feature can
 * add a key without a migration. The settings are edited as a whole on one screen, so they share
 * one version: the `version` of the row `settings.version` (absent until the first save = 1).
 */
const definitions = {
  fiscalYearStartMonth: {
    key: 'fiscal_year_start_month',
    schema: z.number().int().min(1).max(12),
    fallback: 1,
  },
  customerTierRules: {
    key: 'customer_tier_rules',
    schema: z.array(
      z.object({ tier: z.enum(['A', 'B', 'C']), minAnnualPurchase: z.number().int().min(0) }),
    ),
    fallback: defaultTierRules.map((r) => ({ ...r })),
  },
  companyNameZh: { key: 'company_name_zh', schema: z.string(), fallback: '' },
  companyNameEn: { key: 'company_name_en', schema: z.string(), fallback: '' },
} as const;

export type SettingName = keyof typeof definitions;

export interface Settings {
  fiscalYearStartMonth: number;
  customerTierRules: TierRule[];
  companyNameZh: string;
  companyNameEn: string;
}

export interface VersionedSettings extends Settings {
  version: number;
}

const VERSION_KEY = 'settings.version';
const names = Object.keys(definitions) as SettingName[];

function decode<K extends SettingName>(name: K, raw: string | undefined): Settings[K] {
  const def = definitions[name];
  if (raw === undefined) return structuredClone(def.fallback) as Settings[K];
  // A stored value that no longer parses is a bug or a hand edit; failing loudly beats silently
  // classifying every customer by the defaults.
  const parsed = def.schema.safeParse(JSON.parse(raw));
  if (!parsed.success) throw new AppError('INTERNAL', { setting: def.key });
  return parsed.data as Settings[K];
}

/** All settings with their defaults filled in, and the version to send back with an update. */
export async function getSettings(q: Q): Promise<VersionedSettings> {
  const rows = await q
    .selectFrom('settings')
    .select(['key', 'value', 'version'])
    .where('key', 'in', [VERSION_KEY, ...names.map((n) => definitions[n].key)])
    .execute();
  const byKey = new Map(rows.map((r) => [r.key, r]));
  return {
    fiscalYearStartMonth: decode(
      'fiscalYearStartMonth',
      byKey.get(definitions.fiscalYearStartMonth.key)?.value,
    ),
    customerTierRules: decode(
      'customerTierRules',
      byKey.get(definitions.customerTierRules.key)?.value,
    ),
    companyNameZh: decode('companyNameZh', byKey.get(definitions.companyNameZh.key)?.value),
    companyNameEn: decode('companyNameEn', byKey.get(definitions.companyNameEn.key)?.value),
    version: byKey.get(VERSION_KEY)?.version ?? 1,
  };
}

/** One setting, for features that need only that (e.g. the tier rules when saving a customer). */
export async function getSetting<K extends SettingName>(q: Q, name: K): Promise<Settings[K]> {
  const row = await q
    .selectFrom('settings')
    .select('value')
    .where('key', '=', definitions[name].key)
    .executeTakeFirst();
  return decode(name, row?.value);
}

/**
 * Replaces every setting if the caller saw `expectedVersion`; otherwise VERSION_CONFLICT.
 * Run it inside the caller's transaction so dependent changes (re-tiering customers) commit with it.
 */
export async function updateSettings(
  trx: Q,
  expectedVersion: number,
  next: Settings,
  now: Date,
): Promise<number> {
  validateTierRules(next.customerTierRules);
  await bumpVersion(trx, expectedVersion, now);
  for (const name of names) {
    const def = definitions[name];
    const value = JSON.stringify(def.schema.parse(next[name]));
    const done = await trx
      .updateTable('settings')
      .set({ value })
      .where('key', '=', def.key)
      .executeTakeFirst();
    if (Number(done.numUpdatedRows) === 0)
      await trx.insertInto('settings').values({ key: def.key, value }).execute();
  }
  return expectedVersion + 1;
}

async function bumpVersion(trx: Q, expected: number, now: Date): Promise<void> {
  const conflict = (current: number) =>
    new AppError('VERSION_CONFLICT', { current, given: expected });
  const row = await trx
    .selectFrom('settings')
    .select('version')
    .where('key', '=', VERSION_KEY)
    .executeTakeFirst();
  if (!row) {
    if (expected !== 1) throw conflict(1);
    // Two first saves racing: the loser hits the primary key and is told to reload.
    await trx
      .insertInto('settings')
      .values({ key: VERSION_KEY, value: JSON.stringify(now.toISOString()), version: 2 })
      .execute()
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? conflict(2) : e;
      });
    return;
  }
  const res = await trx
    .updateTable('settings')
    .set({ value: JSON.stringify(now.toISOString()), version: expected + 1 })
    .where('key', '=', VERSION_KEY)
    .where('version', '=', expected)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) !== 1) throw conflict(row.version);
}
