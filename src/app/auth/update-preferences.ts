import type { Db } from '../../db/connect.ts';
import type { Actor, Locale } from '../actor.ts';

/** The actor's own language and amount unit; returns the actor as it now is. */
export async function updatePreferences(
  db: Db,
  actor: Actor,
  input: { locale?: Locale; amountUnit?: string },
): Promise<Actor> {
  const set: { locale?: string; amount_unit?: string } = {};
  if (input.locale) set.locale = input.locale;
  if (input.amountUnit) set.amount_unit = input.amountUnit;
  if (Object.keys(set).length)
    await db.updateTable('users').set(set).where('id', '=', actor.id).execute();
  return {
    ...actor,
    locale: input.locale ?? actor.locale,
    amountUnit: input.amountUnit ?? actor.amountUnit,
  };
}
