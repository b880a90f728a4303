import type { Db } from '../../db/connect.ts';
import { generationReader, type Generations } from '../../db/generations.ts';

/** Answers kept per database (each a few kB; a dashboard page asks for a handful). */
export const MAX_ANSWERS = 2000;
/** Lookups (a node, a setting, a filter's name) kept per generation before starting afresh. */
const MAX_LOOKUPS = 20000;

/**
 * What the tracking reads may reuse while nothing they read has changed: one per pair of
 * generations (`data_generation`, `reference_generation`), so the generations are part of every
 * key, and a change to any table behind an answer (facts through their batch, plans, settings,
 * the calendar, metrics, the org, members, customers, products, dimensions) makes a new one.
 *
 * - `answer(key, build)`: a whole answer — the unscoped answer for a node, keyed by everything it
 *   depends on (node, period, metric, asOf, today, slice, table options); the caller checks the
 *   request's scope BEFORE asking. A bounded LRU; a build in flight is shared by every request
 *   asking for the same key, so a cold cache under load computes each answer once.
 * - `lookup(key, load)`: the small reads of resolving a request (a unit's path, a member's units,
 *   the fiscal year's first month), in flight or done.
 *
 * A failed build or load is forgotten, not cached.
 */
export class TrackingSnapshot {
  private readonly answers = new Map<string, Promise<unknown>>();
  private readonly lookups = new Map<string, Promise<unknown>>();

  constructor(
    readonly generations: Generations,
    /** false for a snapshot of generations older than the newest seen: computed, never kept. */
    private readonly keep: boolean,
  ) {}

  answer<T>(key: string, build: () => Promise<T>): Promise<T> {
    if (!this.keep) return build();
    const hit = this.answers.get(key);
    if (hit) {
      // Least recently used goes first: a hit moves to the end.
      this.answers.delete(key);
      this.answers.set(key, hit);
      return hit as Promise<T>;
    }
    const p = build();
    this.answers.set(key, p);
    p.catch(() => {
      if (this.answers.get(key) === p) this.answers.delete(key);
    });
    if (this.answers.size > MAX_ANSWERS) this.answers.delete(this.answers.keys().next().value!);
    return p;
  }

  lookup<T>(key: string, load: () => Promise<T>): Promise<T> {
    if (!this.keep) return load();
    const hit = this.lookups.get(key);
    if (hit) return hit as Promise<T>;
    if (this.lookups.size >= MAX_LOOKUPS) this.lookups.clear();
    const p = load();
    this.lookups.set(key, p);
    p.catch(() => {
      if (this.lookups.get(key) === p) this.lookups.delete(key);
    });
    return p;
  }

  /** How many answers are kept (for tests and the bench). */
  get size(): number {
    return this.answers.size;
  }
}

interface PerDb {
  read: () => Promise<Generations>;
  current: TrackingSnapshot | null;
}

const perDb = new WeakMap<Db, PerDb>();

const newer = (a: Generations, b: Generations) => a.data > b.data || a.reference > b.reference;
const same = (a: Generations, b: Generations) => a.data === b.data && a.reference === b.reference;

/**
 * The snapshot for this request: both generations read in one statement, by a read that started
 * after the request arrived (`generationReader`), so a change committed before the request is
 * always seen — no time-to-live. Only the newest generations' snapshot is kept; when they move,
 * the old answers go all at once.
 */
export async function trackingSnapshot(db: Db): Promise<TrackingSnapshot> {
  let state = perDb.get(db);
  if (!state) perDb.set(db, (state = { read: generationReader(db), current: null }));
  const gens = await state.read();
  const cur = state.current;
  if (cur && same(cur.generations, gens)) return cur;
  if (cur && !newer(gens, cur.generations)) return new TrackingSnapshot(gens, false);
  state.current = new TrackingSnapshot(gens, true);
  return state.current;
}
