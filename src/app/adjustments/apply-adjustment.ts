import { sql, type Transaction } from 'kysely';
import { audit } from '../../db/audit.ts';
import type { Database } from '../../db/schema.ts';
import { AppError, isAppError } from '../../domain/errors.ts';
import { activeVersion, runChange } from './change-set.ts';
import type { RequestRow } from './request-store.ts';
import { requestCells } from './request-store.ts';

type Trx = Transaction<Database>;

/**
 * Every cell a request asks for must still hold the value it had when the request was made:
 * otherwise the plan moved under it, and applying would overwrite someone else's change.
 */
export async function assertCellsUnmoved(
  trx: Trx,
  cells: readonly {
    cell_id: number;
    before: number;
    owner_type: string;
    owner_id: number;
    period: string;
  }[],
): Promise<void> {
  for (const c of cells) {
    const now = await trx
      .selectFrom('target_cells')
      .select('value')
      .where('id', '=', c.cell_id)
      .executeTakeFirst();
    if (!now || now.value !== c.before)
      throw new AppError('ADJUSTMENT_PLAN_MOVED', {
        cell: `${c.owner_type}:${c.owner_id} ${c.period}`,
        current: now?.value ?? 0,
        before: c.before,
      });
  }
}

/**
 * Applies an approved request as a revision of the active version, in the approval's transaction:
 * the asked cells through the planner's own cell edit (siblings absorb, the cells below
 * re-spread, closed months stay), stamped with a new cell revision. A cell asked for that moved,
 * or any cell to be written that was stamped by a later edit than the one the request was sent
 * on, refuses the apply (and the approval with it). The audit entry of `target_cells` names the
 * request, so the "why" panel of every changed cell does too.
 */
export async function applyAdjustment(
  trx: Trx,
  r: RequestRow,
  userId: number | null,
  now: Date,
): Promise<{ changed: { cellId: number; before: number; after: number }[] }> {
  await activeVersion(trx, r.plan_version_id);
  const cells = await requestCells(trx, r.id);
  await assertCellsUnmoved(trx, cells);
  const bumped = await trx
    .updateTable('plan_versions')
    .set({ cells_rev: sql`cells_rev + 1` })
    .where('id', '=', r.plan_version_id)
    .returningAll()
    .executeTakeFirstOrThrow();
  let changed;
  try {
    changed = await runChange(
      trx,
      bumped,
      cells.map((c) => ({ cellId: c.cell_id, before: c.before, after: c.after })),
      now,
      { readRev: r.sent_cells_rev ?? bumped.cells_rev - 1, rev: bumped.cells_rev },
    );
  } catch (e) {
    if (isAppError(e) && e.code === 'VERSION_CONFLICT')
      throw new AppError('ADJUSTMENT_PLAN_MOVED', {
        cell: '',
        current: bumped.cells_rev - 1,
        before: r.sent_cells_rev ?? 0,
      });
    throw e;
  }
  await audit(trx, now, {
    userId,
    action: 'adjust',
    entity: 'target_cells',
    entityId: r.plan_version_id,
    before: { adjustmentId: r.id, cells: changed.map((c) => ({ cellId: c.cellId, ...c.before })) },
    after: { adjustmentId: r.id, cells: changed.map((c) => ({ cellId: c.cellId, ...c.after })) },
  });
  return {
    changed: changed
      .filter((c) => c.before.value !== c.after.value)
      .map((c) => ({ cellId: c.cellId, before: c.before.value, after: c.after.value })),
  };
}
