import type { Db } from '../../db/connect.ts';
import type { VersionRow } from '../../db/plans/versions.ts';
import type { Actor } from '../actor.ts';
import { readPlans, type PlanView } from './read-plan-versions.ts';

/**
 * Whether `actor` sees a version in the plan list. A draft is the planners' work in progress
 * (admins and managers edit it; finance and viewers read everything): a rep reads targets once
 * the director has submitted them, so the list never offers a rep a number that may still move.
 */
export function listsVersion(actor: Actor, status: VersionRow['status']): boolean {
  return actor.role !== 'rep' || status !== 'draft';
}

/** The plan list as `actor` may see it: every plan, each with the versions they may read. */
export async function listPlans(db: Db, actor: Actor): Promise<PlanView[]> {
  return (await readPlans(db)).map((p) => ({
    ...p,
    versions: p.versions.filter((v) => listsVersion(actor, v.status)),
  }));
}
