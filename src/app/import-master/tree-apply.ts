import type { AuditEntity } from '../../db/audit.ts';
import { audit } from '../../db/audit.ts';
import { rerootDescendants } from '../../db/tree-paths.ts';
import { moveUnitRollups } from '../../db/unit-rollups.ts';
import type { Kysely } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import type { ImportContext, Outcome, Q } from './kind.ts';
import { changedFields } from './refs.ts';

export interface TreeRow {
  row: number;
  code: string;
  parentCode: string | null;
  sortOrder: number | null;
  /** The parent column's header as written in the file, for a cycle found while applying. */
  parentHeader: string;
}

/**
 * Applies one imported row of a materialized-path tree (org units, product lines): creates the
 * node under its parent, or updates the changed columns and, when the parent changed, moves the
 * node with its subtree. Rows equal to what is stored are left alone; every change is audited.
 * `columns` are the table's own columns besides code, parent, path and sort order.
 */
export async function applyTreeRow(
  trx: Q,
  table: 'org_units' | 'product_lines',
  entity: AuditEntity,
  item: TreeRow,
  columns: Record<string, unknown>,
  ctx: ImportContext,
): Promise<Outcome> {
  const q = trx as unknown as Kysely<any>;
  const nowIso = ctx.now.toISOString();
  const parent: { id: number; path: string } | null =
    item.parentCode === null
      ? null
      : await q
          .selectFrom(table)
          .select(['id', 'path'])
          .where('code', '=', item.parentCode)
          .executeTakeFirstOrThrow();
  const stored = await q
    .selectFrom(table)
    .selectAll()
    .where('code', '=', item.code)
    .executeTakeFirst();
  if (!stored) {
    const { id } = await q
      .insertInto(table)
      .values({
        parent_id: parent?.id ?? null,
        code: item.code,
        ...columns,
        path: '',
        sort_order: item.sortOrder ?? 0,
        updated_at: nowIso,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await q
      .updateTable(table)
      .set({ path: `${parent?.path ?? '/'}${id}/` })
      .where('id', '=', id)
      .execute();
    await audit(trx, ctx.now, {
      userId: ctx.actor.userId,
      action: 'create',
      entity,
      entityId: id,
      after: item,
    });
    return 'created';
  }
  const diff = changedFields(stored as Record<string, unknown>, {
    parent_id: parent?.id ?? null,
    ...columns,
    sort_order: item.sortOrder ?? undefined,
  });
  if (Object.keys(diff).length === 0) return 'unchanged';
  let path = stored.path as string;
  if (diff.parent_id !== undefined) {
    if (parent && parent.path.startsWith(stored.path)) {
      throw new AppError('IMPORT_INVALID', { count: 1 }, [
        { row: item.row, column: item.parentHeader, code: 'TREE_CYCLE' },
      ]);
    }
    path = `${parent?.path ?? '/'}${stored.id}/`;
    await rerootDescendants(trx, table, { id: stored.id, path: stored.path }, path);
    if (table === 'org_units') await moveUnitRollups(trx, stored.id, stored.path, path);
  }
  await q
    .updateTable(table)
    .set({ ...diff, path, version: stored.version + 1, updated_at: nowIso })
    .where('id', '=', stored.id)
    .execute();
  await audit(trx, ctx.now, {
    userId: ctx.actor.userId,
    action: 'update',
    entity,
    entityId: stored.id,
    before: stored,
    after: diff,
  });
  return 'updated';
}
