import type { Kysely } from 'kysely';

/**
 * Indexes the planning API reads by. Siblings of a cell are the cells of its split (`split_id`);
 * a cell's children are found through the splits whose `parent_key` is the cell's key. Without
 * these, both lookups scan every cell of a version — millions of rows in a full org × month ×
 * product-line plan.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex('target_cells_split').on('target_cells').column('split_id').execute();
  await db.schema
    .createIndex('target_splits_parent')
    .on('target_splits')
    .columns(['version_id', 'metric_id', 'parent_key'])
    .execute();
  await db.schema.createIndex('plan_versions_plan').on('plan_versions').column('plan_id').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const name of ['plan_versions_plan', 'target_splits_parent', 'target_cells_split']) {
    await db.schema.dropIndex(name).ifExists().execute();
  }
}
