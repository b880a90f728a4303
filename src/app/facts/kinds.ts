import { AppError } from '../../domain/errors.ts';
import { activitiesKind } from './activities.ts';
import { collectionsKind } from './collections.ts';
import type { FactKind, FactKindName } from './kind.ts';
import { leadsKind } from './leads.ts';
import { opportunitiesKind } from './opportunities.ts';
import { ordersKind } from './orders.ts';

/** Every kind of fact, by its URL/CLI name. */
export const factKinds: Record<FactKindName, FactKind> = {
  orders: ordersKind as unknown as FactKind,
  collections: collectionsKind as unknown as FactKind,
  leads: leadsKind as unknown as FactKind,
  opportunities: opportunitiesKind as unknown as FactKind,
  activities: activitiesKind as unknown as FactKind,
};

export const factKindNames = Object.keys(factKinds) as FactKindName[];

export function factKindOf(name: string): FactKind {
  const kind = (factKinds as Record<string, FactKind | undefined>)[name];
  if (!kind) throw new AppError('ENUM_INVALID', { value: name, allowed: factKindNames.join(', ') });
  return kind;
}
