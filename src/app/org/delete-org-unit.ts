import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertRole, assertUnitPathWritable } from '../authorize.ts';
import { orgUnitRow } from './list-org-units.ts';

/** Fact tables whose rows are credited to an org unit. */
const FACT_TABLES = ['order_lines', 'collections', 'leads', 'opportunities', 'activities'] as const;

/**
 * Deletes an empty unit: no child units, no membership (past or present), no facts credited to
 * it and no targets set on it. A manager may delete units below their own root.
 */
export async function deleteOrgUnit(
  db: Db,
  actor: Actor,
  input: { id: number; version: number },
  now: Date,
): Promise<void> {
  assertRole(actor, ['admin', 'manager']);
  await db.transaction().execute(async (trx) => {
    const before = await orgUnitRow(trx, input.id);
    assertUnitPathWritable(actor, before.path, { strict: true });
    if (before.parent_id === null) throw new AppError('ORG_ROOT_REQUIRED');
    const child = await trx
      .selectFrom('org_units')
      .select('id')
      .where('parent_id', '=', before.id)
      .executeTakeFirst();
    const member = await trx
      .selectFrom('member_units')
      .select('id')
      .where('org_unit_id', '=', before.id)
      .executeTakeFirst();
    if (child || member) throw new AppError('ORG_HAS_CHILDREN');
    // Actuals credited to the unit itself (a territory without reps) or targets set on it would
    // be left pointing at nothing, and its rollups would no longer match the facts.
    for (const table of FACT_TABLES) {
      const fact = await trx
        .selectFrom(table)
        .select('id')
        .where('org_unit_id', '=', before.id)
        .executeTakeFirst();
      if (fact) throw new AppError('ORG_HAS_DATA');
    }
    const target = await trx
      .selectFrom('target_cells')
      .select('id')
      .where('owner_type', '=', 'unit')
      .where('owner_id', '=', before.id)
      .executeTakeFirst();
    if (target) throw new AppError('ORG_HAS_DATA');
    if (before.version !== input.version)
      throw new AppError('VERSION_CONFLICT', { current: before.version, given: input.version });
    await trx
      .deleteFrom('org_units')
      .where('id', '=', before.id)
      .where('version', '=', input.version)
      .execute();
    await audit(trx, now, {
      userId: actor.id,
      action: 'delete',
      entity: 'org_unit',
      entityId: before.id,
      before,
    });
  });
}
