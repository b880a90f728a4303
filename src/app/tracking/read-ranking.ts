import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';
import { trackingSnapshot, type TrackingSnapshot } from './answer-cache.ts';
import { contextKey, trackingContext, type TrackingContext } from './context.ts';
import { buildRanking } from './ranking.ts';
import type { Ranking, RankingBy, RankingOrder, TrackingQuery } from './types.ts';

/** A unit's members or child units ranked, with the 271 bands and tiers (scope checked, answer cached). */
export async function readRanking(
  db: Db,
  actor: Actor,
  input: TrackingQuery & { by: RankingBy; rankBy: RankingOrder },
  today: string,
): Promise<Ranking> {
  const snap = await trackingSnapshot(db);
  const ctx = await trackingContext(db, actor, input, today, snap);
  return rankingOf(db, ctx, input.by, input.rankBy, snap);
}

export function rankingOf(
  db: Db,
  ctx: TrackingContext,
  by: RankingBy,
  rankBy: RankingOrder,
  snap: TrackingSnapshot,
): Promise<Ranking> {
  return snap.answer(`ranking|${by}|${rankBy}|${contextKey(ctx)}`, () =>
    buildRanking(db, ctx, by, rankBy),
  );
}
