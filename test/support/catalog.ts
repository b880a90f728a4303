import type { Db } from '../../src/db/connect.ts';
import { FIXED_NOW } from './app.ts';

/**
 * Inserts a product line with its materialized path (`/id/`, or under its parent's path) and
 * returns its id: the two writes every test catalogue needs.
 */
export async function insertProductLine(
  db: Db,
  line: {
    code: string;
    nameZh?: string;
    nameEn?: string;
    parent?: { id: number; path: string };
    at?: Date;
  },
): Promise<number> {
  const { id } = await db
    .insertInto('product_lines')
    .values({
      parent_id: line.parent?.id ?? null,
      code: line.code,
      name_zh: line.nameZh ?? `产品线${line.code}`,
      name_en: line.nameEn ?? line.code,
      path: '',
      updated_at: (line.at ?? FIXED_NOW).toISOString(),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .updateTable('product_lines')
    .set({ path: `${line.parent?.path ?? '/'}${id}/` })
    .where('id', '=', id)
    .execute();
  return id;
}
