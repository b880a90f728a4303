import { type CliContext, databaseLabel } from '../cli-context.ts';

export async function migrateCommand(ctx: CliContext): Promise<number> {
  const { io, t } = ctx;
  const applied = await ctx.withDatabase(async (_conn, applied) => applied);
  io.stdout(`${databaseLabel(io)}\n`);
  if (applied.length === 0)
    io.stdout(
      t('数据库已是最新版本，无需迁移。\n', 'The database is up to date; nothing to migrate.\n'),
    );
  else
    io.stdout(
      t(`已执行 ${applied.length} 个迁移：`, `Applied ${applied.length} migration(s): `) +
        applied.join(', ') +
        '\n',
    );
  return 0;
}
