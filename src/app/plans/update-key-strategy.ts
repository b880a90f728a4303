import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { cellById } from '../../db/plans/cells.ts';
import { getVersion } from '../../db/plans/versions.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertOwnerReadable, isDirector } from './access.ts';

export interface UpdateKeyStrategyInput {
  versionId: number;
  cellId: number;
  keyStrategy: string;
}

/**
 * Writes the key strategy (关键策略) beside a target of the monthly table, on a draft or on the
 * active version (a strategy is not a number). The director anywhere, a manager in their subtree.
 */
export async function updateKeyStrategy(
  db: Db,
  actor: Actor,
  input: UpdateKeyStrategyInput,
  now: Date,
): Promise<{ cellId: number; keyStrategy: string | null }> {
  const director = await isDirector(db, actor);
  if (!director && actor.role !== 'manager') throw new AppError('FORBIDDEN');
  const keyStrategy = input.keyStrategy || null;
  await db.transaction().execute(async (trx) => {
    const cell = await cellById(trx, input.cellId);
    if (cell.version_id !== input.versionId)
      throw new AppError('NOT_FOUND', { entity: 'target_cell' });
    const { version: v } = await getVersion(trx, cell.version_id);
    if (v.status !== 'draft' && v.status !== 'active')
      throw new AppError('PLAN_NOT_EDITABLE', { status: v.status, number: v.number });
    if (!director)
      await assertOwnerReadable(
        trx,
        { ...actor, scope: { ...actor.scope, memberId: null } },
        cell.owner_type,
        cell.owner_id,
      );
    await trx
      .updateTable('target_cells')
      .set({ note: keyStrategy })
      .where('id', '=', cell.id)
      .execute();
    await audit(trx, now, {
      userId: actor.id,
      action: 'update',
      entity: 'target_cell',
      entityId: cell.id,
      before: { note: cell.note },
      after: { note: input.keyStrategy },
    });
  });
  return { cellId: input.cellId, keyStrategy };
}
