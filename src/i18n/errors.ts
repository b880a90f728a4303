import type { cliMessages } from './cli-messages.ts';

/**
 * The error catalogue: every stable error code with its zh-CN and en message. Used by the server
 * (to answer in the caller's language) and by the web app. A test checks both languages exist.
 */
export const errorMessages = {
  INTERNAL: {
    'zh-CN': '服务器内部错误，请稍后重试',
    en: 'Internal server error; please try again later',
  },
  UNAUTHENTICATED: { 'zh-CN': '请先登录', en: 'Please sign in first' },
  FORBIDDEN: { 'zh-CN': '无权访问该数据', en: 'You do not have access to this data' },
  NOT_FOUND: { 'zh-CN': '{{entity}} 不存在', en: '{{entity}} not found' },
  VALIDATION: {
    'zh-CN': '输入有误：{{field}} {{reason}}',
    en: 'Invalid input: {{field}} {{reason}}',
  },
  VERSION_CONFLICT: {
    'zh-CN': '数据已被他人修改（当前版本 {{current}}，您提交的是 {{given}}），请刷新后重试',
    en: 'This record was changed by someone else (now version {{current}}, you sent {{given}}); reload and try again',
  },
  DUPLICATE: { 'zh-CN': '编码 {{code}} 已存在', en: 'Code {{code}} already exists' },
  ALERT_RULE_INVALID: {
    'zh-CN': '预警规则的 {{field}} 无效：{{value}}',
    en: 'Invalid alert rule {{field}}: {{value}}',
  },
  ALERT_STATE_INVALID: {
    'zh-CN': '该预警当前状态为 {{state}}，不能执行 {{action}}',
    en: 'This alert is {{state}}; it cannot be given {{action}}',
  },
  ALERT_SNOOZE_DATE: {
    'zh-CN': '暂缓截止日期 {{until}} 必须晚于今天（{{today}}）',
    en: 'The snooze date {{until}} must be after today ({{today}})',
  },
  ALERT_PLAN_DUE_DATE: {
    'zh-CN': '应急计划的截止日期 {{dueDate}} 不能早于今天（{{today}}）',
    en: 'The plan\'s due date {{dueDate}} cannot be before today ({{today}})',
  },
  ALERT_PLAN_KIND: {
    'zh-CN': '只有止损预警需要应急改进计划',
    en: 'Only a stop-loss alert takes a contingency plan',
  },
  ALERT_ASSIGNEE_OUTSIDE_SCOPE: {
    'zh-CN': '成员 {{memberId}} 不在该预警的范围内，不能指派或担任负责人',
    en: 'Member {{memberId}} is outside this alert\'s scope and cannot be assigned or own its plan',
  },
  LOGIN_FAILED: { 'zh-CN': '用户名或密码错误', en: 'Wrong username or password' },
  LOGIN_THROTTLED: {
    'zh-CN': '该账号登录失败次数过多，请 {{wait}}后再试',
    en: 'Too many failed sign-ins for this account; try again in {{wait}}',
  },
  RATE_LIMITED: { 'zh-CN': '请求过于频繁，请稍后再试', en: 'Too many requests; slow down' },
  REQUEST_MEDIA_TYPE: {
    'zh-CN':
      '请求的内容类型不受支持（{{type}}）：上传文件请用表单（multipart/form-data），其他请求请用 JSON',
    en: 'Unsupported content type ({{type}}): upload files as a form (multipart/form-data), send other requests as JSON',
  },
  REQUEST_BODY_INVALID: {
    'zh-CN': '请求内容不是有效的 JSON',
    en: 'The request body is not valid JSON',
  },
  REQUEST_TOO_LARGE: {
    'zh-CN': '请求内容过大',
    en: 'The request body is too large',
  },
  REQUEST_INVALID: {
    'zh-CN': '请求无法处理（HTTP {{status}}）',
    en: 'The request cannot be processed (HTTP {{status}})',
  },
  CROSS_SITE_REQUEST: {
    'zh-CN': '已拒绝来自其他网站的请求（{{origin}}）；请在本系统的页面中操作',
    en: 'Request from another site refused ({{origin}}); please use this application’s own pages',
  },
  // Durable jobs (src/jobs, src/db/jobs.ts)
  JOB_CANCELLED: {
    'zh-CN': '任务已取消，未做任何更改',
    en: 'The job was cancelled; nothing was changed',
  },
  JOB_LEASE_EXPIRED: {
    'zh-CN': '执行任务的进程已停止；任务将重新执行或已标记为失败',
    en: 'The process running this job stopped; the job is retried or marked failed',
  },
  JOB_SHUTDOWN: {
    'zh-CN': '服务正在停止，任务已退回队列，稍后继续',
    en: 'The server is stopping; the job went back to the queue and will run again',
  },
  JOB_KIND_UNKNOWN: { 'zh-CN': '未知的任务类型“{{kind}}”', en: 'Unknown job kind "{{kind}}"' },
  JOB_NOT_CANCELLABLE: {
    'zh-CN': '任务已结束（{{state}}），无法取消',
    en: 'The job has already ended ({{state}}) and cannot be cancelled',
  },
  WRONG_PASSWORD: { 'zh-CN': '当前密码不正确', en: 'The current password is wrong' },
  PASSWORD_WEAK: {
    'zh-CN': '密码至少 {{min}} 位，且需同时包含字母和数字',
    en: 'The password needs at least {{min}} characters with letters and digits',
  },
  PASSWORD_COMMON: {
    'zh-CN': '这个密码太常见，很容易被猜到，请换一个',
    en: 'This password is one of the most common and easily guessed; choose another',
  },
  ORG_CYCLE: {
    'zh-CN': '不能把组织移动到它自己的下级之下',
    en: 'A unit cannot be moved under its own descendant',
  },
  ORG_HAS_CHILDREN: {
    'zh-CN': '该组织仍有下级或成员，不能删除',
    en: 'This unit still has sub-units or members',
  },
  ORG_HAS_DATA: {
    'zh-CN': '该组织名下已有业绩数据或目标，不能删除',
    en: 'Actuals or targets are credited to this unit, so it cannot be deleted',
  },
  ORG_ROOT_REQUIRED: {
    'zh-CN': '只能有一个顶级组织（公司）',
    en: 'There can be only one top-level unit (the company)',
  },
  MEMBERSHIP_OVERLAP: {
    'zh-CN': '调动日期 {{date}} 早于当前归属的开始日期 {{start}}',
    en: 'Transfer date {{date}} is before the current membership start {{start}}',
  },
  TREE_CYCLE: {
    'zh-CN': '不能把节点移动到它自己或它的下级之下',
    en: 'A node cannot be moved under itself or its own descendant',
  },
  LAST_ADMIN: {
    'zh-CN': '这是最后一个启用的管理员，不能停用或降级',
    en: 'This is the last active admin; it cannot be deactivated or demoted',
  },
  USER_MEMBER_REQUIRED: {
    'zh-CN': '{{role}} 角色的用户必须关联一名销售人员',
    en: 'A {{role}} user must be linked to a member',
  },
  IN_USE: {
    'zh-CN': '{{entity}} 仍被引用，不能删除',
    en: '{{entity}} is still referenced and cannot be deleted',
  },
  // Value parsing (domain)
  MONEY_INVALID: { 'zh-CN': '金额格式不正确：“{{value}}”', en: 'Not a valid amount: "{{value}}"' },
  MONEY_TOO_PRECISE: {
    'zh-CN': '金额最多保留两位小数（到分）：“{{value}}”',
    en: 'Amounts have at most 2 decimals (fen): "{{value}}"',
  },
  MONEY_OUT_OF_RANGE: {
    'zh-CN': '金额超出范围：“{{value}}”',
    en: 'Amount out of range: "{{value}}"',
  },
  DATE_INVALID: {
    'zh-CN': '日期格式不正确：“{{value}}”（应为 YYYY-MM-DD）',
    en: 'Not a valid date: "{{value}}" (use YYYY-MM-DD)',
  },
  DATE_AMBIGUOUS: {
    'zh-CN':
      '日期“{{value}}”无法判断格式：按 月/日/年（MDY）是 {{mdy}}，按 日/月/年（DMY）是 {{dmy}}，请在导入选项中选择日期格式',
    en: 'The date "{{value}}" reads two ways: {{mdy}} as month/day/year (MDY) or {{dmy}} as day/month/year (DMY); choose the date format in the import options',
  },
  DATE_FORMAT_MIXED: {
    'zh-CN':
      '文件中的日期格式不一致：“{{mdy}}”只能是 月/日/年（MDY），“{{dmy}}”只能是 日/月/年（DMY）',
    en: 'The file mixes date formats: "{{mdy}}" can only be month/day/year (MDY), "{{dmy}}" only day/month/year (DMY)',
  },
  PERIOD_INVALID: { 'zh-CN': '期间格式不正确：“{{value}}”', en: 'Not a valid period: "{{value}}"' },
  PERCENT_INVALID: {
    'zh-CN': '百分比格式不正确：“{{value}}”',
    en: 'Not a valid percentage: "{{value}}"',
  },
  NUMBER_INVALID: { 'zh-CN': '数字格式不正确：“{{value}}”', en: 'Not a valid number: "{{value}}"' },
  ENUM_INVALID: {
    'zh-CN': '“{{value}}” 不是有效值，可选：{{allowed}}',
    en: '"{{value}}" is not allowed; expected one of: {{allowed}}',
  },
  REQUIRED: { 'zh-CN': '必填项为空', en: 'This value is required' },
  ALLOCATION_NEGATIVE_WEIGHT: { 'zh-CN': '权重不能为负数', en: 'Weights cannot be negative' },
  ALLOCATION_LOCKS_EXCEED: {
    'zh-CN': '锁定值合计 {{locked}} 超过上级 {{total}}',
    en: 'Locked cells total {{locked}}, more than the parent {{total}}',
  },
  ALLOCATION_NO_WEIGHT: {
    'zh-CN': '没有可分配的对象（权重全为零）',
    en: 'Nothing to allocate to (all weights are zero)',
  },
  RATIO_INVALID: {
    'zh-CN': '比例 {{numerator}}/{{denominator}} 无效（分母不能为零）',
    en: 'Invalid ratio {{numerator}}/{{denominator}} (the denominator cannot be zero)',
  },
  PERCENT_TOO_PRECISE: {
    'zh-CN': '百分比最多保留两位小数：“{{value}}”',
    en: 'Percentages have at most 2 decimals: "{{value}}"',
  },
  ALLOCATION_PERCENTS_NOT_100: {
    'zh-CN': '各项比例合计应为 100%，当前为 {{sum}} 个基点（1% = 100）',
    en: 'The shares must add up to 100%; they add up to {{sum}} basis points (1% = 100)',
  },
  ALLOCATION_INVALID: {
    'zh-CN': '分配参数无效：{{reason}}',
    en: 'Invalid allocation input: {{reason}}',
  },
  TIER_RULES_INVALID: {
    'zh-CN': '客户分级规则无效：{{reason}}',
    en: 'Invalid customer tier rules: {{reason}}',
  },
  TIER_PERCENT_INVALID: {
    'zh-CN': '目标档位比例无效：{{field}} = {{value}}（基点）',
    en: 'Invalid target tier percentage: {{field}} = {{value}} (basis points)',
  },
  // Planning engine (src/domain/planning)
  PLANNING_INVALID: {
    'zh-CN': '目标规划参数无效：{{reason}}',
    en: 'Invalid planning input: {{reason}}',
  },
  FUNNEL_OUT_OF_RANGE: {
    'zh-CN': '按这些转化率，“{{stage}}”需要 {{value}} 个，超出可计算范围；请检查转化率是否过低',
    en: 'At these conversion rates "{{stage}}" would need {{value}}, more than can be counted exactly; check for rates that are too low',
  },
  PLANNING_TIER_UNKNOWN: {
    'zh-CN': '未设置“{{tier}}”级别的人均产能',
    en: 'No productivity is set for the tier "{{tier}}"',
  },
  PLANNING_NO_WORKING_DAYS: {
    'zh-CN': '{{month}} 没有工作日，无法分配目标',
    en: '{{month}} has no working days to carry a target',
  },
  PLANNING_REVISION_BELOW_FROZEN: {
    'zh-CN': '新目标 {{total}} 低于已冻结期间的合计 {{frozen}}（分），已过去的期间不能改动',
    en: 'The new target {{total}} is below the {{frozen}} (fen) of frozen periods, which cannot change',
  },
  PLANNING_NO_REMAINING_PERIODS: {
    'zh-CN': '没有剩余期间可以承接调整（已冻结 {{frozen}}，新目标 {{total}}，单位：分）',
    en: 'No remaining period can absorb the change (frozen {{frozen}}, new target {{total}}, in fen)',
  },
  METRIC_UNKNOWN: { 'zh-CN': '未知指标“{{code}}”', en: 'Unknown metric "{{code}}"' },
  METRIC_NOT_SPLITTABLE: {
    'zh-CN': '指标“{{code}}”（{{kind}}）只能继承或计算，不能拆分',
    en: 'The metric "{{code}}" is {{kind}}: it is inherited or computed, never split',
  },
  METRIC_INPUT_MISSING: {
    'zh-CN': '计算“{{metric}}”需要“{{input}}”的数值',
    en: 'Computing "{{metric}}" needs a value for "{{input}}"',
  },
  FUNNEL_RATE_INVALID: {
    'zh-CN': '“{{stage}}”的转化率 {{value}} 无效（应为 1–10000 基点）',
    en: 'Conversion rate {{value}} for "{{stage}}" is invalid (1–10,000 basis points)',
  },
  SEASONALITY_NO_HISTORY: {
    'zh-CN': '近 {{years}} 年没有完整的历史数据，无法按历史计算季节权重',
    en: 'No complete history in the last {{years}} years to derive seasonal weights from',
  },
  SEASONALITY_HISTORY_MISSING: {
    'zh-CN': '缺少 {{month}} 的历史数据',
    en: 'History is missing for {{month}}',
  },
  DECOMPOSE_TREE_INVALID: {
    'zh-CN': '分解树无效：{{reason}}',
    en: 'Invalid decomposition tree: {{reason}}',
  },
  DECOMPOSE_LOCKS_EXCEED: {
    'zh-CN': '“{{parentId}}”下锁定值合计 {{locked}} 超过上级目标 {{parent}}',
    en: 'Locked values under "{{parentId}}" total {{locked}}, more than its target {{parent}}',
  },
  DECOMPOSE_NEGATIVE_WEIGHT: {
    'zh-CN': '“{{nodeId}}”的权重（{{method}}）不能为负数',
    en: 'The {{method}} weight of "{{nodeId}}" cannot be negative',
  },
  DECOMPOSE_WEIGHT_MISSING: {
    'zh-CN': '“{{nodeId}}”缺少按 {{method}} 分解所需的数值',
    en: '"{{nodeId}}" has no value for the {{method}} split',
  },
  DECOMPOSE_NO_WEIGHT: {
    'zh-CN': '“{{parentId}}”的下级按 {{method}} 分解时权重全为零，无法分配',
    en: 'All {{method}} weights under "{{parentId}}" are zero; nothing to split by',
  },
  DECOMPOSE_MANUAL_MISMATCH: {
    'zh-CN': '“{{parentId}}”下手工填写的目标合计 {{sum}}，与上级目标 {{parent}} 不一致',
    en: 'The targets typed under "{{parentId}}" add up to {{sum}}, not its {{parent}}',
  },
  MATRIX_MARGINS_DISAGREE: {
    'zh-CN': '行合计 {{rows}} 与列合计 {{cols}} 不一致，无法同时满足',
    en: 'The row totals ({{rows}}) and column totals ({{cols}}) disagree; both cannot hold',
  },
  MATRIX_INVALID: {
    'zh-CN': '矩阵分解参数无效：{{reason}}',
    en: 'Invalid matrix input: {{reason}}',
  },
  MATRIX_ROW_ZERO_SEED: {
    'zh-CN': '第 {{row}} 行的合计为 {{total}}，但种子矩阵中该行全为零',
    en: 'Row {{row}} must total {{total}} but all its seed cells are zero',
  },
  MATRIX_COLUMN_ZERO_SEED: {
    'zh-CN': '第 {{column}} 列的合计为 {{total}}，但种子矩阵中该列全为零',
    en: 'Column {{column}} must total {{total}} but all its seed cells are zero',
  },
  MATRIX_INFEASIBLE: {
    'zh-CN': '种子矩阵中的零格使行、列合计无法同时满足',
    en: 'The zero cells of the seed make the row and column totals impossible to meet together',
  },
  // Two-margin matrix fit in the planner (src/db/plans/fit-matrix-cells.ts)
  MATRIX_TOTALS_DISAGREE: {
    'zh-CN': '行合计 {{rows}} 与列合计 {{cols}} 不一致（相差 {{diff}}），两组合计必须相等',
    en: 'The row totals add up to {{rows}} but the column totals to {{cols}} (a difference of {{diff}}); both must be equal',
  },
  MATRIX_PARENT_MISMATCH: {
    'zh-CN': '行、列合计为 {{sum}}，与“{{name}}” {{period}} 的目标 {{parent}} 不一致',
    en: 'The totals add up to {{sum}}, not the {{parent}} target of "{{nameEn}}" for {{period}}',
  },
  MATRIX_MARGIN_LOCKED: {
    'zh-CN': '“{{name}}”已锁定为 {{value}}，其合计不能修改',
    en: '"{{nameEn}}" is locked at {{value}}; its total cannot change',
  },
  MATRIX_LOCKS_EXCEED: {
    'zh-CN': '“{{name}}”中已锁定的单元格合计 {{locked}}，超过了它的合计 {{total}}',
    en: 'The locked cells of "{{nameEn}}" add up to {{locked}}, more than its total {{total}}',
  },
  MATRIX_SEED_EMPTY: {
    'zh-CN':
      '“{{name}}”的合计为 {{total}}，但去年该项实际全为零，无法按去年结构拟合；请改用平均种子或把它的合计设为 0',
    en: '"{{nameEn}}" must total {{total}} but had no actuals last year to fit from; use the even seed or set its total to 0',
  },
  MATRIX_NO_HISTORY: {
    'zh-CN': '指标“{{metric}}”没有可用的历史实际，请使用平均种子',
    en: 'The metric "{{metric}}" has no actuals to learn from; use the even seed',
  },
  // Member transfers and their targets (src/db/plans/transfer-targets.ts)
  TRANSFER_TARGET_DECISION_REQUIRED: {
    'zh-CN':
      '该成员在 {{from}} 起仍有 {{months}} 个月的目标（合计 {{total}}），请选择：随人调走、留在原单位或在原单位重新分配',
    en: 'This member still has targets for {{months}} months from {{from}} (total {{total}}); choose to move them, keep them with the old unit or re-split them in the old unit',
  },
  TRANSFER_RESPLIT_NO_MEMBERS: {
    'zh-CN': '原单位在 {{period}} 没有其他可承接目标的成员，不能重新分配；请选择随人调走或保留',
    en: 'The old unit has no other member to take the target for {{period}}; move it or keep it instead',
  },
  TRANSFER_NEW_UNIT_ABSORB: {
    'zh-CN': '新单位在 {{period}} 没有其他未锁定的成员可以让出 {{amount}} 的目标',
    en: 'The new unit has no other unlocked member to give up {{amount}} of target for {{period}}',
  },
  // Planning API (src/api/plans, src/api/metrics)
  PLAN_NOT_EDITABLE: {
    'zh-CN': '版本 {{number}} 当前为“{{status}}”状态，只有草稿可以修改',
    en: 'Version {{number}} is {{status}}; only a draft can be changed',
  },
  PLAN_TRANSITION_INVALID: {
    'zh-CN': '版本 {{number}} 当前为“{{status}}”状态，不能执行“{{action}}”',
    en: 'Version {{number}} is {{status}}; it cannot {{action}}',
  },
  PLAN_PERIOD_FROZEN: {
    'zh-CN': '{{period}} 已过去（{{frozenBefore}} 之前的月份已冻结），不能修改',
    en: '{{period}} has passed (months before {{frozenBefore}} are frozen) and cannot change',
  },
  PLAN_CELL_MISSING: {
    'zh-CN': '{{key}} 还没有目标，请先设定上级目标',
    en: '{{key}} has no target yet; set the parent target first',
  },
  METRIC_BUILTIN_READONLY: {
    'zh-CN': '内置指标“{{code}}”不能修改或删除',
    en: 'The built-in metric "{{code}}" cannot be changed or deleted',
  },
  METRIC_FORMULA_INVALID: {
    'zh-CN': '指标“{{code}}”的定义无效：{{reason}}',
    en: 'The metric "{{code}}" is not valid: {{reason}}',
  },
  // Imports
  IMPORT_INVALID: {
    'zh-CN': '文件有 {{count}} 处错误，未做任何更改',
    en: 'The file has {{count}} problem(s); nothing was changed',
  },
  // {{reason}} is a key of importFormatReasons below, translated with the message.
  IMPORT_FORMAT: { 'zh-CN': '无法读取文件：{{reason}}', en: 'Cannot read the file: {{reason}}' },
  IMPORT_NO_FILE: {
    'zh-CN': '请求中没有文件，请选择一个文件后再上传',
    en: 'The request holds no file; choose a file and upload it',
  },
  IMPORT_UPLOAD_BROKEN: {
    'zh-CN': '上传的内容不完整或已损坏，请重新上传',
    en: 'The upload is incomplete or damaged; please upload the file again',
  },
  IMPORT_UPLOAD_TOO_LARGE: {
    'zh-CN': '文件过大，单个文件最多 {{max}} MB',
    en: 'The file is too large; the limit is {{max}} MB',
  },
  IMPORT_FILE_NAME_INVALID: {
    'zh-CN': '文件名的编码无效，请重命名文件后再上传',
    en: 'The file name is not validly encoded; rename the file and upload it again',
  },
  IMPORT_TOO_MANY_COLUMNS: {
    'zh-CN':
      '单元格 {{cell}} 超出了 {{max}} 列的上限（最后一列为 {{last}}），请删除多余的列后再导入',
    en: 'Cell {{cell}} is beyond the limit of {{max}} columns (the last is {{last}}); delete the extra columns and import again',
  },
  IMPORT_ROWS_OVER_LIMIT: {
    'zh-CN':
      '文件超过 {{max}} 行数据（读到第 {{row}} 行时超出），单次最多导入 {{max}} 行，请拆分后再导入',
    en: 'The file has more than {{max}} data rows (over the limit at row {{row}}); at most {{max}} can be imported at once, please split it',
  },
  IMPORT_SHEET_TOO_LARGE: {
    'zh-CN':
      '工作表“{{sheet}}”的已用区域 {{range}} 超出上限（最多 {{maxRows}} 行数据、{{maxColumns}} 列），请删除多余的行和列后再导入',
    en: 'The used range {{range}} of worksheet "{{sheet}}" is over the limit (at most {{maxRows}} data rows and {{maxColumns}} columns); delete the extra rows and columns and import again',
  },
  IMPORT_UNPACKED_TOO_LARGE: {
    'zh-CN': '工作簿解压后过大，无法导入；请只保留需要导入的工作表和数据后另存为新文件',
    en: 'The workbook is too large once unpacked; keep only the sheet and data to import and save it as a new file',
  },
  IMPORT_EMPTY: { 'zh-CN': '文件中没有数据行', en: 'The file has no data rows' },
  IMPORT_MISSING_COLUMN: {
    'zh-CN': '缺少必需的列“{{column}}”',
    en: 'Missing required column "{{column}}"',
  },
  /** A declared column (columns.ts) missing: named by its Chinese or its English alias. */
  IMPORT_REQUIRED_COLUMN_MISSING: {
    'zh-CN': '缺少必需的列“{{column}}”',
    en: 'Missing required column "{{columnEn}}"',
  },
  IMPORT_MISSING_OWNER_COLUMN: {
    'zh-CN': '缺少必需的列“{{column}}”（也可以用组织列“{{unit}}”代替，按组织计入业绩）',
    en: 'Missing required column "{{columnEn}}" (a unit column, "{{unitEn}}", also works: the rows are then credited to the unit)',
  },
  IMPORT_UNKNOWN_COLUMN: { 'zh-CN': '无法识别的列“{{column}}”', en: 'Unknown column "{{column}}"' },
  IMPORT_DUPLICATE_KEY: {
    'zh-CN': '编码 {{code}} 在文件中重复（另见第 {{other}} 行）',
    en: 'Code {{code}} appears twice in the file (also row {{other}})',
  },
  IMPORT_TOO_LARGE: {
    'zh-CN': '文件过大（{{size}} MB），单个文件最多 {{max}} MB',
    en: 'The file is too large ({{size}} MB); the limit is {{max}} MB',
  },
  IMPORT_TOO_MANY_ROWS: {
    'zh-CN': '文件有 {{count}} 行数据，单次最多导入 {{max}} 行，请拆分后再导入',
    en: 'The file has {{count}} data rows; at most {{max}} can be imported at once, please split it',
  },
  IMPORT_SHEET_NOT_FOUND: {
    'zh-CN': '找不到工作表“{{sheet}}”，文件中的工作表：{{available}}',
    en: 'No worksheet named "{{sheet}}"; the file has: {{available}}',
  },
  IMPORT_DUPLICATE_COLUMN: {
    'zh-CN': '列“{{column}}”与列“{{other}}”表示同一项，请只保留一列',
    en: 'Columns "{{column}}" and "{{other}}" mean the same thing; keep only one',
  },
  IMPORT_ROW_TOO_LONG: {
    'zh-CN':
      '第 {{row}} 行有 {{actual}} 列，表头只有 {{expected}} 列（可能有未加引号的逗号，如 ¥31,000）',
    en: 'Row {{row}} has {{actual}} columns, the header {{expected}} (an unquoted comma, as in ¥31,000?)',
  },
  IMPORT_UNIT_UNSUPPORTED: {
    'zh-CN': '列“{{column}}”的单位“{{unit}}”不受支持，请以元为单位填写',
    en: 'Column "{{column}}" uses the unit "{{unit}}"; please enter amounts in yuan',
  },
  INTEGER_INVALID: { 'zh-CN': '应为整数：“{{value}}”', en: 'Not a whole number: "{{value}}"' },
  DATE_ORDER: {
    'zh-CN': '结束日期 {{end}} 早于开始日期 {{start}}',
    en: 'End date {{end}} is before start date {{start}}',
  },
  PLAN_CELL_LOCKED: {
    'zh-CN': '{{key}} 已锁定，不能在导入中修改',
    en: '{{key}} is locked; it cannot change on import',
  },
  PLAN_IMPORT_COMMITTED_TARGET: {
    'zh-CN': '{{key}} 是已承诺的目标（{{value}}），请在目标规划中修改',
    en: '{{key}} is the committed target ({{value}}); change it in the planner',
  },
  PLAN_IMPORT_OTHER_VERSION: {
    'zh-CN': '该文件属于版本 {{fileVersionId}}，不是 {{versionId}}',
    en: 'This file belongs to version {{fileVersionId}}, not {{versionId}}',
  },
  REFERENCE_NOT_FOUND: {
    'zh-CN': '找不到{{entity}}“{{value}}”',
    en: '{{entity}} "{{value}}" not found',
  },
  CALENDAR_YEAR_UNKNOWN: {
    'zh-CN': '{{year}} 年尚无官方节假日数据，请管理员补充',
    en: 'No official holiday data for {{year}} yet; an admin should add it',
  },
  // Tracking measures (src/domain/tracking)
  TRACKING_INVALID: {
    'zh-CN': '跟踪指标参数无效：{{field}} = “{{value}}”',
    en: 'Invalid tracking input: {{field}} = "{{value}}"',
  },
  TRACKING_NEEDS_UNIT: {
    'zh-CN': '排名和按下级组织的分析只适用于组织，不适用于单个销售人员',
    en: 'Rankings and breakdowns by child unit are for a unit, not a single member',
  },
  TRACKING_FILTER_UNSUPPORTED: {
    'zh-CN': '{{metric}}不能按{{dim}}筛选（只有销售额、毛利和成单数有该维度）',
    en: '{{metric}} cannot be filtered by {{dim}} (only revenue, gross profit and deals carry it)',
  },
  TRACKING_DIMENSION_UNAVAILABLE: {
    'zh-CN': '{{metric}}的数据没有{{dim}}维度，无法按此拆分',
    en: '{{metric}} facts have no {{dim}}; a breakdown by it is not available',
  },
  TRACKING_SERIES_MONTHS_ONLY: {
    'zh-CN': '按{{dim}}筛选时趋势只能按月查看（日、周数据没有该维度）',
    en: 'Filtered by {{dim}}, the trend is by month only (days and weeks do not carry it)',
  },
  // Facts (src/app/facts) and rollup reads (src/db/rollups.ts)
  FACT_NO_MEMBERSHIP: {
    'zh-CN': '销售人员 {{member}} 在 {{date}} 不属于任何组织，无法归属业绩',
    en: 'Member {{member}} belonged to no unit on {{date}}; the row cannot be credited',
  },
  FACT_STAGE_HISTORY_INVALID: {
    'zh-CN': '阶段历史格式不正确：“{{value}}”（应为 阶段:日期;阶段:日期）',
    en: 'Not a valid stage history: "{{value}}" (use stage:date;stage:date)',
  },
  FACT_BATCH_DELETED: {
    'zh-CN': '导入批次 {{id}} 已删除',
    en: 'Import batch {{id}} has already been deleted',
  },
  FACT_DATE_OUT_OF_RANGE: {
    'zh-CN': '日期 {{value}} 超出业绩日期的范围（{{min}} 至 {{max}}，即 2000 年起至明年年底）',
    en: 'Date {{value}} is outside the range a fact may have ({{min}} to {{max}}: from 2000 to the end of next year)',
  },
  // A manager's import or batch deletion must not change another scope's numbers (issue 11).
  FACT_ORDER_OUTSIDE_SCOPE: {
    'zh-CN':
      '订单 {{orderNo}} 有归属于您管理范围之外的订单行：该订单的行只能由管理员添加、修改或删除',
    en: 'Order {{orderNo}} has lines credited outside your scope: only an administrator can add, change or delete its lines',
  },
  FACT_FIRST_DEAL_OUTSIDE_SCOPE: {
    'zh-CN':
      '客户 {{customer}} 的首个新客成交（{{date}}）归属于您管理范围之外：此行会让您范围内更早的成交成为首单、取走对方的新客户业绩，只能由管理员导入',
    en: "Customer {{customer}}'s first new-customer deal ({{date}}) is credited outside your scope: this row would make an earlier deal in your scope the first and take that credit away, so only an administrator can import it",
  },
  FACT_BATCH_FIRST_DEAL_OUTSIDE_SCOPE: {
    'zh-CN':
      '删除批次 {{id}} 会让客户 {{customer}} 的首个新客成交（{{date}}，归属于您管理范围之外）改为您范围内的成交，只能由管理员删除',
    en: "Deleting batch {{id}} would move customer {{customer}}'s first new-customer deal ({{date}}, credited outside your scope) to a deal in your scope; only an administrator can delete it",
  },
  ROLLUP_MONTHS_ONLY: {
    'zh-CN': '按{{groupBy}}汇总只支持整月区间（{{start}} 至 {{end}} 不是整月）',
    en: 'Grouping by {{groupBy}} needs whole months ({{start}} to {{end}} is not)',
  },
  // Fact ingest (branch ingest): concurrent imports and cancelled import jobs
  IMPORT_CONFLICT: {
    'zh-CN': '另一个导入同时在写入相同的数据，本次导入未生效，请重试',
    en: 'Another import was writing the same data at the same time; nothing was imported, please try again',
  },
  IMPORT_CANCELLED: {
    'zh-CN': '导入已取消，未写入任何数据',
    en: 'The import was cancelled; nothing was written',
  },
  // Permissions of issue 11: who may change a saved mapping, who may appoint a unit's manager
  COLUMN_MAPPING_NOT_OWNER: {
    'zh-CN': '只有保存该列映射的用户或管理员可以修改或删除它',
    en: 'Only the user who saved this column mapping, or an admin, may change or delete it',
  },
  MANAGER_APPOINTMENT_FORBIDDEN: {
    'zh-CN': '只能任命当前在您管辖组织内的人员为下级组织负责人',
    en: 'You may appoint as a unit manager only a member who currently belongs to your units',
  },
  FACT_UNIT_MISMATCH: {
    'zh-CN': '组织编码 {{unit}} 与销售人员 {{member}} 在 {{date}} 所属的组织不一致',
    en: 'Unit code {{unit}} is not the unit member {{member}} belonged to on {{date}}',
  },
} as const satisfies Record<string, { 'zh-CN': string; en: string }>;

/**
 * Why a file cannot be read (IMPORT_FORMAT's `reason`): keys, translated with the message, so a
 * parser's own English never reaches a Chinese message; the parser's text goes to the log only.
 */
export const importFormatReasons = {
  xlsx_broken: {
    'zh-CN': '工作簿已损坏或不完整，请在 Excel 中打开后另存为 .xlsx 再导入',
    en: 'the workbook is damaged or incomplete; open it in Excel, save it as .xlsx and import again',
  },
  zip_not_workbook: {
    'zh-CN': '这是一个压缩包，但不是 Excel 工作簿（.xlsx）',
    en: 'this is a zip archive, but not an Excel workbook (.xlsx)',
  },
  no_visible_sheet: {
    'zh-CN': '工作簿中没有可见的工作表',
    en: 'the workbook has no visible worksheet',
  },
  xls_or_encrypted: {
    'zh-CN': '这是旧版 .xls 或设置了密码的工作簿，请另存为 .xlsx 或 CSV 后再导入',
    en: 'an old .xls or password-protected workbook; save it as .xlsx or CSV and import again',
  },
  html_or_xml: {
    'zh-CN': '这是一个网页或 XML 文件，只是扩展名像表格；请在 Excel 中打开后另存为 .xlsx',
    en: 'an HTML/XML page named as a spreadsheet; open it in Excel and save it as .xlsx',
  },
  named_xlsx: {
    'zh-CN': '文件扩展名是 .xlsx，但内容不是 Excel 工作簿',
    en: 'the file is named .xlsx but is not an Excel workbook',
  },
  not_text: {
    'zh-CN': '文件既不是 CSV 文本，也不是 .xlsx 工作簿',
    en: 'the file is neither CSV text nor an .xlsx workbook',
  },
  csv_quote_not_closed: {
    'zh-CN': '有一个单元格的引号没有闭合，直到文件末尾（第 {{row}} 行）仍在引号内',
    en: 'a quoted cell is never closed; the file ends (row {{row}}) inside the quotes',
  },
  csv_unreadable: {
    'zh-CN': 'CSV 的格式有误，请在 Excel 中打开后重新保存',
    en: 'the CSV is malformed; open it in Excel and save it again',
  },
} as const satisfies Record<string, { 'zh-CN': string; en: string }>;

/** Every code an AppError may carry: the shared catalogue and the command line's own messages. */
export type ErrorCode = keyof typeof errorMessages | keyof typeof cliMessages;
