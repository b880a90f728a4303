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
