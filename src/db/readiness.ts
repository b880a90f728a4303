import { sql } from 'kysely';
import type { Db } from './connect.ts';
import { migrations } from './migrations/index.ts';

export type Readiness =
  | { ready: true; migrations: number }
  | { ready: false; reason: 'database_unreachable'; detail: string }
  | { ready: false; reason: 'migrations_pending'; pending: string[] };

/**
 * Whether this process can serve requests: the database answers, and its schema has every
 * migration this build knows (a rolling deploy must not route traffic to a new build before
 * `targetflow migrate` has run, nor to one whose database is gone).
 */
export async function checkReadiness(db: Db): Promise<Readiness> {
  let applied: Set<string>;
  try {
    await sql`select 1`.execute(db);
    // Kysely's Migrator records what it applied here (the table exists once any migration ran).
    const rows = await sql<{ name: string }>`select name from kysely_migration`
      .execute(db)
      .catch(() => ({ rows: [] as { name: string }[] }));
    applied = new Set(rows.rows.map((r) => r.name));
  } catch (e) {
    return { ready: false, reason: 'database_unreachable', detail: (e as Error).message };
  }
  const pending = Object.keys(migrations).filter((name) => !applied.has(name));
  if (pending.length) return { ready: false, reason: 'migrations_pending', pending };
  return { ready: true, migrations: applied.size };
}
