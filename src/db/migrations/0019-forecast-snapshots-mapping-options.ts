import type { Kysely } from 'kysely';
import { withId } from './portable.ts';

/**
 * The forecasts of every node as they stood at each month-end (issue 12, "forecast accuracy
 * kept"): once the period closes, each method's forecasts are compared with what happened. One row
 * per node, period, method and month-end; taking the same snapshot again replaces nothing.
 *
 * Also: a saved column mapping keeps the import options that go with its source system
 * (`options`: JSON { rounding?, dateFormat? }, issue 12), null for none.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('forecast_snapshots'))
    .addColumn('node_type', 'text', (c) => c.notNull())
    .addColumn('node_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('period_end', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('as_of', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addColumn('target', 'bigint')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addUniqueConstraint('forecast_snapshots_key', [
      'node_type',
      'node_id',
      'period',
      'method',
      'as_of',
    ])
    .execute();
  await db.schema
    .createIndex('forecast_snapshots_closed')
    .on('forecast_snapshots')
    .columns(['node_type', 'node_id', 'period_end'])
    .execute();
  await db.schema.alterTable('column_mappings').addColumn('options', 'text').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('column_mappings').dropColumn('options').execute();
  await db.schema.dropTable('forecast_snapshots').execute();
}
