import { AppError } from '../domain/errors.ts';

/**
 * Runs `node:util` parseArgs and turns its complaints (unknown option, missing value) into a
 * usage error that names the command, instead of a stack trace.
 */
export function badArgs<T>(command: string, parse: () => T): T {
  try {
    return parse();
  } catch (e) {
    const err = e as { code?: string; message?: string };
    if (typeof err.code === 'string' && err.code.startsWith('ERR_PARSE_ARGS')) {
      throw new AppError('CLI_BAD_ARGS', { command, reason: err.message ?? String(e) });
    }
    throw e;
  }
}

/** A required string option, or a usage error naming it. */
export function required(command: string, values: Record<string, unknown>, option: string): string {
  const v = values[option];
  if (typeof v !== 'string' || v.trim() === '')
    throw new AppError('CLI_MISSING_OPTION', { command, option });
  return v.trim();
}
