import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

/**
 * Org units and product lines are trees with a materialized path ('/1/4/12/'). Moving a node
 * rewrites the paths of all its descendants in one statement: the old prefix becomes the new one.
 * The node's own row is updated by the caller (with its version check).
 */
export async function rerootDescendants(
  q: Q,
  table: 'org_units' | 'product_lines',
  node: { id: number; path: string },
  newPath: string,
): Promise<void> {
  await (q as Kysely<any>)
    .updateTable(table)
    .set({
      path: sql`cast(${newPath} as text) || substr(path, cast(${node.path.length + 1} as integer))`,
    })
    .where('path', 'like', `${node.path}%`)
    .where('id', '!=', node.id)
    .execute();
}
