import type { Db, DialectName } from '../db/connect.ts';
import type { Actor, Locale } from '../app/actor.ts';

export type { Actor, Locale, Scope } from '../app/actor.ts';

/** What the server needs from the outside world, injected in one place (`buildApp`). */
export interface AppDeps {
  db: Db;
  /**
   * A connection for reads that may run while a long write (an import) holds `db`: see
   * `Connection.readDb`. Default: `db`. The session lookup of every request uses it.
   */
  readDb?: Db;
  dialect: DialectName;
  /** The clock; tests pass a fixed one. */
  now: () => Date;
  /** Directory of the built web app (served at /); omitted in API-only tests. */
  webRoot?: string;
  logger?: boolean;
  /**
   * Always mark the session cookie `Secure` (COOKIE_SECURE=1). Without it the cookie is `Secure`
   * when the request came over HTTPS: on the socket, or as said by a trusted proxy.
   */
  secureCookies?: boolean;
  /**
   * Whose `X-Forwarded-For` / `-Proto` / `-Host` to believe (TRUST_PROXY, `parseTrustProxy`): a
   * hop count or a comma list of addresses and CIDRs, as Fastify's `trustProxy` takes them.
   * Default: nobody's; the client is the socket's peer, so a forged header cannot pose as
   * another address to the per-IP sign-in limit.
   */
  trustProxy?: number | string;
  /** A session ends after this long without a request (SESSION_IDLE_MINUTES); default 2 h. */
  sessionIdleMs?: number;
  /**
   * Origins besides the app's own that may send state-changing requests (`ALLOWED_ORIGINS`,
   * normalised by `parseAllowedOrigins`). Default: none.
   */
  allowedOrigins?: readonly string[];
  /**
   * The in-process job worker (on unless `worker: false`: tests that drive jobs by hand, or an
   * instance that serves HTTP only while `targetflow worker` processes run the jobs).
   */
  jobs?: { worker?: boolean; pollMs?: number; leaseMs?: number; shutdownGraceMs?: number };
  /** Set by buildApp: wakes this instance's worker after a job was queued (no-op without one). */
  nudgeJobs?: () => void;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** This instance's job worker, when it runs one (`buildApp`). */
    jobWorker?: import('../jobs/worker.ts').Worker;
  }
  interface FastifyRequest {
    user: Actor | null;
    locale: Locale;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a session (login, health). */
    public?: boolean;
    /** Health and readiness probes: no session lookup, so they never touch the database for it. */
    probe?: boolean;
  }
}
