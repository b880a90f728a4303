import type { Kysely } from 'kysely';

/**
 * Cell revisions, so managers editing disjoint subtrees of one draft do not conflict.
 *
 * `plan_versions.cells_rev` counts the cell edits of a draft (the grid's edits and its Excel
 * import); every edit moves it by one and stamps the cells it writes with the new value in
 * `target_cells.rev`. A client sends the `cells_rev` it read with its edit; the edit is refused
 * when a cell it is about to write (the edited cell, its re-balanced siblings, the cells re-spread
 * below) carries a later stamp. Moving the counter updates the `plan_versions` row, so the
 * data-generation trigger of 0011 still fires with every edit. Both columns take a constant
 * default, which both databases add without rewriting the table.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('plan_versions')
    .addColumn('cells_rev', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
  await db.schema
    .alterTable('target_cells')
    .addColumn('rev', 'integer', (c) => c.notNull().defaultTo(0))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('target_cells').dropColumn('rev').execute();
  await db.schema.alterTable('plan_versions').dropColumn('cells_rev').execute();
}
