import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { orDuplicate } from '../../db/versioned.ts';
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

/** Creates a customer; a manager only for an owner inside their subtree. The tier is computed. */
export async function createCustomer(
  db: Db,
  actor: Actor,
  input: CustomerInput,
  now: Date,
): Promise<Customer> {
  assertRole(actor, ['admin', 'manager']);
  const id = await db.transaction().execute(async (trx) => {
    await assertOwnerWritable(trx, actor, input.ownerMemberId, chinaToday(now));
    await assertReferences(trx, input);
    const tier = await tierFor(trx, input.annualPurchase);
    const { id } = await trx
      .insertInto('customers')
      .values({ ...customerColumns(input), tier, updated_at: now.toISOString() })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(orDuplicate(input.code));
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'create',
      entity: 'customer',
      entityId: id,
      after: { ...input, tier },
    });
    return id;
  });
  return customerById(db, id);
}
