import { sql } from 'kysely';
import type { Db } from './connect.ts';

/**
 * Counts one hit on `key` in the fixed window starting at `windowStart` (epoch ms) and returns the
 * hits in that window so far. One statement (insert … on conflict do update), so instances that
 * share the database count together and never lose a hit to a read-modify-write race. A hit from
 * a later window restarts the count; one from an earlier window (a lagging clock) joins the current.
 */
export async function hitRateLimit(
  db: Db,
  key: string,
  windowStart: number,
): Promise<{ hits: number; windowStart: number }> {
  const newer = sql<boolean>`excluded.window_start > rate_limits.window_start`;
  const row = await db
    .insertInto('rate_limits')
    .values({ key, window_start: windowStart, hits: 1 })
    .onConflict((oc) =>
      oc.column('key').doUpdateSet({
        hits: sql`case when ${newer} then 1 else rate_limits.hits + 1 end`,
        window_start: sql`case when ${newer} then excluded.window_start else rate_limits.window_start end`,
      }),
    )
    .returning(['hits', 'window_start'])
    .executeTakeFirstOrThrow();
  return { hits: Number(row.hits), windowStart: Number(row.window_start) };
}

/** Forgets counters whose window started before `before` (epoch ms): they can no longer refuse. */
export async function pruneRateLimits(db: Db, prefix: string, before: number): Promise<void> {
  await db
    .deleteFrom('rate_limits')
    .where('key', 'like', `${prefix}%`)
    .where('window_start', '<', before)
    .execute();
}
