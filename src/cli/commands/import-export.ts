import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename, extname, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../../app/import-master/kind.ts';
import type { CliContext } from '../cli-context.ts';
import { badArgs } from '../parse.ts';

/** The CLI acts as an administrator without a user id: whoever holds the shell holds the data. */
const cliActor: Actor = {
  userId: null,
  role: 'admin',
  scope: { all: true, unitPaths: [], memberId: null },
};

/** Loaded on use: they pull in the spreadsheet libraries, which `--help` or `migrate` never need. */
const loadImport = () => import('../../app/import-master/import-master-data.ts');
const loadExport = () => import('../../app/import-master/export-master-data.ts');

export async function importCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = badArgs('import', () =>
    parseArgs({
      args,
      options: { 'dry-run': { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    }),
  );
  const [kind, file] = twoPositionals('import', positionals);
  const path = resolve(file);
  if (!existsSync(path)) throw new AppError('CLI_FILE_NOT_FOUND', { file });
  const buffer = await readFile(path);
  const { importMasterData } = await loadImport();
  const dryRun = values['dry-run'] === true;
  const input = { kind, buffer, fileName: basename(path), dryRun };
  const r = await ctx.withDatabase(({ db }) => importMasterData(db, cliActor, input, ctx.now()));
  ctx.io.stdout(
    ctx.t(
      `${dryRun ? '试运行（未保存）：' : '已导入：'}${r.rows} 行，新增 ${r.created}，更新 ${r.updated}，未变 ${r.unchanged}\n`,
      `${dryRun ? 'Dry run (nothing saved): ' : 'Imported: '}${r.rows} rows, ${r.created} created, ${r.updated} updated, ${r.unchanged} unchanged\n`,
    ),
  );
  return 0;
}

export async function exportCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = badArgs('export', () =>
    parseArgs({ args, options: {}, allowPositionals: true, strict: true }),
  );
  const [kind, file] = twoPositionals('export', positionals);
  const ext = extname(file).toLowerCase();
  const format = ext === '.csv' ? 'csv' : ext === '.xlsx' ? 'xlsx' : null;
  if (!format) throw new AppError('CLI_EXPORT_FORMAT', { file });
  const { exportMasterData } = await loadExport();
  const input = { kind, format, lang: ctx.locale } as const;
  const buffer = await ctx.withDatabase(({ db }) =>
    exportMasterData(db, cliActor, input, ctx.now()),
  );
  await writeFile(resolve(file), buffer);
  ctx.io.stdout(
    ctx.t(
      `已导出 ${kind} 到 ${file}（${buffer.length} 字节）\n`,
      `Exported ${kind} to ${file} (${buffer.length} bytes)\n`,
    ),
  );
  return 0;
}

function twoPositionals(command: string, positionals: string[]): [string, string] {
  const [kind, file, ...rest] = positionals;
  if (!kind) throw new AppError('CLI_MISSING_ARGUMENT', { command, argument: '<kind>' });
  if (!file) throw new AppError('CLI_MISSING_ARGUMENT', { command, argument: '<file>' });
  if (rest.length > 0) throw new AppError('CLI_EXTRA_ARGUMENT', { command, argument: rest[0]! });
  return [kind, file];
}
