import { sql, type Kysely, type Selectable, type Transaction } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { monthsOfFiscalYear } from '../../domain/periods.ts';
import type { Database, PlanStatus, PlanVersionsTable, PlansTable } from '../schema.ts';
import { isUniqueViolation, updateVersioned } from '../versioned.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type PlanRow = Selectable<PlansTable>;
export type VersionRow = Selectable<PlanVersionsTable>;

/** Tier percentages of a version, in basis points (METHOD §2). Stored in `plan_versions.settings`. */
export interface VersionSettings {
  basePct: number;
  challengePct: number;
  bufferPct: number;
}

export const DEFAULT_VERSION_SETTINGS: VersionSettings = {
  basePct: 8_000,
  challengePct: 12_000,
  bufferPct: 1_500,
};

export function settingsOf(v: Pick<VersionRow, 'settings'>): VersionSettings {
  return {
    ...DEFAULT_VERSION_SETTINGS,
    ...(JSON.parse(v.settings || '{}') as Partial<VersionSettings>),
  };
}

export function fiscalYearId(year: number): string {
  return `FY${year}`;
}

export async function listPlans(q: Q): Promise<{ plan: PlanRow; versions: VersionRow[] }[]> {
  const plans = await q.selectFrom('plans').selectAll().orderBy('fiscal_year', 'desc').execute();
  const versions = await q
    .selectFrom('plan_versions')
    .selectAll()
    .orderBy('plan_id')
    .orderBy('number')
    .execute();
  return plans.map((plan) => ({ plan, versions: versions.filter((v) => v.plan_id === plan.id) }));
}

export async function createPlan(
  q: Q,
  input: { fiscalYear: number; nameZh: string; nameEn: string },
  userId: number,
  now: Date,
): Promise<{ plan: PlanRow; version: VersionRow }> {
  const at = now.toISOString();
  const plan = await q
    .insertInto('plans')
    .values({
      fiscal_year: input.fiscalYear,
      name_zh: input.nameZh,
      name_en: input.nameEn,
      created_by: userId,
      created_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow()
    .catch((e: unknown) => {
      throw isUniqueViolation(e)
        ? new AppError('DUPLICATE', { code: fiscalYearId(input.fiscalYear) })
        : e;
    });
  const version = await q
    .insertInto('plan_versions')
    .values({
      plan_id: plan.id,
      number: 1,
      status: 'draft',
      settings: JSON.stringify(DEFAULT_VERSION_SETTINGS),
      created_by: userId,
      created_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return { plan, version };
}

export async function getVersion(
  q: Q,
  id: number,
): Promise<{ plan: PlanRow; version: VersionRow }> {
  const version = await q
    .selectFrom('plan_versions')
    .selectAll()
    .where('id', '=', id)
    .executeTakeFirst();
  if (!version) throw new AppError('NOT_FOUND', { entity: 'plan_version' });
  const plan = await q
    .selectFrom('plans')
    .selectAll()
    .where('id', '=', version.plan_id)
    .executeTakeFirstOrThrow();
  return { plan, version };
}

/** Only a draft's numbers change; a submitted, approved or active version is a record. */
export function assertDraft(v: VersionRow): void {
  if (v.status !== 'draft')
    throw new AppError('PLAN_NOT_EDITABLE', { status: v.status, number: v.number });
}

/**
 * Every write to a version's content bumps its `version`, so two planners editing the same draft
 * cannot overwrite each other: the one holding a stale version gets VERSION_CONFLICT. Callers that
 * got no version from the client pass the one they just read (same guarantee within the transaction).
 */
export async function touchVersion(
  q: Q,
  v: VersionRow,
  expected: number | undefined,
  values: Parameters<typeof updateVersioned<'plan_versions'>>[4] = {},
): Promise<number> {
  const given = expected ?? v.version;
  await updateVersioned(q, 'plan_versions', v.id, given, values, 'plan_version');
  return given + 1;
}

export type Transition = 'submit' | 'approve' | 'reject' | 'activate';

const legal: Record<Transition, { from: PlanStatus; to: PlanStatus }> = {
  submit: { from: 'draft', to: 'submitted' },
  approve: { from: 'submitted', to: 'approved' },
  reject: { from: 'submitted', to: 'draft' },
  activate: { from: 'approved', to: 'active' },
};

/**
 * Moves a version through draft → submitted → approved → active (reject sends a submitted version
 * back to draft). Activation supersedes the plan's active version, which stays readable.
 * Returns the superseded version's id, if any, for the audit trail.
 */
export async function transitionVersion(
  q: Q,
  v: VersionRow,
  action: Transition,
  expected: number | undefined,
  userId: number,
  now: Date,
  note?: string,
): Promise<{ supersededId: number | null }> {
  const rule = legal[action];
  if (v.status !== rule.from) {
    throw new AppError('PLAN_TRANSITION_INVALID', { action, status: v.status, number: v.number });
  }
  const at = now.toISOString();
  const stamp =
    action === 'submit'
      ? { submitted_by: userId, submitted_at: at }
      : action === 'approve'
        ? { approved_by: userId, approved_at: at }
        : action === 'reject'
          ? { submitted_by: null, submitted_at: null }
          : { activated_at: at };
  let supersededId: number | null = null;
  if (action === 'activate') {
    const active = await q
      .selectFrom('plan_versions')
      .select(['id'])
      .where('plan_id', '=', v.plan_id)
      .where('status', '=', 'active')
      .execute();
    for (const a of active) {
      await q
        .updateTable('plan_versions')
        .set({ status: 'superseded', superseded_at: at, version: sql`version + 1` })
        .where('id', '=', a.id)
        .execute();
      supersededId = a.id;
    }
  }
  await touchVersion(q, v, expected, {
    status: rule.to,
    ...stamp,
    ...(note === undefined ? {} : { note }),
  });
  return { supersededId };
}

/**
 * A new draft based on `source`, with its settings, lenses, committed target, cells and splits.
 * If the plan year has started, months before the current one are frozen (METHOD §11: revisions
 * freeze the past) — set-based copies, so a plan of millions of cells is copied in two statements.
 */
export async function copyVersion(
  q: Q,
  source: VersionRow,
  plan: PlanRow,
  userId: number,
  now: Date,
  today: string,
  fiscalStartMonth: number,
): Promise<VersionRow> {
  const { max } = await q
    .selectFrom('plan_versions')
    .select(sql<number>`max(number)`.as('max'))
    .where('plan_id', '=', plan.id)
    .executeTakeFirstOrThrow();
  const months = monthsOfFiscalYear(plan.fiscal_year, fiscalStartMonth);
  const current = today.slice(0, 7);
  const started = months[0] !== undefined && current > months[0];
  // Keep an earlier freeze if the source already had a later one.
  const frozen = started
    ? source.frozen_before && source.frozen_before > current
      ? source.frozen_before
      : current
    : source.frozen_before;
  const at = now.toISOString();
  const created = await q
    .insertInto('plan_versions')
    .values({
      plan_id: plan.id,
      number: Number(max ?? 0) + 1,
      status: 'draft',
      label: source.label,
      settings: source.settings,
      lenses: source.lenses,
      committed_target: source.committed_target,
      note: '',
      based_on_id: source.id,
      frozen_before: frozen,
      created_by: userId,
      created_at: at,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  await q
    .insertInto('target_splits')
    .columns([
      'version_id',
      'metric_id',
      'parent_key',
      'axis',
      'method',
      'inputs',
      'created_by',
      'created_at',
    ])
    .expression(
      q
        .selectFrom('target_splits')
        .select([
          sql<number>`cast(${created.id} as integer)`.as('version_id'),
          'metric_id',
          'parent_key',
          'axis',
          'method',
          'inputs',
          'created_by',
          'created_at',
        ])
        .where('version_id', '=', source.id),
    )
    .execute();
  // A split is identified inside a version by (metric, parent key, axis): join old to new on it.
  await q
    .insertInto('target_cells')
    .columns([
      'version_id',
      'metric_id',
      'owner_type',
      'owner_id',
      'period',
      'product_line_id',
      'region_id',
      'segment_id',
      'channel_id',
      'lifecycle',
      'value',
      'locked',
      'split_id',
      'note',
    ])
    .expression(
      q
        .selectFrom('target_cells as c')
        .leftJoin('target_splits as os', 'os.id', 'c.split_id')
        .leftJoin('target_splits as ns', (j) =>
          j
            .on('ns.version_id', '=', created.id)
            .onRef('ns.metric_id', '=', 'os.metric_id')
            .onRef('ns.parent_key', '=', 'os.parent_key')
            .onRef('ns.axis', '=', 'os.axis'),
        )
        .select([
          sql<number>`cast(${created.id} as integer)`.as('version_id'),
          'c.metric_id',
          'c.owner_type',
          'c.owner_id',
          'c.period',
          'c.product_line_id',
          'c.region_id',
          'c.segment_id',
          'c.channel_id',
          'c.lifecycle',
          'c.value',
          'c.locked',
          'ns.id as split_id',
          'c.note',
        ])
        .where('c.version_id', '=', source.id),
    )
    .execute();
  return created;
}

/**
 * Opens a cell edit of a draft: moves its `cells_rev` and returns the new value, the revision the
 * edit stamps on the cells it writes. The update takes the version row's lock first, so edits of
 * one draft queue here (a short wait on PostgreSQL; SQLite runs one writer anyway) and every edit
 * reads the cells its predecessor committed. It also moves the data generation (trigger of 0011).
 * `expectedVersion` is the whole-version `version` the client read: a transition, settings change,
 * decomposition or cascade since then refuses the edit, as before.
 */
export async function beginCellEdit(
  q: Q,
  versionId: number,
  expectedVersion: number,
): Promise<{ version: VersionRow; rev: number }> {
  const row = await q
    .updateTable('plan_versions')
    .set({ cells_rev: sql`cells_rev + 1` })
    .where('id', '=', versionId)
    .returningAll()
    .executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'plan_version' });
  assertDraft(row);
  if (row.version !== expectedVersion)
    throw new AppError('VERSION_CONFLICT', { current: row.version, given: expectedVersion });
  return { version: row, rev: row.cells_rev };
}

/**
 * Takes the version row's lock before a whole-version operation writes cells, so it queues behind
 * (or ahead of) cell edits of the same draft, which take it first too, instead of deadlocking with
 * one on PostgreSQL (cells locked here, the row there).
 */
export async function lockVersionRow(q: Q, versionId: number): Promise<void> {
  await q
    .updateTable('plan_versions')
    .set({ version: sql`version` })
    .where('id', '=', versionId)
    .execute();
}
