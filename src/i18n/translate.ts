import { errorMessages, importFormatReasons } from './errors.ts';
import { interpolate } from './interpolate.ts';

export type Locale = 'zh-CN' | 'en';

/** An error code and its params as a message in the reader's language. */
export function translate(code: string, params: Record<string, unknown>, locale: Locale): string {
  const entry = (errorMessages as Record<string, Record<Locale, string>>)[code];
  if (!entry) return code;
  return interpolate(entry[locale], translateParams(code, params, locale));
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
  job: { 'zh-CN': '后台任务', en: 'Job' },
  notification_channel: { 'zh-CN': '通知渠道', en: 'Notification channel' },
  notification_delivery: { 'zh-CN': '通知发送记录', en: 'Notification delivery' },
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

function translateParams(
  code: string,
  params: Record<string, unknown>,
  locale: Locale,
): Record<string, unknown> {
  const out = { ...params };
  const reason = params.reason;
  const reasons = importFormatReasons as Record<string, Record<Locale, string>>;
  if (code === 'IMPORT_FORMAT' && typeof reason === 'string' && reasons[reason])
    out.reason = interpolate(reasons[reason][locale], params);
  const entity = params.entity;
  if (typeof entity === 'string' && entityNames[entity]) out.entity = entityNames[entity][locale];
  for (const k of ['dim', 'metric', 'groupBy']) {
    const v = params[k];
    if (typeof v === 'string' && termNames[v]) out[k] = termNames[v][locale];
  }
  if (typeof params.waitSeconds === 'number') out.wait = formatWait(params.waitSeconds, locale);
  return out;
}

/** A wait as people say it: "45 秒", "2 分 30 秒", "15 分钟" / "45 seconds", "15 minutes". */
export function formatWait(seconds: number, locale: Locale): string {
  const s = Math.max(1, Math.ceil(seconds));
  const m = Math.floor(s / 60);
  const rest = s % 60;
  if (locale === 'zh-CN') {
    if (m === 0) return `${s} 秒`;
    return rest ? `${m} 分 ${rest} 秒` : `${m} 分钟`;
  }
  const unit = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;
  if (m === 0) return unit(s, 'second');
  return rest ? `${unit(m, 'minute')} ${unit(rest, 'second')}` : unit(m, 'minute');
}
