import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { rerootDescendants } from '../../db/tree-paths.ts';
import { moveUnitRollups } from '../../db/unit-rollups.ts';
import { isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole, assertUnitPathWritable } from '../authorize.ts';
import { chinaToday } from '../clock.ts';
import type { OrgUnitFields } from './create-org-unit.ts';
import { assertAppointable, auditAppointment } from './manager-appointment.ts';
import { listOrgUnits, orgUnitRow, WHOLE_COMPANY, type OrgUnitView } from './list-org-units.ts';

export interface UpdateOrgUnitInput extends OrgUnitFields {
  id: number;
  /** A different parent moves the unit with its subtree (null: refused, there is one root). */
  parentId: number | null;
  version: number;
}

/**
 * Renames, re-staffs or moves a unit. A manager may change units below their own root, not the
 * root itself, and may move one only to a parent inside their subtree. A move re-roots every
 * descendant's path and carries the subtree's sales over to its new ancestors' rollups.
 */
export async function updateOrgUnit(
  db: Db,
  actor: Actor,
  input: UpdateOrgUnitInput,
  now: Date,
): Promise<OrgUnitView> {
  assertRole(actor, ['admin', 'manager']);
  await db.transaction().execute(async (trx) => {
    const before = await orgUnitRow(trx, input.id);
    assertUnitPathWritable(actor, before.path, { strict: true });
    const managerMemberId = input.managerMemberId ?? null;
    if (managerMemberId !== before.manager_member_id)
      await assertAppointable(trx, actor, managerMemberId, chinaToday(now));
    const moving = input.parentId !== before.parent_id;
    let newPath = before.path;
    if (moving) {
      if (input.parentId === null) throw new AppError('ORG_ROOT_REQUIRED');
      const parent = await orgUnitRow(trx, input.parentId);
      if (parent.path.startsWith(before.path)) throw new AppError('ORG_CYCLE');
      assertUnitPathWritable(actor, parent.path, { strict: false });
      newPath = `${parent.path}${before.id}/`;
    }
    await updateVersioned(
      trx,
      'org_units',
      before.id,
      input.version,
      {
        parent_id: input.parentId,
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        kind: input.kind,
        manager_member_id: managerMemberId,
        sort_order: input.sortOrder ?? before.sort_order,
        path: newPath,
        updated_at: now.toISOString(),
      },
      'org_unit',
    ).catch((e: unknown) => {
      throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: input.code }) : e;
    });
    if (moving) {
      // Re-root every descendant's path in one statement; the subtree's sales change ancestors.
      await rerootDescendants(trx, 'org_units', before, newPath);
      await moveUnitRollups(trx, before.id, before.path, newPath);
    }
    const { id: _id, ...after } = input;
    await audit(trx, now, {
      userId: actor.id,
      action: moving ? 'move' : 'update',
      entity: 'org_unit',
      entityId: before.id,
      before,
      after: { ...after, path: newPath },
    });
    await auditAppointment(
      trx,
      now,
      auditUserId(actor),
      before.id,
      before.manager_member_id,
      managerMemberId,
    );
  });
  const [unit] = await listOrgUnits(db, WHOLE_COMPANY, chinaToday(now), input.id);
  return unit!;
}
