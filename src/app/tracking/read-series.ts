import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';
import { trackingSnapshot, type TrackingSnapshot } from './answer-cache.ts';
import { contextKey, trackingContext, type TrackingContext } from './context.ts';
import { buildSeries } from './series.ts';
import type { Granularity, Series, TrackingQuery } from './types.ts';

/** The cumulative actual-vs-target line by day, week or month (scope checked, answer cached). */
export async function readSeries(
  db: Db,
  actor: Actor,
  input: TrackingQuery & { granularity: Granularity },
  today: string,
): Promise<Series> {
  const snap = await trackingSnapshot(db);
  const ctx = await trackingContext(db, actor, input, today, snap);
  return seriesOf(db, ctx, input.granularity, snap);
}

export function seriesOf(
  db: Db,
  ctx: TrackingContext,
  granularity: Granularity,
  snap: TrackingSnapshot,
): Promise<Series> {
  return snap.answer(`series|${granularity}|${contextKey(ctx)}`, () =>
    buildSeries(db, ctx, granularity),
  );
}
