import type { ErrorCode } from '../i18n/errors.ts';

export type { ErrorCode } from '../i18n/errors.ts';

/**
 * The one error type of Targetflow. Every error has a stable `code` (the catalogue lives in
 * `src/i18n/errors.ts` with zh/en messages; HTTP statuses are mapped only at the API edge) and
 * structured `params` used to fill in the message. Row-level problems of an import travel in
 * `problems`, each naming its row and column.
 */
export interface Problem {
  /** 1-based row number as the user sees it in the file (header is row 1). */
  row?: number;
  /** Column header as it appears in the file, or the field name. */
  column?: string;
  code: ErrorCode;
  params?: Record<string, string | number>;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  readonly problems: Problem[];

  constructor(
    code: ErrorCode,
    params: Record<string, string | number> = {},
    problems: Problem[] = [],
  ) {
    super(code + (Object.keys(params).length ? ' ' + JSON.stringify(params) : ''));
    this.name = 'AppError';
    this.code = code;
    this.params = params;
    this.problems = problems;
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}
