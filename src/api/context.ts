import type { Db, DialectName } from '../db/connect.ts';
import type { Actor, Locale } from '../app/actor.ts';

export type { Actor, Locale, Scope } from '../app/actor.ts';

/** What the server needs from the outside world, injected in one place (`buildApp`). */
export interface AppDeps {
  db: Db;
  dialect: DialectName;
  /** The clock; tests pass a fixed one. */
  now: () => Date;
  /** Directory of the built web app (served at /); omitted in API-only tests. */
  webRoot?: string;
  logger?: boolean;
  /** Secure cookies (set when served over HTTPS). */
  secureCookies?: boolean;
}

declare module 'fastify' {
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
