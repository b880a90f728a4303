import { createHash, randomBytes } from 'node:crypto';
import type { Db } from '../../db/connect.ts';
import type { Actor, Locale, Scope } from '../actor.ts';

export const SESSION_COOKIE = 'tf_session';
/** A session's absolute lifetime: it ends this long after sign-in, however busy. */
export const SESSION_TTL_MS = 7 * 24 * 3600 * 1000;
/** A session also ends after this long without a request (SESSION_IDLE_MINUTES overrides it). */
export const DEFAULT_SESSION_IDLE_MS = 120 * 60_000;
/** `last_seen_at` moves at most this often per session: a busy user costs one write a minute. */
export const LAST_SEEN_STEP_MS = 60_000;

/** Only a hash of the token is stored, so a leaked database cannot be used to sign in. */
function tokenId(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Db,
  userId: number,
  now: Date,
): Promise<{ token: string; expires: Date }> {
  const token = randomBytes(32).toString('base64url');
  const expires = new Date(now.getTime() + SESSION_TTL_MS);
  await db
    .insertInto('sessions')
    .values({
      id: tokenId(token),
      user_id: userId,
      created_at: now.toISOString(),
      expires_at: expires.toISOString(),
      last_seen_at: now.toISOString(),
    })
    .execute();
  return { token, expires };
}

export async function deleteSession(db: Db, token: string): Promise<void> {
  const id = tokenId(token);
  await db.deleteFrom('sessions').where('id', '=', id).execute();
  sessionCacheOf(db).forget(id);
}

/**
 * How long this process trusts a session it has looked up without asking the database again.
 * Sessions live in the database so that any instance can validate them; within this process a
 * logout, a password change and any other write through the API forget the cached sessions at
 * once (`forgetSessions`), but another instance sees a logout — or a role, scope or account
 * change made elsewhere — only when its own cached entry expires, at most this long after.
 */
export const SESSION_CACHE_TTL_MS = 5000;
const MAX_CACHED_SESSIONS = 10000;

interface CachedSession {
  actor: Actor;
  /** The session's own expiry (ISO), checked against the injected clock on every use. */
  expiresAt: string;
  /** Its last use as far as this process knows (ISO); moved here when a touch is sent. */
  lastSeenAt: string;
  /** performance.now() when looked up: the cache's own clock, not the injected one. */
  at: number;
}

/** Token hash → actor, per database handle (a test's app and the server each have their own). */
class SessionCache {
  private readonly entries = new Map<string, CachedSession>();
  /** Moved by every forget: a lookup that started before it must not store what it read. */
  epoch = 0;

  /** Last-seen writes in flight (`settleSessionTouches`). */
  readonly touches = new Set<Promise<void>>();

  get(id: string): CachedSession | undefined {
    const e = this.entries.get(id);
    if (!e) return undefined;
    if (performance.now() - e.at > SESSION_CACHE_TTL_MS) {
      this.entries.delete(id);
      return undefined;
    }
    return e;
  }

  set(id: string, entry: CachedSession, epoch: number): void {
    if (epoch !== this.epoch) return;
    if (this.entries.size >= MAX_CACHED_SESSIONS)
      this.entries.delete(this.entries.keys().next().value!);
    this.entries.set(id, entry);
  }

  forget(id?: string): void {
    this.epoch++;
    if (id === undefined) this.entries.clear();
    else this.entries.delete(id);
  }
}

const sessionCaches = new WeakMap<Db, SessionCache>();

function sessionCacheOf(db: Db): SessionCache {
  let c = sessionCaches.get(db);
  if (!c) sessionCaches.set(db, (c = new SessionCache()));
  return c;
}

/**
 * Forgets every session this process has cached for `db`: after a change to users, roles,
 * passwords or the org (scope), the next request of each session reads it again.
 */
export function forgetSessions(db: Db): void {
  sessionCacheOf(db).forget();
}

export interface SessionOptions {
  /** Idle timeout; default DEFAULT_SESSION_IDLE_MS. */
  idleMs?: number;
  /**
   * Where `last_seen_at` is written: the write connection, when `db` is a read-only one. Default
   * `db`.
   */
  touchDb?: Db;
}

/**
 * The actor of a session token, or null (unknown, past its absolute expiry, idle for longer than
 * `idleMs`, or the account is inactive). Served from the per-process cache for up to
 * SESSION_CACHE_TTL_MS; see there for what that means.
 *
 * A session in use has `last_seen_at` moved to `now` once it is LAST_SEEN_STEP_MS old. That
 * write is not awaited: the request must not wait behind an import holding the write
 * connection, and a touch landing late costs at most that much of a two-hour idle allowance.
 */
export async function userForSession(
  db: Db,
  token: string,
  now: Date,
  opts: SessionOptions = {},
): Promise<Actor | null> {
  const id = tokenId(token);
  // The cache belongs to the write connection even when the lookup reads elsewhere: that is the
  // connection logouts and other writes forget it on.
  const writeDb = opts.touchDb ?? db;
  const cache = sessionCacheOf(writeDb);
  let entry = cache.get(id);
  if (entry === undefined) {
    const epoch = cache.epoch;
    const found = await lookUpSession(db, id);
    if (!found) return null;
    entry = { ...found, at: performance.now() };
    cache.set(id, entry, epoch);
  }
  const at = now.toISOString();
  const idleMs = opts.idleMs ?? DEFAULT_SESSION_IDLE_MS;
  if (entry.expiresAt <= at) return null;
  if (Date.parse(entry.lastSeenAt) + idleMs <= now.getTime()) return null;
  if (Date.parse(entry.lastSeenAt) + LAST_SEEN_STEP_MS <= now.getTime()) {
    entry.lastSeenAt = at;
    touchSession(cache, writeDb, id, at);
  }
  return entry.actor;
}

function touchSession(cache: SessionCache, db: Db, id: string, at: string): void {
  const write = db
    .updateTable('sessions')
    .set({ last_seen_at: at })
    .where('id', '=', id)
    // Never backwards: another instance may have moved it later already.
    .where((eb) => eb.or([eb('last_seen_at', 'is', null), eb('last_seen_at', '<', at)]))
    .execute()
    .then(
      () => undefined,
      // A lost touch only shortens the idle allowance by a minute; the request is answered.
      () => undefined,
    )
    .finally(() => cache.touches.delete(write));
  cache.touches.add(write);
}

/** Waits for the last-seen writes in flight for sessions looked up through `db` (tests). */
export async function settleSessionTouches(db: Db): Promise<void> {
  await Promise.all([...sessionCacheOf(db).touches]);
}

async function lookUpSession(
  db: Db,
  id: string,
): Promise<{ actor: Actor; expiresAt: string; lastSeenAt: string } | null> {
  const row = await db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .select([
      'users.id',
      'users.username',
      'users.display_name',
      'users.role',
      'users.member_id',
      'users.locale',
      'users.amount_unit',
      'users.active',
      'sessions.expires_at',
      'sessions.created_at',
      'sessions.last_seen_at',
    ])
    .where('sessions.id', '=', id)
    .executeTakeFirst();
  if (!row || row.active !== 1) return null;
  const actor: Actor = {
    id: row.id,
    username: row.username,
    displayName: row.display_name,
    role: row.role,
    memberId: row.member_id,
    locale: row.locale === 'en' ? 'en' : 'zh-CN',
    amountUnit: row.amount_unit,
    scope: await scopeFor(db, row.role, row.member_id),
  };
  return { actor, expiresAt: row.expires_at, lastSeenAt: row.last_seen_at ?? row.created_at };
}

/**
 * Admin, finance and viewer read everything. A manager sees the subtrees of every unit they
 * manage; a rep sees only themself. (Write permissions are narrower; see `authorize.ts`.)
 */
export async function scopeFor(
  db: Db,
  role: Actor['role'],
  memberId: number | null,
): Promise<Scope> {
  if (role === 'admin' || role === 'finance' || role === 'viewer') {
    return { all: true, unitPaths: [], memberId };
  }
  if (role === 'manager' && memberId !== null) {
    const managed = await db
      .selectFrom('org_units')
      .select('path')
      .where('manager_member_id', '=', memberId)
      .orderBy('path')
      .execute();
    // Drop paths nested inside another managed path: one prefix covers them.
    const paths: string[] = [];
    for (const { path } of managed) if (!paths.some((p) => path.startsWith(p))) paths.push(path);
    return { all: false, unitPaths: paths, memberId };
  }
  return { all: false, unitPaths: [], memberId };
}

/**
 * The language of an `x-locale` or `Accept-Language` value: the first of English and Chinese in
 * the header's order of preference (`q`), so `fr, en;q=0.8` is English; Chinese when neither.
 */
export function pickLocale(header: string | undefined): Locale {
  if (!header) return 'zh-CN';
  const ranked = header
    .split(',')
    .map((part, i) => {
      const [tag = '', ...params] = part.split(';').map((p) => p.trim().toLowerCase());
      const q = params.find((p) => p.startsWith('q='));
      return { tag, q: q === undefined ? 1 : Number(q.slice(2)), i };
    })
    .filter((r) => r.tag && r.q > 0)
    .sort((a, b) => b.q - a.q || a.i - b.i);
  for (const { tag } of ranked) {
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  }
  return 'zh-CN';
}
