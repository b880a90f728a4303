import type { Db, DialectName } from '../db/connect.ts';
import type { Role } from '../db/schema.ts';

export type Locale = 'zh-CN' | 'en';

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

/**
 * What a signed-in user may see. `all` for admin, finance and viewer; otherwise the org
 * subtrees they manage (by materialized path prefix) plus their own member record.
 */
export interface Scope {
  all: boolean;
  unitPaths: string[];
  memberId: number | null;
}

export interface AuthUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  memberId: number | null;
  locale: Locale;
  amountUnit: string;
  scope: Scope;
}

declare module 'fastify' {
  interface FastifyRequest {
    user: AuthUser | null;
    locale: Locale;
  }
  interface FastifyContextConfig {
    /** Routes reachable without a session (login, health). */
    public?: boolean;
  }
}
