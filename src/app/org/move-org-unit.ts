import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';
import type { OrgUnitView } from './list-org-units.ts';
import { orgUnitRow } from './list-org-units.ts';
import { updateOrgUnit } from './update-org-unit.ts';

export interface MoveOrgUnitInput {
  id: number;
  parentId: number;
  version: number;
}

/**
 * Moves a unit (with its subtree) under another parent and nothing else: `updateOrgUnit` with the
 * stored fields. The version the caller read guards against an edit in between.
 */
export async function moveOrgUnit(
  db: Db,
  actor: Actor,
  input: MoveOrgUnitInput,
  now: Date,
): Promise<OrgUnitView> {
  const unit = await orgUnitRow(db, input.id);
  return updateOrgUnit(
    db,
    actor,
    {
      id: unit.id,
      parentId: input.parentId,
      code: unit.code,
      nameZh: unit.name_zh,
      nameEn: unit.name_en,
      kind: unit.kind,
      managerMemberId: unit.manager_member_id,
      sortOrder: unit.sort_order,
      version: input.version,
    },
    now,
  );
}
