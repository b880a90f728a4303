import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Locale } from '../../api/context.ts';
import { chinaToday } from '../../api/schemas.ts';
import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import type { CliContext } from '../cli-context.ts';
import { badArgs } from '../parse.ts';

/** The CLI acts as an administrator without a user id: whoever holds the shell holds the data. */
const cliActor = { userId: null, role: 'admin', scope: { all: true, unitPaths: [], memberId: null } } as const;

interface JobOptions {
  actor: typeof cliActor;
  userId: null;
  now: Date;
  /** 'YYYY-MM-DD' in China: the default effective date of transfers in a members file. */
  today: string;
  lang: Locale;
}

/** The part of `src/jobs/import-master/` the CLI calls. */
interface ImportMasterModule {
  importMasterData(
    db: Db,
    kind: string,
    buffer: Buffer,
    fileName: string,
    opts: JobOptions & { dryRun: boolean },
  ): Promise<{ rows: number; created: number; updated: number; unchanged: number }>;
  exportMasterData(db: Db, kind: string, format: 'csv' | 'xlsx', opts: JobOptions): Promise<Buffer>;
}

/**
 * Loaded lazily: the rest of the CLI works without it, and a build that lacks it says so in
 * plain words. The specifier is a variable so the type checker does not require the file.
 */
async function loadImportMaster(): Promise<ImportMasterModule> {
  for (const file of ['engine.ts', 'index.ts', 'import-master-data.ts']) {
    const url = new URL(`../../jobs/import-master/${file}`, import.meta.url);
    if (!existsSync(url)) continue;
    const mod = (await import(url.href)) as Partial<ImportMasterModule>;
    let exportMasterData = mod.exportMasterData;
    if (!exportMasterData) {
      const other = new URL('../../jobs/import-master/export-master-data.ts', import.meta.url);
      if (existsSync(other)) exportMasterData = ((await import(other.href)) as Partial<ImportMasterModule>).exportMasterData;
    }
    if (mod.importMasterData && exportMasterData) return { importMasterData: mod.importMasterData, exportMasterData };
  }
  throw new AppError('CLI_IMPORT_UNAVAILABLE');
}

export async function importCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = badArgs('import', () =>
    parseArgs({ args, options: { 'dry-run': { type: 'boolean' } }, allowPositionals: true, strict: true }),
  );
  const [kind, file] = twoPositionals('import', positionals);
  const path = resolve(file);
  if (!existsSync(path)) throw new AppError('CLI_FILE_NOT_FOUND', { file });
  const buffer = await readFile(path);
  const mod = await loadImportMaster();
  const dryRun = values['dry-run'] === true;
  const r = await ctx.withDatabase(({ db }) =>
    mod.importMasterData(db, kind, buffer, basename(path), { ...jobOptions(ctx), dryRun }),
  );
  ctx.io.stdout(
    ctx.t(
      `${dryRun ? '试运行（未保存）：' : '已导入：'}${r.rows} 行，新增 ${r.created}，更新 ${r.updated}，未变 ${r.unchanged}\n`,
      `${dryRun ? 'Dry run (nothing saved): ' : 'Imported: '}${r.rows} rows, ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged\n`,
    ),
  );
  return 0;
}

export async function exportCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = badArgs('export', () => parseArgs({ args, options: {}, allowPositionals: true, strict: true }));
  const [kind, file] = twoPositionals('export', positionals);
  const ext = extname(file).toLowerCase();
  const format = ext === '.csv' ? 'csv' : ext === '.xlsx' ? 'xlsx' : null;
  if (!format) throw new AppError('CLI_EXPORT_FORMAT', { file });
  const mod = await loadImportMaster();
  const buffer = await ctx.withDatabase(({ db }) => mod.exportMasterData(db, kind, format, jobOptions(ctx)));
  await writeFile(resolve(file), buffer);
  ctx.io.stdout(ctx.t(`已导出 ${kind} 到 ${file}（${buffer.length} 字节）\n`, `Exported ${kind} to ${file} (${buffer.length} bytes)\n`));
  return 0;
}

function jobOptions(ctx: CliContext): JobOptions {
  const now = ctx.now();
  return { actor: cliActor, userId: null, now, today: chinaToday(now), lang: ctx.locale };
}

function twoPositionals(command: string, positionals: string[]): [string, string] {
  const [kind, file, ...rest] = positionals;
  if (!kind) throw new AppError('CLI_MISSING_ARGUMENT', { command, argument: '<kind>' });
  if (!file) throw new AppError('CLI_MISSING_ARGUMENT', { command, argument: '<file>' });
  if (rest.length > 0) throw new AppError('CLI_EXTRA_ARGUMENT', { command, argument: rest[0]! });
  return [kind, file];
}
