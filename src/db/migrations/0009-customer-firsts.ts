import { sql, type Kysely } from 'kysely';
import { isPostgres } from './portable.ts';

/**
 * New customers counted as people, not deals. `customer_firsts` holds, for every customer with a
 * deal tagged new or referral, that customer's first such deal (the primary line with the earliest
 * order date, then the lowest external id) with the attributes it is credited by — one row per
 * customer, derived from the order lines like the rollups, and read by the dashboards instead of
 * the order lines. A partial index on the lines that can be first deals lets a write recompute
 * the customers it touched.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('customer_firsts')
    .addColumn('customer_id', 'integer', (c) => c.primaryKey())
    .addColumn('ext_id', 'text', (c) => c.notNull())
    .addColumn('order_date', 'text', (c) => c.notNull())
    .addColumn('member_id', 'integer', (c) => c.notNull())
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('product_line_id', 'integer', (c) => c.notNull())
    .addColumn('channel_id', 'integer', (c) => c.notNull())
    .addColumn('lifecycle', 'text', (c) => c.notNull())
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('segment_id', 'integer', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('customer_firsts_member')
    .on('customer_firsts')
    .columns(['member_id', 'order_date'])
    .execute();
  await db.schema
    .createIndex('customer_firsts_unit')
    .on('customer_firsts')
    .columns(['org_unit_id', 'order_date'])
    .execute();
  // Only the lines that can be a first deal: a quarter to a third of them, not every line's write.
  await sql`create index order_lines_new_customer on order_lines (customer_id, order_date)
    where is_primary = 1 and lifecycle in ('new', 'referral')`.execute(db);
  // External ids compare as plain strings (code points) on both databases, as in the importer.
  const byId = isPostgres(db) ? sql`ext_id collate "C"` : sql`ext_id collate binary`;
  await sql`insert into customer_firsts (customer_id, ext_id, order_date, member_id, org_unit_id,
      product_line_id, channel_id, lifecycle, region_id, segment_id)
    select customer_id, ext_id, order_date, member_id, org_unit_id, product_line_id, channel_id,
      lifecycle, region_id, segment_id
    from (select l.*, row_number() over (partition by customer_id order by order_date, ${byId}) as rn
      from order_lines l
      where is_primary = 1 and lifecycle in ('new', 'referral') and customer_id <> 0) f
    where rn = 1`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('order_lines_new_customer').ifExists().execute();
  await db.schema.dropTable('customer_firsts').ifExists().execute();
}
