import type { ConnectOptions } from '../db/connect.ts';

export const DEFAULT_SQLITE_FILE = 'data/targetflow.sqlite';

/** PostgreSQL when DATABASE_URL says so; otherwise a SQLite file (TARGETFLOW_DB_FILE or the default). */
export function connectOptionsFromEnv(env: Record<string, string | undefined>): ConnectOptions {
  const url = env.DATABASE_URL?.trim();
  if (url && /^postgres(ql)?:\/\//i.test(url)) return { databaseUrl: url };
  return { sqliteFile: env.TARGETFLOW_DB_FILE?.trim() || DEFAULT_SQLITE_FILE };
}

/** Where the data lives, for humans; a password in the URL is never printed. */
export function describeDatabase(opts: ConnectOptions): string {
  if (opts.databaseUrl) {
    const u = new URL(opts.databaseUrl);
    if (u.password) u.password = '***';
    return `PostgreSQL ${u.toString()}`;
  }
  return `SQLite ${opts.sqliteFile ?? DEFAULT_SQLITE_FILE}`;
}
