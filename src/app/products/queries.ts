import { sql } from 'kysely';
import type { Db } from '../../db/connect.ts';
import { containsText } from '../../db/search.ts';
import { AppError } from '../../domain/errors.ts';

/** A product as the API shows it, with its line's names. */
export interface Product {
  id: number;
  code: string;
  nameZh: string;
  nameEn: string;
  productLineId: number;
  productLineNameZh: string;
  productLineNameEn: string;
  /** Basis points (3500 = 35.00%). */
  grossMarginBp: number;
  /** Fen, or null when the product has none. */
  listPrice: number | null;
  version: number;
}

export interface ProductFilter {
  q?: string;
  /** Includes the products of every sub-line. */
  productLineId?: number;
  page: number;
  pageSize: number;
}

function baseQuery(db: Db) {
  return db
    .selectFrom('products as p')
    .innerJoin('product_lines as l', 'l.id', 'p.product_line_id');
}

function selectProduct(q: ReturnType<typeof baseQuery>) {
  return q.select([
    'p.id',
    'p.code',
    'p.name_zh',
    'p.name_en',
    'p.product_line_id',
    'p.gross_margin_bp',
    'p.list_price',
    'p.version',
    'l.name_zh as line_name_zh',
    'l.name_en as line_name_en',
  ]);
}

type ProductRow = Awaited<ReturnType<ReturnType<typeof selectProduct>['executeTakeFirstOrThrow']>>;

function toProduct(r: ProductRow): Product {
  return {
    id: r.id,
    code: r.code,
    nameZh: r.name_zh,
    nameEn: r.name_en,
    productLineId: r.product_line_id,
    productLineNameZh: r.line_name_zh,
    productLineNameEn: r.line_name_en,
    grossMarginBp: r.gross_margin_bp,
    listPrice: r.list_price,
    version: r.version,
  };
}

/** Products by code, one page; every signed-in user reads the catalogue. */
export async function listProducts(
  db: Db,
  f: ProductFilter,
): Promise<{ items: Product[]; total: number }> {
  let q = baseQuery(db);
  if (f.q) {
    const text = f.q;
    q = q.where((eb) => containsText(eb, ['p.code', 'p.name_zh', 'p.name_en'], text));
  }
  if (f.productLineId) {
    const line = await db
      .selectFrom('product_lines')
      .select('path')
      .where('id', '=', f.productLineId)
      .executeTakeFirst();
    if (!line) throw new AppError('NOT_FOUND', { entity: 'product_line' });
    q = q.where('l.path', 'like', `${line.path}%`);
  }
  const { total } = await q.select(sql<number>`count(*)`.as('total')).executeTakeFirstOrThrow();
  const rows = await selectProduct(q)
    .orderBy('p.code')
    .limit(f.pageSize)
    .offset((f.page - 1) * f.pageSize)
    .execute();
  return { items: rows.map(toProduct), total: Number(total) };
}

export async function getProduct(db: Db, id: number): Promise<Product> {
  const row = await selectProduct(baseQuery(db)).where('p.id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'product' });
  return toProduct(row);
}

/** What a client sends to create a product (an edit adds id and version). */
export interface ProductInput {
  code: string;
  nameZh: string;
  nameEn: string;
  productLineId: number;
  grossMarginBp: number;
  listPrice?: number | null;
}

export async function assertLineExists(db: Db, id: number): Promise<void> {
  const line = await db
    .selectFrom('product_lines')
    .select('id')
    .where('id', '=', id)
    .executeTakeFirst();
  if (!line) throw new AppError('REFERENCE_NOT_FOUND', { entity: 'product_line', value: id });
}

export function productColumns(b: ProductInput, now: Date) {
  return {
    code: b.code,
    name_zh: b.nameZh,
    name_en: b.nameEn,
    product_line_id: b.productLineId,
    gross_margin_bp: b.grossMarginBp,
    list_price: b.listPrice ?? null,
    updated_at: now.toISOString(),
  };
}
