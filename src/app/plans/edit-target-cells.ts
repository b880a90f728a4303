import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { editCells, type CellEdit, type EditedCell } from '../../db/plans/edit-cells.ts';
import { beginCellEdit } from '../../db/plans/versions.ts';
import type { Actor } from '../actor.ts';
import { assertTargetWritable } from './access.ts';

export interface EditTargetCellsInput {
  versionId: number;
  /** The version's whole-version `version` the client read (transitions, settings, decompositions). */
  version: number;
  /** The version's `cells_rev` the client read its cells at (the grid answers it with the cells). */
  cellsRev: number;
  edits: readonly CellEdit[];
}

export interface EditTargetCellsResult {
  version: number;
  /** The version's `cells_rev` after this edit: the client's next read point. */
  cellsRev: number;
  changed: EditedCell[];
}

/**
 * Edits cells of a draft (the grid): a new value locks the cell and its unlocked siblings absorb
 * the difference; the cells below re-spread. Two managers editing disjoint subtrees of one draft
 * both succeed; an edit that would write a cell someone changed since `cellsRev` (the same cell,
 * a sibling of it, a cell re-spread below) gets VERSION_CONFLICT, as does one older than the last
 * whole-version operation. Scope: the cell and the parent its siblings share must be the actor's.
 */
export async function editTargetCells(
  db: Db,
  actor: Actor,
  input: EditTargetCellsInput,
  now: Date,
): Promise<EditTargetCellsResult> {
  return db.transaction().execute(async (trx) => {
    const { version: v, rev } = await beginCellEdit(trx, input.versionId, input.version);
    const changed = await editCells(
      trx,
      { versionId: v.id, frozenBefore: v.frozen_before },
      input.edits,
      async (cell, parentKey) =>
        assertTargetWritable(
          trx,
          actor,
          { ownerType: cell.owner_type, ownerId: cell.owner_id },
          parentKey,
        ),
      { readRev: input.cellsRev, rev },
    );
    await audit(trx, now, {
      userId: actor.id,
      action: 'update',
      entity: 'target_cells',
      entityId: v.id,
      before: changed.map((c) => ({ cellId: c.cellId, ...c.before })),
      after: changed.map((c) => ({ cellId: c.cellId, ...c.after })),
    });
    return { version: v.version, cellsRev: rev, changed };
  });
}
