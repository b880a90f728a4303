import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';
import { trackingSnapshot, type TrackingSnapshot } from './answer-cache.ts';
import { buildBreakdown } from './breakdown.ts';
import { contextKey, trackingContext, type TrackingContext } from './context.ts';
import type { Breakdown, BreakdownBy, TrackingQuery } from './types.ts';

/** The structure of the actual by a dimension, against the plan's targets (scope checked, answer cached). */
export async function readBreakdown(
  db: Db,
  actor: Actor,
  input: TrackingQuery & { by: BreakdownBy },
  today: string,
): Promise<Breakdown> {
  const snap = await trackingSnapshot(db);
  const ctx = await trackingContext(db, actor, input, today, snap);
  return breakdownOf(db, ctx, input.by, snap);
}

export function breakdownOf(
  db: Db,
  ctx: TrackingContext,
  by: BreakdownBy,
  snap: TrackingSnapshot,
): Promise<Breakdown> {
  return snap.answer(`breakdown|${by}|${contextKey(ctx)}`, () => buildBreakdown(db, ctx, by));
}
