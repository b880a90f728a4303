import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';
import { withDims, keyText } from './keys.ts';
import { splitsOfParents } from './splits.ts';

type Q = Kysely<Database> | Transaction<Database>;

/** A stored split's method and the inputs that say how it was set up (never per-child data). */
export interface StoredMethod {
  method: string;
  inputs: Record<string, unknown>;
}

/** Inputs that describe the method's settings; the rest (history amounts, weights) stay out. */
const SETTINGS = [
  'years',
  'quarterPercentsBp',
  'monthPercentsBp',
  'basis',
  'onMissing',
  'seasonality',
];

/**
 * How the company's year of a metric was decomposed: the method of the root's year → months split
 * and of the root's first month → org split, so the decompose screen previews what the stored
 * plan used instead of a default. Null where nothing was split yet.
 */
export async function storedMethods(
  q: Q,
  versionId: number,
  metricId: number,
  fy: string,
  firstMonth: string,
): Promise<{ time: StoredMethod | null; org: StoredMethod | null }> {
  const root = await q
    .selectFrom('org_units')
    .select('id')
    .where('parent_id', 'is', null)
    .orderBy('id')
    .executeTakeFirst();
  if (!root) return { time: null, org: null };
  const key = (period: string) =>
    keyText(withDims({ ownerType: 'unit', ownerId: root.id, period }));
  const last = async (period: string, axis: 'time' | 'org') => {
    const s = (await splitsOfParents(q, versionId, metricId, [key(period)], axis)).at(-1);
    if (!s) return null;
    const inputs = JSON.parse(s.inputs) as Record<string, unknown>;
    return {
      method: s.method,
      inputs: Object.fromEntries(Object.entries(inputs).filter(([k]) => SETTINGS.includes(k))),
    };
  };
  return { time: await last(fy, 'time'), org: await last(firstMonth, 'org') };
}
