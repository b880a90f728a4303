import type { Locale } from '../app/actor.ts';
import { connect, type Connection } from '../db/connect.ts';
import { migrateToLatest } from '../db/migrate.ts';
import { connectOptionsFromEnv, describeDatabase } from './database.ts';

/** The outside world of the command, injected so tests run `main()` without a process of its own. */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: Record<string, string | undefined>;
  /** Opens the database. Default: from DATABASE_URL / TARGETFLOW_DB_FILE. */
  connect?: () => Connection;
  /** The clock. Default: the system clock. */
  now?: () => Date;
  /** Resolves with a signal name when `serve` should stop. Default: SIGINT or SIGTERM. */
  untilShutdown?: () => Promise<string>;
  /** Whether `serve` logs requests. Default: true. */
  serverLogs?: boolean;
}

export interface CliContext {
  io: CliIo;
  locale: Locale;
  now: () => Date;
  /**
   * Opens the database, applies pending migrations (every command needs the current schema;
   * `migrate: false` leaves it as it is, for a backup), runs `fn` with the names of the
   * migrations just applied, and always closes the connection.
   */
  withDatabase<T>(
    fn: (conn: Connection, applied: string[]) => Promise<T>,
    opts?: { migrate?: boolean },
  ): Promise<T>;
  /** Picks the message for the current language. */
  t(zh: string, en: string): string;
}

export function createContext(io: CliIo, locale: Locale): CliContext {
  const open = (): Connection => {
    if (io.connect) return io.connect();
    return connect(connectOptionsFromEnv(io.env));
  };
  return {
    io,
    locale,
    now: io.now ?? (() => new Date()),
    async withDatabase(fn, opts) {
      const conn = open();
      try {
        const applied = opts?.migrate === false ? [] : await migrateToLatest(conn.db);
        return await fn(conn, applied);
      } finally {
        await conn.close();
      }
    },
    t: (zh, en) => (locale === 'zh-CN' ? zh : en),
  };
}

export function databaseLabel(io: CliIo): string {
  return io.connect ? 'injected database' : describeDatabase(connectOptionsFromEnv(io.env));
}
