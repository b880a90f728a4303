import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';

/** A product line as the API shows it. */
export interface ProductLine {
  id: number;
  parentId: number | null;
  code: string;
  nameZh: string;
  nameEn: string;
  /** Materialized path of ids ('/1/4/'); sorting by it gives tree order. */
  path: string;
  sortOrder: number;
  /** Products filed directly under this line (not its sub-lines). */
  productCount: number;
  version: number;
}

/** What a client sends to create a line (an edit adds id and version). */
export interface ProductLineInput {
  /** null makes a top-level line. */
  parentId: number | null;
  code: string;
  nameZh: string;
  nameEn: string;
  sortOrder?: number;
}

/** Every line in tree order (by path), or the one line `id`. */
export async function listProductLines(db: Db, id?: number): Promise<ProductLine[]> {
  const counts = db
    .selectFrom('products')
    .select(['product_line_id', sql<number>`count(*)`.as('n')])
    .groupBy('product_line_id')
    .as('c');
  let q = db
    .selectFrom('product_lines as l')
    .leftJoin(counts, 'c.product_line_id', 'l.id')
    .select([
      'l.id',
      'l.parent_id',
      'l.code',
      'l.name_zh',
      'l.name_en',
      'l.path',
      'l.sort_order',
      'l.version',
      'c.n',
    ])
    .orderBy('l.path');
  if (id !== undefined) q = q.where('l.id', '=', id);
  const rows = await q.execute();
  return rows.map((r) => ({
    id: r.id,
    parentId: r.parent_id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    path: r.path,
    sortOrder: r.sort_order,
    productCount: Number(r.n ?? 0),
    version: r.version,
  }));
}

export async function getProductLine(db: Db, id: number): Promise<ProductLine> {
  const [line] = await listProductLines(db, id);
  if (!line) throw new AppError('NOT_FOUND', { entity: 'product_line' });
  return line;
}

/** The stored row of a line, or NOT_FOUND. */
export async function productLineRow(db: Db, id: number) {
  const row = await db
    .selectFrom('product_lines')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'product_line' });
  return row;
}
