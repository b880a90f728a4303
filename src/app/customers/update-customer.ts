import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { orDuplicate, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { chinaToday } from '../clock.ts';
import {
  assertOwnerWritable,
  assertReferences,
  customerColumns,
  tierFor,
  type CustomerInput,
} from './checks.ts';
import { customerById, type Customer } from './queries.ts';

export interface UpdateCustomerInput extends CustomerInput {
  id: number;
  /** The version the client read; a stale one is VERSION_CONFLICT. */
  version: number;
}

/**
 * Edits a customer if it still has the version the client read. A manager must be able to edit
 * both the current and the new owner: no taking customers from, or giving them to, other teams.
 * The owner checked is the one of the version written (the update names that version).
 */
export async function updateCustomer(
  db: Db,
  actor: Actor,
  input: UpdateCustomerInput,
  now: Date,
): Promise<Customer> {
  assertRole(actor, ['admin', 'manager']);
  const { id, ...body } = input;
  await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('customers')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!before) throw new AppError('NOT_FOUND', { entity: 'customer' });
    const today = chinaToday(now);
    await assertOwnerWritable(trx, actor, before.owner_member_id, today);
    await assertOwnerWritable(trx, actor, input.ownerMemberId, today);
    if (before.version !== input.version)
      throw new AppError('VERSION_CONFLICT', { current: before.version, given: input.version });
    await assertReferences(trx, input);
    const tier = await tierFor(trx, input.annualPurchase);
    await updateVersioned(
      trx,
      'customers',
      id,
      input.version,
      { ...customerColumns(input), tier, updated_at: now.toISOString() },
      'customer',
    ).catch(orDuplicate(input.code));
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'update',
      entity: 'customer',
      entityId: id,
      before,
      after: { ...body, tier },
    });
  });
  return customerById(db, id);
}
