import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { chinaToday } from '../../app/clock.ts';
import { AppError } from '../../domain/errors.ts';
import type { FactImportResult, ImportFactsOptions } from '../../app/facts/import-facts.ts';
import type { Actor } from '../../app/import-master/kind.ts';
import type { CliContext } from '../cli-context.ts';
import { badArgs } from '../parse.ts';

/** The CLI acts as an administrator without a user id, as for master data. */
const cliActor: Actor = {
  userId: null,
  role: 'admin',
  scope: { all: true, unitPaths: [], memberId: null },
};

/** Progress lines only for files long enough to make someone wait. */
const PROGRESS_ROWS = 2_000;

/** `targetflow facts import <kind> <file> …` and `targetflow facts delete-batch <id>`. */
export async function factsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === 'import') return importFactsCommand(ctx, rest);
  if (sub === 'delete-batch') return deleteBatchCommand(ctx, rest);
  throw new AppError('CLI_UNKNOWN_COMMAND', { command: `facts ${sub ?? ''}`.trim() });
}

async function importFactsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { values, positionals } = badArgs('facts', () =>
    parseArgs({
      args,
      options: {
        mode: { type: 'string' },
        'create-missing': { type: 'string' },
        mapping: { type: 'string' },
        rounding: { type: 'string' },
        'date-format': { type: 'string' },
        'dry-run': { type: 'boolean' },
      },
      allowPositionals: true,
      strict: true,
    }),
  );
  const [kind, ...files] = positionals;
  if (!kind) throw new AppError('CLI_MISSING_ARGUMENT', { command: 'facts', argument: '<kind>' });
  if (files.length === 0)
    throw new AppError('CLI_MISSING_ARGUMENT', { command: 'facts', argument: '<file>' });
  const mode = values.mode ?? 'all-or-nothing';
  if (mode !== 'all-or-nothing' && mode !== 'apply-valid')
    throw new AppError('CLI_BAD_ARGS', { command: 'facts', reason: `--mode ${mode}` });
  const missing = new Set(
    (values['create-missing'] ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
  );
  for (const m of missing)
    if (m !== 'customers' && m !== 'products')
      throw new AppError('CLI_BAD_ARGS', { command: 'facts', reason: `--create-missing ${m}` });
  // Files from real systems: amounts finer than a fen, day/month-first dates (README, Actuals).
  const rounding = values.rounding ?? 'none';
  if (rounding !== 'none' && rounding !== 'half-up' && rounding !== 'half-even')
    throw new AppError('CLI_BAD_ARGS', { command: 'facts', reason: `--rounding ${rounding}` });
  const dateFormat = values['date-format'] ?? 'auto';
  if (dateFormat !== 'auto' && dateFormat !== 'YMD' && dateFormat !== 'MDY' && dateFormat !== 'DMY')
    throw new AppError('CLI_BAD_ARGS', { command: 'facts', reason: `--date-format ${dateFormat}` });
  const paths = files.map((file) => {
    const path = resolve(file);
    if (!existsSync(path)) throw new AppError('CLI_FILE_NOT_FOUND', { file });
    return path;
  });
  const { importFactFiles } = await import('../../app/facts/import-facts.ts');
  const { loadColumnMapping, withMappingOptions } =
    await import('../../app/facts/column-mappings.ts');
  const now = ctx.now();
  const dryRun = values['dry-run'] === true;
  const many = paths.length > 1;
  let shown = false;
  let current = 0;
  await ctx.withDatabase(async ({ db }) => {
    const saved = values.mapping
      ? await loadColumnMapping(db, kind, { name: values.mapping })
      : undefined;
    const asked: ImportFactsOptions = {
      actor: cliActor,
      now,
      today: chinaToday(now),
      mode,
      dryRun,
      createMissing: { customers: missing.has('customers'), products: missing.has('products') },
      rounding,
      dateFormat,
      lang: ctx.locale,
      onProgress: (done: number, total: number) => {
        if (total < PROGRESS_ROWS) return;
        shown = true;
        ctx.io.stderr(`\r${ctx.t('导入中', 'Importing')} ${done}/${total}`);
      },
    };
    // The mapping's saved rounding and date format apply unless the command line names its own.
    const opts = withMappingOptions(asked, saved);
    // Several files are imported one after another, each its own batch; while one is written
    // the next is already read and checked. The first file that fails stops the run.
    const list = paths.map((path) => ({ fileName: basename(path), read: () => readFile(path) }));
    try {
      for await (const r of importFactFiles(db, kind, list, opts)) {
        if (shown) ctx.io.stderr('\n');
        shown = false;
        await report(ctx, r, paths[current]!, many, dryRun);
        current++;
      }
    } catch (e) {
      if (shown) ctx.io.stderr('\n');
      if (many)
        ctx.io.stderr(
          ctx.t(
            `${basename(paths[current]!)} 未导入；此前的 ${current} 个文件已导入，其后的文件未处理。\n`,
            `${basename(paths[current]!)} was not imported; the ${current} file(s) before it were, the ones after it were not read.\n`,
          ),
        );
      throw e;
    }
  });
  return 0;
}

async function report(
  ctx: CliContext,
  r: FactImportResult,
  path: string,
  many: boolean,
  dryRun: boolean,
): Promise<void> {
  const name = many ? `${basename(path)}: ` : '';
  ctx.io.stdout(
    ctx.t(
      `${name}${dryRun ? '试运行（未保存）：' : `已导入（批次 ${r.batchId}）：`}${r.rows} 行，新增 ${r.inserted}，更新 ${r.updated}，未变 ${r.unchanged}，拒绝 ${r.rejected}\n`,
      `${name}${dryRun ? 'Dry run (nothing saved): ' : `Imported (batch ${r.batchId}): `}${r.rows} rows, ${r.inserted} inserted, ${r.updated} updated, ${r.unchanged} unchanged, ${r.rejected} rejected\n`,
    ),
  );
  if (r.rounded.count > 0) {
    ctx.io.stdout(
      ctx.t(
        `已将 ${r.rounded.count} 个金额取整到分，合计差额 ${r.rounded.differenceFen} 分\n`,
        `Rounded ${r.rounded.count} amounts to the fen, ${r.rounded.differenceFen} fen in all\n`,
      ),
    );
  }
  if (r.created.customers.length + r.created.products.length > 0) {
    ctx.io.stdout(
      ctx.t(
        `新建客户：${r.created.customers.join('、') || '无'}；新建产品：${r.created.products.join('、') || '无'}\n`,
        `Created customers: ${r.created.customers.join(', ') || 'none'}; products: ${r.created.products.join(', ') || 'none'}\n`,
      ),
    );
  }
  if (r.badRows) {
    const { writeFile } = await import('node:fs/promises');
    const out = path.replace(/(\.[^./\\]*)?$/, '.problems.csv');
    await writeFile(out, r.badRows);
    const { describeError } = await import('../messages.ts');
    ctx.io.stderr(
      describeError(
        new AppError('IMPORT_INVALID', { count: r.problems.length }, r.problems),
        ctx.locale,
      ),
    );
    ctx.io.stdout(ctx.t(`被拒绝的行已写入 ${out}\n`, `Rejected rows written to ${out}\n`));
  }
}

async function deleteBatchCommand(ctx: CliContext, args: string[]): Promise<number> {
  const { positionals } = badArgs('facts', () =>
    parseArgs({ args, options: {}, allowPositionals: true, strict: true }),
  );
  const id = Number(positionals[0]);
  if (!positionals[0] || !Number.isSafeInteger(id) || id <= 0)
    throw new AppError('CLI_MISSING_ARGUMENT', { command: 'facts', argument: '<batch id>' });
  const { deleteBatch } = await import('../../app/facts/delete-batch.ts');
  const r = await ctx.withDatabase(({ db }) =>
    deleteBatch(db, id, { actor: cliActor, now: ctx.now() }),
  );
  ctx.io.stdout(
    ctx.t(
      `已删除批次 ${r.batchId}（${r.kind}）：${r.deleted} 行\n`,
      `Deleted batch ${r.batchId} (${r.kind}): ${r.deleted} rows\n`,
    ),
  );
  return 0;
}

/** `targetflow rollups verify` (exit 1 listing differences) and `targetflow rollups rebuild`. */
export async function rollupsCommand(ctx: CliContext, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  badArgs('rollups', () => parseArgs({ args: rest, options: {}, strict: true }));
  const { rebuildRollups, verifyRollups } = await import('../../app/facts/rebuild-rollups.ts');
  if (sub === 'verify') {
    const diffs = await ctx.withDatabase(({ db }) => verifyRollups(db));
    if (diffs.length === 0) {
      ctx.io.stdout(ctx.t('汇总表与明细一致\n', 'Rollups match the facts\n'));
      return 0;
    }
    ctx.io.stdout(
      ctx.t(
        `汇总表有 ${diffs.length} 处与明细不一致：\n`,
        `${diffs.length} rollup difference(s):\n`,
      ),
    );
    for (const d of diffs)
      ctx.io.stdout(
        `  ${d.table} ${JSON.stringify(d.key)} stored=${JSON.stringify(d.stored)} expected=${JSON.stringify(d.expected)}\n`,
      );
    return 1;
  }
  if (sub === 'rebuild') {
    const r = await ctx.withDatabase(({ db }) => rebuildRollups(db));
    ctx.io.stdout(
      ctx.t(
        `已重建汇总表：日 ${r.dayRows} 行，月 ${r.monthRows} 行\n`,
        `Rebuilt rollups: ${r.dayRows} day rows, ${r.monthRows} month rows\n`,
      ),
    );
    return 0;
  }
  throw new AppError('CLI_UNKNOWN_COMMAND', { command: `rollups ${sub ?? ''}`.trim() });
}
