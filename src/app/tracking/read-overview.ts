import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';
import { trackingSnapshot, type TrackingSnapshot } from './answer-cache.ts';
import { contextKey, trackingContext, type TrackingContext } from './context.ts';
import { buildOverview } from './overview.ts';
import type { Overview, TrackingQuery } from './types.ts';

/**
 * A unit's or member's overview over a period (target, actual, attainment, progress, gap,
 * run-rate, tiers, growth, funnel, forecasts). The node is checked against the actor's scope on
 * every call; the answer itself is the node's, cached until a generation moves. The returned
 * object is shared with other callers: read it, never change it.
 */
export async function readOverview(
  db: Db,
  actor: Actor,
  input: TrackingQuery,
  today: string,
): Promise<Overview> {
  const snap = await trackingSnapshot(db);
  return overviewOf(db, await trackingContext(db, actor, input, today, snap), snap);
}

/** The overview of an authorized context, from the cache or built once. */
export function overviewOf(
  db: Db,
  ctx: TrackingContext,
  snap: TrackingSnapshot,
): Promise<Overview> {
  return snap.answer(`overview|${contextKey(ctx)}`, () => buildOverview(db, ctx));
}
