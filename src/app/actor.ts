import type { Role } from '../db/schema.ts';

export type { Locale } from '../i18n/translate.ts';
import type { Locale } from '../i18n/translate.ts';

/**
 * What a signed-in user may see. `all` for admin, finance and viewer; otherwise the org
 * subtrees they manage (by materialized path prefix) plus their own member record.
 */
export interface Scope {
  all: boolean;
  unitPaths: string[];
  memberId: number | null;
}

/**
 * The acting user of an operation, whoever calls it (a route, the CLI, a job, an approval).
 * Every operation in `src/app` takes one and checks its scope before it writes.
 */
export interface Actor {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  memberId: number | null;
  locale: Locale;
  amountUnit: string;
  scope: Scope;
}

/** The id of the system actor: the CLI and jobs acting without a signed-in user. */
export const SYSTEM_ACTOR_ID = 0;

/** An admin-scoped actor for the CLI and jobs; its audit entries name no user (`auditUserId`). */
export function systemActor(locale: Locale = 'zh-CN'): Actor {
  const scope = { all: true, unitPaths: [], memberId: null };
  return {
    id: SYSTEM_ACTOR_ID,
    username: 'system',
    displayName: 'system',
    role: 'admin',
    memberId: null,
    locale,
    amountUnit: 'wan',
    scope,
  };
}

/** The audit log's user id for an actor: null for the system actor (no such user row). */
export function auditUserId(actor: Actor): number | null {
  return actor.id === SYSTEM_ACTOR_ID ? null : actor.id;
}
