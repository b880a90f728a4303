import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { OrgKind } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole, assertUnitPathWritable } from '../authorize.ts';
import { chinaToday } from '../clock.ts';
import { listOrgUnits, orgUnitRow, WHOLE_COMPANY, type OrgUnitView } from './list-org-units.ts';
import { assertAppointable, auditAppointment } from './manager-appointment.ts';

export interface OrgUnitFields {
  code: string;
  nameZh: string;
  nameEn: string;
  kind: OrgKind;
  managerMemberId?: number | null | undefined;
  sortOrder?: number | undefined;
}

export interface CreateOrgUnitInput extends OrgUnitFields {
  parentId: number;
}

/** A new unit below `parentId` (a manager: anywhere inside their subtree, their own root included). */
export async function createOrgUnit(
  db: Db,
  actor: Actor,
  input: CreateOrgUnitInput,
  now: Date,
): Promise<OrgUnitView> {
  assertRole(actor, ['admin', 'manager']);
  const id = await db.transaction().execute(async (trx) => {
    const parent = await orgUnitRow(trx, input.parentId);
    assertUnitPathWritable(actor, parent.path, { strict: false });
    await assertAppointable(trx, actor, input.managerMemberId ?? null, chinaToday(now));
    const { id } = await trx
      .insertInto('org_units')
      .values({
        parent_id: parent.id,
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        kind: input.kind,
        manager_member_id: input.managerMemberId ?? null,
        path: '',
        sort_order: input.sortOrder ?? 0,
        updated_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: input.code }) : e;
      });
    await trx
      .updateTable('org_units')
      .set({ path: `${parent.path}${id}/` })
      .where('id', '=', id)
      .execute();
    await audit(trx, now, {
      userId: actor.id,
      action: 'create',
      entity: 'org_unit',
      entityId: id,
      after: input,
    });
    await auditAppointment(trx, now, auditUserId(actor), id, null, input.managerMemberId ?? null);
    return id;
  });
  const [unit] = await listOrgUnits(db, WHOLE_COMPANY, chinaToday(now), id);
  return unit!;
}
