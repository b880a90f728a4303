import { InsertQueryNode, type Kysely, type KyselyPlugin } from 'kysely';
import type { Actor } from '../../src/app/actor.ts';
import { scopeFor } from '../../src/app/auth/session.ts';
import type { Db } from '../../src/db/connect.ts';

/** The acting user `username` as a signed-in session would see them (scope from the org tree). */
export async function actorOf(db: Db, username: string): Promise<Actor> {
  const u = await db
    .selectFrom('users')
    .selectAll()
    .where('username', '=', username)
    .executeTakeFirstOrThrow();
  return {
    id: u.id,
    username: u.username,
    displayName: u.display_name,
    role: u.role,
    memberId: u.member_id,
    locale: u.locale === 'en' ? 'en' : 'zh-CN',
    amountUnit: u.amount_unit,
    scope: await scopeFor(db, u.role, u.member_id),
  };
}

/**
 * Everything an org, member or transfer operation may write, in a stable order: comparing two
 * snapshots shows whether anything changed at all.
 */
export async function snapshot(db: Db) {
  const rows = async (table: SnapshotTable) => {
    const all = await (db as unknown as Kysely<any>).selectFrom(table).selectAll().execute();
    return all.map((r) => JSON.stringify(r)).sort();
  };
  const out: Partial<Record<SnapshotTable, string[]>> = {};
  for (const table of SNAPSHOT_TABLES) out[table] = await rows(table);
  return out;
}

const SNAPSHOT_TABLES = [
  'org_units',
  'members',
  'member_units',
  'plan_versions',
  'target_splits',
  'target_cells',
  'order_lines',
  'rollup_sales_day',
  'rollup_sales_month',
  'rollup_unit_day',
  'rollup_unit_month',
  'import_batches',
  'audit_log',
] as const;
type SnapshotTable = (typeof SNAPSHOT_TABLES)[number];

/**
 * The same database, except that writing an audit entry fails: an operation that writes its
 * audit entry in its own transaction then leaves nothing behind.
 */
export function withFailingAudit(db: Db): Db {
  const plugin: KyselyPlugin = {
    transformQuery({ node }) {
      if (InsertQueryNode.is(node) && node.into?.table.identifier.name === 'audit_log')
        throw new Error('audit log unavailable');
      return node;
    },
    transformResult: async ({ result }) => result,
  };
  return db.withPlugin(plugin);
}
