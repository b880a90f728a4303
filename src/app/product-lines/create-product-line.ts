import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { orDuplicate } from '../../db/versioned.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import {
  getProductLine,
  productLineRow,
  type ProductLine,
  type ProductLineInput,
} from './queries.ts';

/** Adds a line under `parentId` (or at the top); its path is its parent's plus its own id. */
export async function createProductLine(
  db: Db,
  actor: Actor,
  input: ProductLineInput,
  now: Date,
): Promise<ProductLine> {
  assertRole(actor, ['admin']);
  const id = await db.transaction().execute(async (trx) => {
    const parent = input.parentId === null ? null : await productLineRow(trx, input.parentId);
    const { id } = await trx
      .insertInto('product_lines')
      .values({
        parent_id: parent?.id ?? null,
        code: input.code,
        name_zh: input.nameZh,
        name_en: input.nameEn,
        path: '',
        sort_order: input.sortOrder ?? 0,
        updated_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow()
      .catch(orDuplicate(input.code));
    const path = `${parent?.path ?? '/'}${id}/`;
    await trx.updateTable('product_lines').set({ path }).where('id', '=', id).execute();
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'create',
      entity: 'product_line',
      entityId: id,
      after: { ...input, path },
    });
    return id;
  });
  return getProductLine(db, id);
}
