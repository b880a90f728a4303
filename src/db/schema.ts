import type { ColumnType, Generated } from 'kysely';

/**
 * Table types. Conventions: money is integer fen (bigint column, read as a JS number — safe up
 * to 90 万亿元); dates are 'YYYY-MM-DD' text; timestamps are ISO-8601 text; booleans are 0/1
 * integers; JSON is text. These choices keep one schema portable between SQLite and PostgreSQL.
 */
type Id = Generated<number>;
type Version = ColumnType<number, number | undefined, number>;

export interface SettingsTable {
  key: string;
  value: string;
  version: Version;
}

export type Role = 'admin' | 'manager' | 'rep' | 'finance' | 'viewer';

export interface UsersTable {
  id: Id;
  username: string;
  display_name: string;
  password_hash: string;
  role: Role;
  member_id: number | null;
  locale: string;
  amount_unit: string;
  /** Wrong passwords in a row (attempts in flight included): `claimSignInAttempt`. */
  failed_logins: ColumnType<number, number | undefined, number>;
  /** No sign-in attempt is taken before this (ISO): the slowdown after failures, not a lock. */
  locked_until: string | null;
  active: ColumnType<number, number | undefined, number>;
  version: Version;
  created_at: string;
}

export interface SessionsTable {
  id: string;
  user_id: number;
  created_at: string;
  expires_at: string;
  /** Last use (ISO), moved at most once a minute; null only for rows written before 0015. */
  last_seen_at: string | null;
}

export type OrgKind = 'company' | 'region' | 'branch' | 'team';

export interface OrgUnitsTable {
  id: Id;
  parent_id: number | null;
  code: string;
  name_zh: string;
  name_en: string;
  kind: OrgKind;
  manager_member_id: number | null;
  /** Materialized path of ids, e.g. '/1/4/12/', so a subtree is one LIKE prefix. */
  path: string;
  sort_order: ColumnType<number, number | undefined, number>;
  version: Version;
  updated_at: string;
}

export type Tier = 'senior' | 'regular' | 'new';

export interface MembersTable {
  id: Id;
  code: string;
  name_zh: string;
  name_en: string;
  tier: Tier;
  hire_date: string;
  leave_date: string | null;
  email: string | null;
  version: Version;
  updated_at: string;
}

/** Effective-dated membership: [start_date, end_date) — end is exclusive, null means open. */
export interface MemberUnitsTable {
  id: Id;
  member_id: number;
  org_unit_id: number;
  start_date: string;
  end_date: string | null;
}

export interface ProductLinesTable {
  id: Id;
  parent_id: number | null;
  code: string;
  name_zh: string;
  name_en: string;
  path: string;
  sort_order: ColumnType<number, number | undefined, number>;
  version: Version;
  updated_at: string;
}

export interface ProductsTable {
  id: Id;
  code: string;
  name_zh: string;
  name_en: string;
  product_line_id: number;
  /** Gross margin in basis points (3500 = 35.00%). */
  gross_margin_bp: number;
  /** List price in fen, optional. */
  list_price: number | null;
  version: Version;
  updated_at: string;
}

export type Dimension = 'channel' | 'region' | 'segment' | 'customer_type';

/** Flat code lists: channels, sales regions, customer segments and customer types. */
export interface DimensionMembersTable {
  id: Id;
  dimension: Dimension;
  code: string;
  name_zh: string;
  name_en: string;
  /** JSON object of dimension-specific attributes (e.g. a channel's monthly lead supply). */
  attrs: string;
  sort_order: ColumnType<number, number | undefined, number>;
  version: Version;
  updated_at: string;
}

export type CustomerTier = 'A' | 'B' | 'C';

export interface CustomersTable {
  id: Id;
  code: string;
  name_zh: string;
  name_en: string;
  segment_id: number | null;
  customer_type_id: number | null;
  region_id: number | null;
  owner_member_id: number | null;
  /** Annual purchase in fen; the input of the A/B/C tier rules. */
  annual_purchase: number;
  tier: CustomerTier;
  version: Version;
  updated_at: string;
}

export interface HolidayOverridesTable {
  date: string;
  /** 'holiday' = a day off on a weekday; 'workday' = a make-up working day (调休) on a weekend. */
  kind: 'holiday' | 'workday';
  name: string;
  updated_at: string;
}

export interface AuditLogTable {
  id: Id;
  at: string;
  user_id: number | null;
  action: string;
  entity: string;
  entity_id: string | null;
  before: string | null;
  after: string | null;
}

export interface ImportBatchesTable {
  id: Id;
  kind: string;
  file_name: string;
  file_sha256: string;
  user_id: number | null;
  created_at: string;
  row_count: number;
  created_count: number;
  updated_count: number;
  unchanged_count: number;
}

export type MetricKind = 'additive' | 'ratio' | 'derived';
export type MetricLevel = 'result' | 'process' | 'activity';
export type MetricUnit = 'fen' | 'count' | 'bp';

export interface MetricsTable {
  id: Id;
  code: string;
  name_zh: string;
  name_en: string;
  level: MetricLevel;
  kind: MetricKind;
  unit: MetricUnit;
  /** JSON for derived metrics, e.g. {"op":"div","num":"revenue","den":"deals"}. */
  formula: string | null;
  builtin: ColumnType<number, number | undefined, number>;
  sort_order: ColumnType<number, number | undefined, number>;
  version: Version;
  updated_at: string;
}

export interface PlansTable {
  id: Id;
  fiscal_year: number;
  name_zh: string;
  name_en: string;
  created_by: number | null;
  created_at: string;
}

export type PlanStatus = 'draft' | 'submitted' | 'approved' | 'active' | 'superseded';

export interface PlanVersionsTable {
  id: Id;
  plan_id: number;
  number: number;
  status: PlanStatus;
  label: ColumnType<string, string | undefined, string>;
  settings: ColumnType<string, string | undefined, string>;
  lenses: ColumnType<string, string | undefined, string>;
  committed_target: number | null;
  note: ColumnType<string, string | undefined, string>;
  based_on_id: number | null;
  frozen_before: string | null;
  created_by: number | null;
  created_at: string;
  submitted_by: number | null;
  submitted_at: string | null;
  approved_by: number | null;
  approved_at: string | null;
  activated_at: string | null;
  superseded_at: string | null;
  version: Version;
  /** Counts the draft's cell edits (0012); each edit stamps the cells it writes with it. */
  cells_rev: ColumnType<number, number | undefined, number>;
}

export interface TargetSplitsTable {
  id: Id;
  version_id: number;
  metric_id: number;
  parent_key: string;
  axis: string;
  method: string;
  inputs: string;
  created_by: number | null;
  created_at: string;
}

export type OwnerType = 'unit' | 'member';
export type Lifecycle = '' | 'new' | 'existing' | 'referral';

export interface TargetCellsTable {
  id: Id;
  version_id: number;
  metric_id: number;
  owner_type: OwnerType;
  owner_id: number;
  period: string;
  product_line_id: ColumnType<number, number | undefined, number>;
  region_id: ColumnType<number, number | undefined, number>;
  segment_id: ColumnType<number, number | undefined, number>;
  channel_id: ColumnType<number, number | undefined, number>;
  lifecycle: ColumnType<Lifecycle, Lifecycle | undefined, Lifecycle>;
  value: number;
  locked: ColumnType<number, number | undefined, number>;
  split_id: number | null;
  note: string | null;
  /** The draft's `cells_rev` of the last cell edit that wrote this cell (0: none since created). */
  rev: ColumnType<number, number | undefined, number>;
}

export interface TargetProposalsTable {
  id: Id;
  version_id: number;
  metric_id: number;
  owner_type: OwnerType;
  owner_id: number;
  period: string;
  value: number;
  note: ColumnType<string, string | undefined, string>;
  proposed_by: number | null;
  updated_at: string;
  version: Version;
}

type Zero = ColumnType<number, number | undefined, number>;
type Text0 = ColumnType<string, string | undefined, string>;

export type FactKind = 'orders' | 'collections' | 'leads' | 'opportunities' | 'activities';

export interface FactBatchesTable {
  id: Id;
  kind: FactKind;
  file_name: string;
  file_sha256: string;
  source: Text0;
  user_id: number | null;
  created_at: string;
  row_count: Zero;
  inserted_count: Zero;
  updated_count: Zero;
  unchanged_count: Zero;
  status: ColumnType<
    'applied' | 'deleted',
    'applied' | 'deleted' | undefined,
    'applied' | 'deleted'
  >;
  summary: Text0;
}

export interface ColumnMappingsTable {
  id: Id;
  kind: string;
  name: string;
  mapping: string;
  created_by: number | null;
  updated_at: string;
  version: Version;
}

export interface OrderLinesTable {
  id: Id;
  ext_id: string;
  batch_id: number;
  order_no: string;
  is_primary: Zero;
  order_date: string;
  due_date: string | null;
  member_id: Zero;
  org_unit_id: number;
  customer_id: Zero;
  product_id: Zero;
  product_line_id: Zero;
  channel_id: Zero;
  region_id: Zero;
  segment_id: Zero;
  lifecycle: ColumnType<Lifecycle, Lifecycle | undefined, Lifecycle>;
  amount: number;
  quantity: Zero;
  gross_profit: Zero;
}

export interface CollectionsTable {
  id: Id;
  ext_id: string;
  batch_id: number;
  collected_date: string;
  due_date: string | null;
  order_no: string | null;
  member_id: Zero;
  org_unit_id: number;
  customer_id: Zero;
  amount: number;
}

export interface LeadsTable {
  id: Id;
  ext_id: string;
  batch_id: number;
  created_date: string;
  member_id: Zero;
  org_unit_id: number;
  channel_id: Zero;
  customer_id: Zero;
  status: ColumnType<string, string | undefined, string>;
  converted_date: string | null;
}

export interface OpportunitiesTable {
  id: Id;
  ext_id: string;
  batch_id: number;
  created_date: string;
  member_id: Zero;
  org_unit_id: number;
  customer_id: Zero;
  channel_id: Zero;
  lead_ext_id: string | null;
  amount: Zero;
  stage: string;
  probability_bp: Zero;
  expected_close_date: string | null;
  closed_date: string | null;
  status: ColumnType<string, string | undefined, string>;
  stage_history: Text0;
}

export interface ActivitiesTable {
  id: Id;
  ext_id: string;
  batch_id: number;
  activity_date: string;
  member_id: Zero;
  org_unit_id: number;
  customer_id: Zero;
  kind: string;
}

interface RollupMeasures {
  org_unit_id: number;
  member_id: number;
  product_line_id: number;
  channel_id: number;
  lifecycle: string;
  amount: number;
  gross_profit: number;
  quantity: number;
  orders: number;
  lines: number;
}

export interface RollupSalesDayTable extends RollupMeasures {
  day: string;
}

export interface RollupSalesMonthTable extends RollupMeasures {
  month: string;
  region_id: number;
  segment_id: number;
}

/** Member-free unit rollups (migration 0005): a unit's whole subtree by one dimension at a time. */
interface RollupUnitMeasures {
  org_unit_id: number;
  /** '' (the total), product_line, channel, lifecycle; by month also region, segment, member. */
  dim: string;
  /** '' for the total, the id as text, or the lifecycle. */
  key: string;
  amount: number;
  gross_profit: number;
  quantity: number;
  orders: number;
  lines: number;
}

export interface RollupUnitDayTable extends RollupUnitMeasures {
  day: string;
}

export interface RollupUnitMonthTable extends RollupUnitMeasures {
  month: string;
}

/** One row (id 1) whose `n` moves whenever reference data changes (migration 0007's triggers). */
/** A customer's first deal tagged new or referral, as credited (migration 0009; derived from order_lines). */
export interface CustomerFirstsTable {
  customer_id: number;
  ext_id: string;
  order_date: string;
  member_id: number;
  org_unit_id: number;
  product_line_id: number;
  channel_id: number;
  lifecycle: string;
  region_id: number;
  segment_id: number;
}

export interface ReferenceGenerationTable {
  id: number;
  n: number;
}

export type JobState = 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';

/** A durable job (migration 0011): claimed by any instance under a lease with a heartbeat. */
export interface JobsTable {
  id: Generated<number>;
  kind: string;
  /** JSON. */
  payload: string;
  state: JobState;
  created_by: number | null;
  locale: string;
  progress_done: Generated<number>;
  progress_total: number | null;
  attempts: Generated<number>;
  max_attempts: Generated<number>;
  /** JSON. */
  result: string | null;
  /** JSON: { code, params, problems } of the AppError, or { code: 'INTERNAL', message }. */
  error: string | null;
  dedupe_key: string | null;
  run_after: string;
  lease_owner: string | null;
  lease_expires_at: string | null;
  heartbeat_at: string | null;
  cancel_requested: Generated<number>;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
}

/** A file a job reads or writes (an upload, a bad-rows CSV, an export), kept until it expires. */
export interface JobFilesTable {
  id: string;
  job_id: number | null;
  user_id: number | null;
  purpose: string;
  name: string;
  content_type: string;
  size: number;
  data: Buffer;
  created_at: string;
  expires_at: string;
}

export type OutboxState = 'pending' | 'delivered' | 'dead';

/** An event written in the same transaction as the change it announces; the worker delivers it. */
export interface OutboxTable {
  id: Generated<number>;
  topic: string;
  /** JSON. */
  payload: string;
  state: Generated<OutboxState>;
  attempts: Generated<number>;
  last_error: string | null;
  created_at: string;
  available_at: string;
  delivered_at: string | null;
  lease_owner: string | null;
  lease_expires_at: string | null;
}

/** A fixed-window counter shared by every instance (sign-in throttling and the like). */
export interface RateLimitsTable {
  key: string;
  /** Epoch milliseconds of the window's start. */
  window_start: number;
  hits: number;
}

/** One row (id 1) whose `n` moves with every change a dashboard answer depends on (migration 0011). */
/** An alert rule (migration 0016); every save bumps `version` and keeps a row in alert_rule_versions. */
export interface AlertRulesTable {
  id: Id;
  kind: string;
  name_zh: string;
  name_en: string;
  metric: string;
  period_kind: string;
  threshold: number;
  consecutive_periods: number;
  scope_unit_id: number | null;
  subjects: string;
  severity: string;
  /** JSON arrays. */
  recipients: string;
  channels: string;
  escalate_after_days: number | null;
  enabled: number;
  version: Version;
  updated_by: number | null;
  updated_at: string;
}

export interface AlertRuleVersionsTable {
  id: Id;
  rule_id: number;
  version: number;
  snapshot: string;
  changed_by: number | null;
  changed_at: string;
}

/** One alert per (rule, subject, period), with its state machine (src/domain/alerts/state-machine.ts). */
export interface AlertsTable {
  id: Id;
  rule_id: number;
  rule_version: number;
  subject_type: 'member' | 'unit';
  subject_id: number;
  period: string;
  state: string;
  severity: string;
  unit_id: number;
  unit_path: string;
  opened_at: string;
  acknowledged_at: string | null;
  resolved_at: string | null;
  snoozed_until: string | null;
  snooze_reason: string | null;
  assignee_member_id: number | null;
  escalation_level: Zero;
  escalated_at: string | null;
  fires: Zero;
  /** JSON AlertEvidence. */
  evidence: string;
  suppressed_by: number | null;
  version: Version;
  updated_at: string;
}

export interface AlertEventsTable {
  id: Id;
  alert_id: number;
  at: string;
  transition: string;
  actor_user_id: number | null;
  note: string | null;
}

export interface AlertContingencyPlansTable {
  alert_id: number;
  owner_member_id: number;
  due_date: string;
  text: string;
  recorded_by: number | null;
  recorded_at: string;
}

export interface DataGenerationTable {
  id: number;
  n: number;
}

export interface Database {
  settings: SettingsTable;
  users: UsersTable;
  sessions: SessionsTable;
  org_units: OrgUnitsTable;
  members: MembersTable;
  member_units: MemberUnitsTable;
  product_lines: ProductLinesTable;
  products: ProductsTable;
  dimension_members: DimensionMembersTable;
  customers: CustomersTable;
  holiday_overrides: HolidayOverridesTable;
  audit_log: AuditLogTable;
  import_batches: ImportBatchesTable;
  metrics: MetricsTable;
  plans: PlansTable;
  plan_versions: PlanVersionsTable;
  target_splits: TargetSplitsTable;
  target_cells: TargetCellsTable;
  target_proposals: TargetProposalsTable;
  fact_batches: FactBatchesTable;
  column_mappings: ColumnMappingsTable;
  order_lines: OrderLinesTable;
  collections: CollectionsTable;
  leads: LeadsTable;
  opportunities: OpportunitiesTable;
  activities: ActivitiesTable;
  rollup_sales_day: RollupSalesDayTable;
  customer_firsts: CustomerFirstsTable;
  rollup_sales_month: RollupSalesMonthTable;
  rollup_unit_day: RollupUnitDayTable;
  rollup_unit_month: RollupUnitMonthTable;
  reference_generation: ReferenceGenerationTable;
  jobs: JobsTable;
  job_files: JobFilesTable;
  outbox: OutboxTable;
  rate_limits: RateLimitsTable;
  data_generation: DataGenerationTable;
  alert_rules: AlertRulesTable;
  alert_rule_versions: AlertRuleVersionsTable;
  alerts: AlertsTable;
  alert_events: AlertEventsTable;
  alert_contingency_plans: AlertContingencyPlansTable;
}
