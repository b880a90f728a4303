import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { AppError } from '../domain/errors.ts';
import { type CliIo, createContext } from './cli-context.ts';
import { describeError, localeFromEnv } from './messages.ts';
import { badArgs } from './parse.ts';
import { commands, helpText } from './usage.ts';

export type { CliIo } from './cli-context.ts';

/** Exit codes: 0 done, 1 the work failed (bad data, refused), 2 the command line was wrong. */
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

const usageCodes = new Set([
  'CLI_UNKNOWN_COMMAND',
  'CLI_BAD_ARGS',
  'CLI_MISSING_OPTION',
  'CLI_MISSING_ARGUMENT',
  'CLI_EXTRA_ARGUMENT',
]);

/**
 * The `targetflow` command. Returns the exit code instead of exiting, and talks to the world
 * only through `io`, so tests call it like a function.
 */
export async function main(argv: readonly string[], io: CliIo): Promise<number> {
  const locale = localeFromEnv(io.env);
  const ctx = createContext(io, locale);
  const [command, ...rest] = argv;
  const wantsHelp = rest.includes('--help') || rest.includes('-h');
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      io.stdout(helpText(rest[0] ?? '', locale));
      return 0;
    }
    if (command === '--version' || command === '-v') {
      io.stdout('targetflow 0.1.0\n');
      return 0;
    }
    if (wantsHelp) {
      if (!(commands as readonly string[]).includes(command))
        throw new AppError('CLI_UNKNOWN_COMMAND', { command });
      io.stdout(helpText(command, locale));
      return 0;
    }
    // Commands load on use: the server and the spreadsheet libraries take seconds to import,
    // and `--help` or a typo should answer at once.
    switch (command) {
      case 'serve':
        return await (await import('./commands/serve.ts')).serveCommand(ctx, rest);
      case 'worker':
        return await (await import('./commands/worker.ts')).workerCommand(ctx, rest);
      case 'migrate':
        badArgs('migrate', () => parseArgs({ args: rest, options: {}, strict: true }));
        return await (await import('./commands/migrate.ts')).migrateCommand(ctx);
      case 'seed-demo':
        return await (await import('./commands/seed-demo.ts')).seedDemoCommand(ctx, rest);
      case 'user': {
        const [sub, ...args] = rest;
        if (sub !== 'add')
          throw new AppError('CLI_UNKNOWN_COMMAND', { command: `user ${sub ?? ''}`.trim() });
        return await (await import('./commands/add-user.ts')).addUserCommand(ctx, args);
      }
      case 'import':
        return await (await import('./commands/import-export.ts')).importCommand(ctx, rest);
      case 'export':
        return await (await import('./commands/import-export.ts')).exportCommand(ctx, rest);
      case 'facts':
        return await (await import('./commands/facts.ts')).factsCommand(ctx, rest);
      case 'rollups':
        return await (await import('./commands/facts.ts')).rollupsCommand(ctx, rest);
      case 'backup':
        return await (await import('./commands/backup.ts')).backupCommand(ctx, rest);
      case 'alerts':
        return await (await import('./commands/alerts.ts')).alertsCommand(ctx, rest);
      default:
        throw new AppError('CLI_UNKNOWN_COMMAND', { command });
    }
  } catch (e) {
    io.stderr(describeError(e, locale));
    return e instanceof AppError && usageCodes.has(e.code) ? EXIT_USAGE : EXIT_FAILED;
  }
}

/** Run directly (tsx src/cli/main.ts …, or through bin/targetflow.js), not when imported by a test. */
function isEntryPoint(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isEntryPoint()) {
  const code = await main(process.argv.slice(2), {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  });
  process.exitCode = code;
}
