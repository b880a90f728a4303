import type { Db } from '../db/connect.ts';
import { hitRateLimit, pruneRateLimits } from '../db/rate-limits.ts';

type Callback = (err: Error | null, res?: { current: number; ttl: number }) => void;

/**
 * A store for @fastify/rate-limit that keeps its counters in the `rate_limits` table, so several
 * app instances over one database share them (the plugin's default store is per process, which
 * lets an attacker multiply the sign-in allowance by the number of instances). Fixed windows
 * aligned to the clock: hits in [k·window, (k+1)·window) count together.
 */
export function databaseRateLimitStore(db: Db, now: () => Date) {
  return class DatabaseStore {
    private lastPrune = 0;
    constructor(
      _options?: unknown,
      private readonly prefix = 'rl:',
    ) {}

    incr(key: string, cb: Callback, timeWindow: number): void {
      const t = now().getTime();
      const windowStart = t - (t % timeWindow);
      hitRateLimit(db, this.prefix + key, windowStart).then(
        ({ hits, windowStart: start }) => {
          cb(null, { current: hits, ttl: Math.max(start + timeWindow - t, 0) });
          // Now and then, drop this route's counters from windows long gone.
          if (t - this.lastPrune > timeWindow * 10) {
            this.lastPrune = t;
            pruneRateLimits(db, this.prefix, windowStart - timeWindow).catch(() => {});
          }
        },
        (err: Error) => cb(err),
      );
    }

    /** One store per rate-limited route; `routeInfo` is what the plugin passes (not in its types). */
    child(routeOptions: object): DatabaseStore {
      const info = (routeOptions as { routeInfo?: { method?: unknown; url?: string } }).routeInfo;
      return new DatabaseStore(undefined, `rl:${String(info?.method ?? '')} ${info?.url ?? ''}|`);
    }
  };
}
