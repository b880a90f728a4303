import type { Migration } from 'kysely';
import * as m0001 from './0001-foundation.ts';
import * as m0002 from './0002-planning.ts';
import * as m0003 from './0003-facts.ts';
import * as m0004 from './0004-planning-indexes.ts';
import * as m0005 from './0005-unit-rollups.ts';
import * as m0006 from './0006-tracking-indexes.ts';
import * as m0007 from './0007-reference-generation.ts';
import * as m0008 from './0008-member-rollups-member-first.ts';
import * as m0009 from './0009-customer-firsts.ts';
import * as m0010 from './0010-rollups-period-first.ts';
import * as m0011 from './0011-service-core.ts';
import * as m0012 from './0012-plan-cell-revisions.ts';
import * as m0014 from './0014-product-line-generation.ts';
import * as m0015 from './0015-session-last-seen.ts';
import * as m0016 from './0016-alerts.ts';

/**
 * Every migration, in order. A static list (not a folder scan) so the set is the same under tsx,
 * a bundler or tests. Landed migrations are never edited: add a new file.
 */
export const migrations: Record<string, Migration> = {
  '0001-foundation': m0001,
  '0002-planning': m0002,
  '0003-facts': m0003,
  '0004-planning-indexes': m0004,
  '0005-unit-rollups': m0005,
  '0006-tracking-indexes': m0006,
  '0007-reference-generation': m0007,
  '0008-member-rollups-member-first': m0008,
  '0009-customer-firsts': m0009,
  '0010-rollups-period-first': m0010,
  '0011-service-core': m0011,
  '0012-plan-cell-revisions': m0012,
  '0014-product-line-generation': m0014,
  '0015-session-last-seen': m0015,
  '0016-alerts': m0016,
};
