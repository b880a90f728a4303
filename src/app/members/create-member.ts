import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import type { Tier } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertRole, assertUnitPathWritable } from '../authorize.ts';
import { chinaToday } from '../clock.ts';
import { moveMembership } from './memberships.ts';
import { memberDetail, unitPath, type MemberDetail } from './queries.ts';

export interface MemberFields {
  code: string;
  nameZh: string;
  nameEn: string;
  tier: Tier;
  hireDate: string;
  leaveDate?: string | null | undefined;
  email?: string | null | undefined;
  /** For robot @mentions; undefined on an update keeps the stored value. */
  dingtalkMobile?: string | null | undefined;
  wecomUserId?: string | null | undefined;
}

export interface CreateMemberInput extends MemberFields {
  /** The unit they join on their hire date. */
  unitId: number;
}

/** A new member in `unitId` from their hire date (a manager: a unit inside their subtree). */
export async function createMember(
  db: Db,
  actor: Actor,
  input: CreateMemberInput,
  now: Date,
): Promise<MemberDetail> {
  assertRole(actor, ['admin', 'manager']);
  const id = await db.transaction().execute(async (trx) => {
    assertUnitPathWritable(actor, await unitPath(trx, input.unitId), { strict: false });
    const { id } = await trx
      .insertInto('members')
      .values({
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        tier: input.tier,
        hire_date: input.hireDate,
        leave_date: input.leaveDate ?? null,
        email: input.email ?? null,
        dingtalk_mobile: input.dingtalkMobile || null,
        wecom_user_id: input.wecomUserId || null,
        updated_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch((e: unknown) => {
        throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: input.code }) : e;
      });
    await moveMembership(trx, id, input.unitId, input.hireDate);
    await audit(trx, now, {
      userId: actor.id,
      action: 'create',
      entity: 'member',
      entityId: id,
      after: input,
    });
    return id;
  });
  return memberDetail(db, id, chinaToday(now));
}
