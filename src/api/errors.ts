import { AppError } from '../domain/errors.ts';
import { errorMessages, type ErrorCode } from '../i18n/errors.ts';
import { interpolate } from '../i18n/interpolate.ts';
import type { Locale } from './context.ts';

/** The only place where error codes become HTTP statuses. Unlisted codes are 400. */
const statusByCode: Partial<Record<ErrorCode, number>> = {
  INTERNAL: 500,
  UNAUTHENTICATED: 401,
  LOGIN_FAILED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  VERSION_CONFLICT: 409,
  DUPLICATE: 409,
  IN_USE: 409,
  ORG_HAS_CHILDREN: 409,
  ORG_HAS_DATA: 409,
  LOGIN_LOCKED: 429,
  RATE_LIMITED: 429,
  IMPORT_INVALID: 422,
  PLAN_NOT_EDITABLE: 409,
  PLAN_TRANSITION_INVALID: 409,
  PLAN_PERIOD_FROZEN: 409,
  METRIC_BUILTIN_READONLY: 409,
};

export function statusOf(code: string): number {
  return statusByCode[code as ErrorCode] ?? 400;
}

export function translate(code: string, params: Record<string, unknown>, locale: Locale): string {
  const entry = errorMessages[code as ErrorCode];
  if (!entry) return code;
  return interpolate(entry[locale], translateParams(params, locale));
}

/** Entity names inside messages ("{{entity}} not found") are codes too; translate them. */
const entityNames: Record<string, Record<Locale, string>> = {
  org_unit: { 'zh-CN': '组织', en: 'Org unit' },
  member: { 'zh-CN': '销售人员', en: 'Member' },
  user: { 'zh-CN': '用户', en: 'User' },
  product: { 'zh-CN': '产品', en: 'Product' },
  product_line: { 'zh-CN': '产品线', en: 'Product line' },
  customer: { 'zh-CN': '客户', en: 'Customer' },
  channel: { 'zh-CN': '渠道', en: 'Channel' },
  region: { 'zh-CN': '区域', en: 'Region' },
  segment: { 'zh-CN': '客户细分', en: 'Segment' },
  customer_type: { 'zh-CN': '客户类型', en: 'Customer type' },
  holiday_override: { 'zh-CN': '节假日调整', en: 'Holiday override' },
  settings: { 'zh-CN': '系统设置', en: 'Settings' },
  metric: { 'zh-CN': '指标', en: 'Metric' },
  plan_version: { 'zh-CN': '计划版本', en: 'Plan version' },
  target_cell: { 'zh-CN': '目标', en: 'Target' },
  target_proposal: { 'zh-CN': '目标提报', en: 'Proposal' },
  plan: { 'zh-CN': '目标计划', en: 'Plan' },
  fact_batch: { 'zh-CN': '导入批次', en: 'Import batch' },
  column_mapping: { 'zh-CN': '列映射', en: 'Column mapping' },
  import_job: { 'zh-CN': '导入任务', en: 'Import job' },
  bad_rows_file: { 'zh-CN': '错误行文件', en: 'Bad-rows file' },
};

/** Dimension and tracked-metric codes inside messages ("cannot be filtered by {{dim}}"). */
const termNames: Record<string, Record<Locale, string>> = {
  product_line: { 'zh-CN': '产品线', en: 'product line' },
  channel: { 'zh-CN': '渠道', en: 'channel' },
  lifecycle: { 'zh-CN': '新老客', en: 'customer lifecycle' },
  region: { 'zh-CN': '区域', en: 'region' },
  segment: { 'zh-CN': '客户细分', en: 'segment' },
  revenue: { 'zh-CN': '销售额', en: 'Revenue' },
  gross_profit: { 'zh-CN': '毛利', en: 'Gross profit' },
  deals: { 'zh-CN': '成单数', en: 'Deals' },
  new_customers: { 'zh-CN': '新客户数', en: 'New customers' },
  collections: { 'zh-CN': '回款额', en: 'Collections' },
  leads: { 'zh-CN': '线索量', en: 'Leads' },
  opportunities: { 'zh-CN': '商机量', en: 'Opportunities' },
  visits: { 'zh-CN': '拜访量', en: 'Visits' },
  calls: { 'zh-CN': '电话量', en: 'Calls' },
};

function translateParams(params: Record<string, unknown>, locale: Locale): Record<string, unknown> {
  const out = { ...params };
  const entity = params.entity;
  if (typeof entity === 'string' && entityNames[entity]) out.entity = entityNames[entity][locale];
  for (const k of ['dim', 'metric', 'groupBy']) {
    const v = params[k];
    if (typeof v === 'string' && termNames[v]) out[k] = termNames[v][locale];
  }
  return out;
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
    problems: err.problems.map((p) => ({
      row: p.row,
      column: p.column,
      code: p.code,
      message: translate(p.code, p.params ?? {}, locale),
    })),
  };
}
