import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertMemberWritable, assertRole } from '../authorize.ts';
import { chinaToday } from '../clock.ts';
import type { MemberFields } from './create-member.ts';
import { memberDetail, type MemberDetail } from './queries.ts';

export interface UpdateMemberInput extends MemberFields {
  id: number;
  version: number;
}

/** Edits a member's own fields (not their unit: that is a transfer). */
export async function updateMember(
  db: Db,
  actor: Actor,
  input: UpdateMemberInput,
  now: Date,
): Promise<MemberDetail> {
  assertRole(actor, ['admin', 'manager']);
  const today = chinaToday(now);
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('members')
      .selectAll()
      .where('id', '=', input.id)
      .executeTakeFirst();
    if (!before) throw new AppError('NOT_FOUND', { entity: 'member' });
    await assertMemberWritable(trx, actor, before.id, today);
    await updateVersioned(
      trx,
      'members',
      before.id,
      input.version,
      {
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        tier: input.tier,
        hire_date: input.hireDate,
        leave_date: input.leaveDate ?? null,
        email: input.email ?? null,
        ...(input.dingtalkMobile !== undefined
          ? { dingtalk_mobile: input.dingtalkMobile || null }
          : {}),
        ...(input.wecomUserId !== undefined ? { wecom_user_id: input.wecomUserId || null } : {}),
        updated_at: now.toISOString(),
      },
      'member',
    ).catch((e: unknown) => {
      throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: input.code }) : e;
    });
    const { id: _id, ...after } = input;
    await audit(trx, now, {
      userId: actor.id,
      action: 'update',
      entity: 'member',
      entityId: before.id,
      before,
      after,
    });
  });
  return memberDetail(db, input.id, today);
}
