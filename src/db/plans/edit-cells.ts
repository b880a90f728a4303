import type { Kysely, Transaction } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import type { Database } from '../schema.ts';
import {
  assertUnchangedSince,
  cellById,
  cellByKey,
  cellsOfSplits,
  isFrozenPeriod,
  updateCells,
  type CellRow,
  type CellStamp,
} from './cells.ts';
import { parseKeyText, type CellKey } from './keys.ts';
import { rebalance, respreadBelow } from './rebalance.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface CellEdit {
  cellId: number;
  value?: number;
  locked?: boolean;
}

export interface EditedCell {
  cellId: number;
  before: { value: number; locked: boolean };
  after: { value: number; locked: boolean };
}

/**
 * Applies a manager's edits to a draft. Setting a value locks the cell (unless `locked: false` is
 * sent with it) and re-splits its unlocked siblings so the parent total is unchanged; the cells
 * below every changed cell re-spread too, so the whole tree stays exact. `canEdit` is asked about
 * each edited cell and the parent its siblings share (null for a top-level cell), so scope is
 * enforced before anything is written. With a `stamp`, every cell written (the edited cell, its
 * siblings, the cells re-spread below) must be unchanged since the client's read and is stamped
 * with the edit's revision. Returns every cell whose value or lock changed.
 */
export async function editCells(
  q: Q,
  v: { versionId: number; frozenBefore: string | null },
  edits: readonly CellEdit[],
  canEdit: (cell: CellRow, parent: CellKey | null) => Promise<void>,
  stamp?: CellStamp,
): Promise<EditedCell[]> {
  const changed = new Map<number, EditedCell>();
  const note = (row: CellRow, value: number, locked: boolean) => {
    const prev = changed.get(row.id);
    changed.set(row.id, {
      cellId: row.id,
      before: prev?.before ?? { value: row.value, locked: row.locked === 1 },
      after: { value, locked },
    });
  };
  for (const e of edits) {
    const cell = await cellById(q, e.cellId);
    if (cell.version_id !== v.versionId) throw new AppError('NOT_FOUND', { entity: 'target_cell' });
    if (isFrozenPeriod(cell.period, v.frozenBefore)) {
      throw new AppError('PLAN_PERIOD_FROZEN', {
        period: cell.period,
        frozenBefore: v.frozenBefore ?? '',
      });
    }
    const split =
      cell.split_id === null
        ? undefined
        : await q
            .selectFrom('target_splits')
            .selectAll()
            .where('id', '=', cell.split_id)
            .executeTakeFirst();
    const parentKey = split ? parseKeyText(split.parent_key) : null;
    await canEdit(cell, parentKey);
    assertUnchangedSince([cell], stamp);
    const locked = e.locked ?? (e.value !== undefined ? true : cell.locked === 1);
    if (e.value === undefined || e.value === cell.value) {
      if (locked !== (cell.locked === 1)) {
        await updateCells(q, [{ id: cell.id, value: cell.value, locked }], stamp?.rev);
        note(cell, cell.value, locked);
      }
      continue;
    }
    const value = e.value;
    const downstream: { row: CellRow; value: number }[] = [{ row: cell, value }];
    if (split && parentKey) {
      const siblings = await cellsOfSplits(q, [split.id]);
      assertUnchangedSince(siblings, stamp);
      const parent = await cellByKey(q, cell.version_id, cell.metric_id, parentKey);
      const parentValue = parent?.value ?? siblings.reduce((a, s) => a + s.value, 0);
      const parts = rebalance(siblings, parentValue, v.frozenBefore, new Map([[cell.id, value]]));
      const updates = siblings.map((s, i) => ({
        id: s.id,
        value: parts[i] ?? 0,
        ...(s.id === cell.id ? { locked } : {}),
      }));
      await updateCells(q, updates, stamp?.rev);
      siblings.forEach((s, i) => {
        const nv = parts[i] ?? 0;
        if (s.id === cell.id) note(s, nv, locked);
        else if (nv !== s.value) {
          note(s, nv, s.locked === 1);
          downstream.push({ row: s, value: nv });
        }
      });
    } else {
      await updateCells(q, [{ id: cell.id, value, locked }], stamp?.rev);
      note(cell, value, locked);
    }
    await respreadBelow(q, cell.version_id, cell.metric_id, downstream, v.frozenBefore, stamp);
  }
  return [...changed.values()];
}
