import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { rerootDescendants } from '../../db/tree-paths.ts';
import { orDuplicate, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import {
  getProductLine,
  productLineRow,
  type ProductLine,
  type ProductLineInput,
} from './queries.ts';

export interface UpdateProductLineInput extends ProductLineInput {
  id: number;
  version: number;
}

/** Renames, re-orders or moves a line at the version the client read; sub-lines move with it. */
export async function updateProductLine(
  db: Db,
  actor: Actor,
  input: UpdateProductLineInput,
  now: Date,
): Promise<ProductLine> {
  assertRole(actor, ['admin']);
  const { id, ...body } = input;
  await db.transaction().execute(async (trx) => {
    const before = await productLineRow(trx, id);
    if (before.version !== input.version)
      throw new AppError('VERSION_CONFLICT', { current: before.version, given: input.version });
    const moving = input.parentId !== before.parent_id;
    let newPath = before.path;
    if (moving) {
      const parent = input.parentId === null ? null : await productLineRow(trx, input.parentId);
      // The new parent may not be the line itself or anything below it.
      if (parent && parent.path.startsWith(before.path)) throw new AppError('TREE_CYCLE');
      newPath = `${parent?.path ?? '/'}${before.id}/`;
    }
    await updateVersioned(
      trx,
      'product_lines',
      id,
      input.version,
      {
        parent_id: input.parentId,
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        sort_order: input.sortOrder ?? before.sort_order,
        path: newPath,
        updated_at: now.toISOString(),
      },
      'product_line',
    ).catch(orDuplicate(input.code));
    // Re-root every descendant's path in one statement.
    if (moving) await rerootDescendants(trx, 'product_lines', before, newPath);
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: moving ? 'move' : 'update',
      entity: 'product_line',
      entityId: id,
      before,
      after: { ...body, path: newPath },
    });
  });
  return getProductLine(db, id);
}
