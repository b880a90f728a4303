import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export interface CellEditRecord {
  kind: 'typed' | 'imported' | 'absorbed' | 'adjusted';
  value: number;
  before: number | null;
  userId: number | null;
  at: string;
  /** The target adjustment request that made the change (`adjust` entries). */
  adjustmentId?: number;
}

interface GridEntry {
  cellId: number;
  value: number;
  locked: boolean;
}

/**
 * The hand edits of a version's cells, read back from the audit log (the grid's `update` and the
 * Excel `import` of `target_cells`, keyed by the version), oldest first, per cell. The grid's
 * entry lists the edited cell and the siblings that absorbed it without saying which was typed:
 * a typed cell is locked and changed value, and a re-balance never moves a locked cell (see
 * `rebalance`), so a locked cell that changed was typed and an unlocked one absorbed.
 */
export async function cellEditsOf(
  q: Q,
  versionId: number,
  cellIds: ReadonlySet<number>,
): Promise<Map<number, CellEditRecord[]>> {
  const rows = await q
    .selectFrom('audit_log')
    .select(['id', 'at', 'user_id', 'action', 'before', 'after'])
    .where('entity', '=', 'target_cells')
    .where('entity_id', '=', String(versionId))
    .where('action', 'in', ['update', 'import', 'adjust'])
    .orderBy('id')
    .execute();
  const out = new Map<number, CellEditRecord[]>();
  const add = (cellId: number, r: Omit<CellEditRecord, 'userId' | 'at'>, row: (typeof rows)[0]) => {
    if (!cellIds.has(cellId)) return;
    const list = out.get(cellId) ?? [];
    list.push({ ...r, userId: row.user_id, at: row.at });
    out.set(cellId, list);
  };
  for (const row of rows) {
    const before = parse(row.before);
    const after = parse(row.after);
    if (row.action === 'update' && Array.isArray(after)) {
      const prev = new Map(
        (Array.isArray(before) ? (before as GridEntry[]) : []).map((b) => [b.cellId, b]),
      );
      for (const a of after as GridEntry[]) {
        const b = prev.get(a.cellId);
        if (b && b.value === a.value) continue; // a lock toggle: no value was typed
        add(
          a.cellId,
          { kind: a.locked ? 'typed' : 'absorbed', value: a.value, before: b?.value ?? null },
          row,
        );
      }
    } else if (row.action === 'adjust' && after && typeof after === 'object') {
      // An approved adjustment request, applied by the planner's cell edit: the asked cells are
      // locked like typed ones, their siblings absorbed.
      const a = after as { adjustmentId: number; cells?: GridEntry[] };
      const prev = new Map(
        ((before as { cells?: GridEntry[] } | null)?.cells ?? []).map((b) => [b.cellId, b.value]),
      );
      for (const c of a.cells ?? []) {
        const b = prev.get(c.cellId);
        if (b === c.value) continue;
        add(
          c.cellId,
          {
            kind: c.locked ? 'adjusted' : 'absorbed',
            value: c.value,
            before: b ?? null,
            adjustmentId: a.adjustmentId,
          },
          row,
        );
      }
    } else if (row.action === 'import' && after && typeof after === 'object') {
      const cells = (after as { cells?: { cellId: number; value: number }[] }).cells ?? [];
      const prev = new Map(
        ((before as { cells?: { cellId: number; value: number }[] } | null)?.cells ?? []).map(
          (b) => [b.cellId, b.value],
        ),
      );
      for (const c of cells)
        add(
          c.cellId,
          { kind: 'imported', value: c.value, before: prev.get(c.cellId) ?? null },
          row,
        );
    }
  }
  return out;
}

function parse(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
