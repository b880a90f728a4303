import { existsSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { AppError } from '../../domain/errors.ts';
import { sqliteHandleOf } from '../../db/sqlite-bulk.ts';
import { type CliContext, databaseLabel } from '../cli-context.ts';
import { badArgs } from '../parse.ts';

/**
 * `targetflow backup FILE`: a consistent copy of the SQLite database while the app may be running
 * (SQLite's online backup API copies page by page and starts over if a writer changes a page it
 * already copied). The schema is left as it is — no migration first — so a backup taken before an
 * upgrade is the database the old version ran on. PostgreSQL has its own tool: pg_dump.
 */
export async function backupCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = badArgs('backup', () =>
    parseArgs({ args, options: {}, allowPositionals: true, strict: true }),
  );
  const [file, extra] = positionals;
  if (!file) throw new AppError('CLI_MISSING_ARGUMENT', { command: 'backup', argument: 'FILE' });
  if (extra) throw new AppError('CLI_EXTRA_ARGUMENT', { command: 'backup', argument: extra });
  const { io, t } = ctx;
  const pages = await ctx.withDatabase(
    async (conn) => {
      const sqlite = sqliteHandleOf(conn.db);
      if (conn.dialect === 'postgres' || !sqlite) throw new AppError('CLI_BACKUP_POSTGRES');
      if (existsSync(file)) throw new AppError('CLI_BACKUP_EXISTS', { file });
      return (await sqlite.backup(file)).totalPages;
    },
    { migrate: false },
  );
  io.stdout(`${databaseLabel(io)}\n`);
  io.stdout(t(`已备份到 ${file}（${pages} 页）。\n`, `Backed up to ${file} (${pages} pages).\n`));
  return 0;
}
