import { AppError, type Problem } from '../domain/errors.ts';
import type { ErrorCode } from '../i18n/errors.ts';
import { translate } from '../i18n/translate.ts';
import type { Locale } from '../i18n/translate.ts';

/** The only place where error codes become HTTP statuses. Unlisted codes are 400. */
const statusByCode: Partial<Record<ErrorCode, number>> = {
  INTERNAL: 500,
  UNAUTHENTICATED: 401,
  LOGIN_FAILED: 401,
  FORBIDDEN: 403,
  FACT_ORDER_OUTSIDE_SCOPE: 403,
  FACT_BATCH_FIRST_DEAL_OUTSIDE_SCOPE: 403,
  COLUMN_MAPPING_NOT_OWNER: 403,
  MANAGER_APPOINTMENT_FORBIDDEN: 403,
  CROSS_SITE_REQUEST: 403,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  DUPLICATE: 409,
  IN_USE: 409,
  ORG_HAS_CHILDREN: 409,
  ORG_HAS_DATA: 409,
  LOGIN_THROTTLED: 429,
  RATE_LIMITED: 429,
  REQUEST_MEDIA_TYPE: 415,
  REQUEST_TOO_LARGE: 413,
  REQUEST_BODY_INVALID: 400,
  IMPORT_INVALID: 422,
  PLAN_NOT_EDITABLE: 409,
  PLAN_TRANSITION_INVALID: 409,
  PLAN_PERIOD_FROZEN: 409,
  METRIC_BUILTIN_READONLY: 409,
  IMPORT_CONFLICT: 409,
  IMPORT_CANCELLED: 409,
  ALERT_STATE_INVALID: 409,
  ALERT_PLAN_KIND: 409,
  ALERT_RULE_INVALID: 422,
  ALERT_ASSIGNEE_OUTSIDE_SCOPE: 422,
};

export function statusOf(code: string): number {
  return statusByCode[code as ErrorCode] ?? 400;
}

export interface ErrorBody {
  code: string;
  message: string;
  params: Record<string, string | number>;
  problems: { row?: number; column?: string; code: string; message: string }[];
}

export function errorBody(err: AppError, locale: Locale): ErrorBody {
  return {
    code: err.code,
    message: translate(err.code, err.params, locale),
    params: err.params,
    problems: problemsBody(err.problems, locale),
  };
}

/** Row-level problems with their messages in the reader's language. */
export function problemsBody(problems: readonly Problem[], locale: Locale): ErrorBody['problems'] {
  return problems.map((p) => ({
    row: p.row,
    column: p.column,
    code: p.code,
    message: translate(p.code, p.params ?? {}, locale),
  }));
}
