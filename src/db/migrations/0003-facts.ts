import type { Kysely } from 'kysely';
import { withId } from './portable.ts';

/**
 * Actuals. Every fact row carries the external id it was imported with (re-imports update, never
 * double count), the batch that last wrote it, and the org unit it is credited to, resolved at
 * import time from the owner's effective-dated membership on the fact's date (or the unit the
 * row was assigned to when it has no owner). Dimension columns use 0 / '' for "none", as in
 * target_cells, so facts and targets join on the same keys.
 *
 * Dashboards never scan facts: `rollup_sales_day` (member × unit × day × product line × channel ×
 * lifecycle) and `rollup_sales_month` (the same by month, plus region and segment) are maintained
 * in the same transaction as every import, correction and batch deletion.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('fact_batches'))
    .addColumn('kind', 'text', (c) => c.notNull()) // orders | collections | leads | opportunities | activities
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('file_sha256', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull().defaultTo('file')) // file | api
    .addColumn('user_id', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('row_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('inserted_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('unchanged_count', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('applied')) // applied | deleted
    .addColumn('summary', 'text', (c) => c.notNull().defaultTo('{}')) // JSON: created customers/products, …
    .execute();

  await withId(db, db.schema.createTable('column_mappings'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('mapping', 'text', (c) => c.notNull()) // JSON: header → field (or null to ignore)
    .addColumn('created_by', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('column_mappings_kind_name', ['kind', 'name'])
    .execute();

  await withId(db, db.schema.createTable('order_lines'))
    .addColumn('ext_id', 'text', (c) => c.notNull().unique())
    .addColumn('batch_id', 'integer', (c) => c.notNull())
    .addColumn('order_no', 'text', (c) => c.notNull())
    /** 1 on the one line of an order that counts it as a deal (orders = Σ is_primary). */
    .addColumn('is_primary', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('order_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('member_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('product_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('product_line_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('channel_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('region_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('segment_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lifecycle', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .addColumn('quantity', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('gross_profit', 'bigint', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema.createIndex('order_lines_batch').on('order_lines').column('batch_id').execute();
  await db.schema
    .createIndex('order_lines_member_date')
    .on('order_lines')
    .columns(['member_id', 'order_date'])
    .execute();
  await db.schema
    .createIndex('order_lines_order_no')
    .on('order_lines')
    .column('order_no')
    .execute();

  await withId(db, db.schema.createTable('collections'))
    .addColumn('ext_id', 'text', (c) => c.notNull().unique())
    .addColumn('batch_id', 'integer', (c) => c.notNull())
    .addColumn('collected_date', 'text', (c) => c.notNull())
    .addColumn('due_date', 'text')
    .addColumn('order_no', 'text')
    .addColumn('member_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('amount', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('collections_batch').on('collections').column('batch_id').execute();
  await db.schema
    .createIndex('collections_unit_date')
    .on('collections')
    .columns(['org_unit_id', 'collected_date'])
    .execute();

  await withId(db, db.schema.createTable('leads'))
    .addColumn('ext_id', 'text', (c) => c.notNull().unique())
    .addColumn('batch_id', 'integer', (c) => c.notNull())
    .addColumn('created_date', 'text', (c) => c.notNull())
    .addColumn('member_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('channel_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('customer_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open')) // open | qualified | converted | lost
    .addColumn('converted_date', 'text')
    .execute();
  await db.schema.createIndex('leads_batch').on('leads').column('batch_id').execute();
  await db.schema
    .createIndex('leads_unit_date')
    .on('leads')
    .columns(['org_unit_id', 'created_date'])
    .execute();

  await withId(db, db.schema.createTable('opportunities'))
    .addColumn('ext_id', 'text', (c) => c.notNull().unique())
    .addColumn('batch_id', 'integer', (c) => c.notNull())
    .addColumn('created_date', 'text', (c) => c.notNull())
    .addColumn('member_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('channel_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lead_ext_id', 'text')
    .addColumn('amount', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('stage', 'text', (c) => c.notNull())
    .addColumn('probability_bp', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expected_close_date', 'text')
    .addColumn('closed_date', 'text')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('open')) // open | won | lost
    /** JSON array of {stage, date}: the stage history as imported. */
    .addColumn('stage_history', 'text', (c) => c.notNull().defaultTo('[]'))
    .execute();
  await db.schema
    .createIndex('opportunities_batch')
    .on('opportunities')
    .column('batch_id')
    .execute();
  await db.schema
    .createIndex('opportunities_unit')
    .on('opportunities')
    .columns(['org_unit_id', 'status'])
    .execute();

  await withId(db, db.schema.createTable('activities'))
    .addColumn('ext_id', 'text', (c) => c.notNull().unique())
    .addColumn('batch_id', 'integer', (c) => c.notNull())
    .addColumn('activity_date', 'text', (c) => c.notNull())
    .addColumn('member_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('org_unit_id', 'integer', (c) => c.notNull())
    .addColumn('customer_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('kind', 'text', (c) => c.notNull()) // call | visit | meeting
    .execute();
  await db.schema.createIndex('activities_batch').on('activities').column('batch_id').execute();
  await db.schema
    .createIndex('activities_unit_date')
    .on('activities')
    .columns(['org_unit_id', 'activity_date'])
    .execute();

  const rollupColumns = <T extends string>(
    t: ReturnType<Kysely<any>['schema']['createTable']>,
    period: T,
  ) =>
    t
      .addColumn('org_unit_id', 'integer', (c) => c.notNull())
      .addColumn('member_id', 'integer', (c) => c.notNull())
      .addColumn(period, 'text', (c) => c.notNull())
      .addColumn('product_line_id', 'integer', (c) => c.notNull())
      .addColumn('channel_id', 'integer', (c) => c.notNull())
      .addColumn('lifecycle', 'text', (c) => c.notNull())
      .addColumn('amount', 'bigint', (c) => c.notNull())
      .addColumn('gross_profit', 'bigint', (c) => c.notNull())
      .addColumn('quantity', 'bigint', (c) => c.notNull())
      .addColumn('orders', 'integer', (c) => c.notNull())
      .addColumn('lines', 'integer', (c) => c.notNull());

  await rollupColumns(db.schema.createTable('rollup_sales_day'), 'day')
    .addPrimaryKeyConstraint('rollup_sales_day_pk', [
      'org_unit_id',
      'day',
      'member_id',
      'product_line_id',
      'channel_id',
      'lifecycle',
    ])
    .execute();
  await db.schema
    .createIndex('rollup_sales_day_member')
    .on('rollup_sales_day')
    .columns(['member_id', 'day'])
    .execute();

  await rollupColumns(db.schema.createTable('rollup_sales_month'), 'month')
    .addColumn('region_id', 'integer', (c) => c.notNull())
    .addColumn('segment_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('rollup_sales_month_pk', [
      'org_unit_id',
      'month',
      'member_id',
      'product_line_id',
      'channel_id',
      'lifecycle',
      'region_id',
      'segment_id',
    ])
    .execute();
  await db.schema
    .createIndex('rollup_sales_month_member')
    .on('rollup_sales_month')
    .columns(['member_id', 'month'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'rollup_sales_month',
    'rollup_sales_day',
    'activities',
    'opportunities',
    'leads',
    'collections',
    'order_lines',
    'column_mappings',
    'fact_batches',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
