import type { Kysely, Selectable, Transaction } from 'kysely';
import { AppError } from '../../domain/errors.ts';
import { BUILTIN_METRICS, type MetricFormula } from '../../domain/planning/metrics.ts';
import type { Database, MetricKind, MetricLevel, MetricsTable, MetricUnit } from '../schema.ts';
import { deleteVersioned, isUniqueViolation, updateVersioned } from '../versioned.ts';

type Q = Kysely<Database> | Transaction<Database>;
export type MetricRow = Selectable<MetricsTable>;

/**
 * Mirrors the domain catalogue into `metrics`, so target cells can reference built-ins by id.
 * Idempotent and safe to race: a missing built-in is inserted (conflicts ignored), an existing one
 * is brought back in line with the catalogue (names, kind, unit, formula) when a release changed it.
 */
export async function ensureBuiltinMetrics(q: Q, now: Date): Promise<void> {
  const rows = await q.selectFrom('metrics').selectAll().where('builtin', '=', 1).execute();
  const byCode = new Map(rows.map((r) => [r.code, r]));
  for (const [i, m] of BUILTIN_METRICS.entries()) {
    const values = {
      name_zh: m.name['zh-CN'],
      name_en: m.name.en,
      level: m.level,
      kind: m.kind,
      unit: m.unit,
      formula: m.formula ? JSON.stringify(m.formula) : null,
      builtin: 1,
      sort_order: i,
    };
    const existing = byCode.get(m.code);
    if (!existing) {
      await q
        .insertInto('metrics')
        .values({ code: m.code, ...values, updated_at: now.toISOString() })
        .onConflict((oc) => oc.column('code').doNothing())
        .execute();
    } else if (
      existing.name_zh !== values.name_zh ||
      existing.name_en !== values.name_en ||
      existing.level !== values.level ||
      existing.kind !== values.kind ||
      existing.unit !== values.unit ||
      existing.formula !== values.formula ||
      existing.sort_order !== values.sort_order
    ) {
      await q
        .updateTable('metrics')
        .set({ ...values, updated_at: now.toISOString() })
        .where('id', '=', existing.id)
        .execute();
    }
  }
}

export async function listMetrics(q: Q): Promise<MetricRow[]> {
  return q
    .selectFrom('metrics')
    .selectAll()
    .orderBy('builtin', 'desc')
    .orderBy('sort_order')
    .orderBy('code')
    .execute();
}

export async function metricById(q: Q, id: number): Promise<MetricRow> {
  const row = await q.selectFrom('metrics').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity: 'metric' });
  return row;
}

/** A metric by code; METRIC_UNKNOWN when there is none. */
export async function metricByCode(q: Q, code: string): Promise<MetricRow> {
  const row = await q.selectFrom('metrics').selectAll().where('code', '=', code).executeTakeFirst();
  if (!row) throw new AppError('METRIC_UNKNOWN', { code });
  return row;
}

export function formulaOf(row: Pick<MetricRow, 'formula'>): MetricFormula | null {
  return row.formula ? (JSON.parse(row.formula) as MetricFormula) : null;
}

export interface MetricInput {
  code: string;
  nameZh: string;
  nameEn: string;
  level: MetricLevel;
  kind: MetricKind;
  unit: MetricUnit;
  formula: MetricFormula | null;
}

/**
 * The METHOD §3 rules a custom metric must obey: an additive metric has no formula; a ratio is in
 * basis points and names the two sums behind it; a derived metric is computed from two existing
 * additive metrics (so it can never contradict its parts) and is not itself a target.
 */
async function validateMetric(q: Q, m: MetricInput): Promise<void> {
  const bad = (reason: string) => new AppError('METRIC_FORMULA_INVALID', { code: m.code, reason });
  if (m.kind === 'additive') {
    if (m.formula) throw bad('an additive metric has no formula');
    if (m.unit === 'bp') throw bad('an additive metric is money (fen) or a count');
    return;
  }
  if (!m.formula) throw bad(`a ${m.kind} metric needs a numerator and a denominator`);
  const { numerator, denominator } = m.formula;
  if (numerator === denominator) throw bad('numerator and denominator are the same');
  if (m.kind === 'ratio') {
    if (m.unit !== 'bp') throw bad('a ratio is in basis points (unit bp)');
    return;
  }
  if (m.unit === 'bp') throw bad('a derived metric is money (fen) or a count');
  for (const part of [numerator, denominator]) {
    if (part === m.code) throw bad('a derived metric cannot refer to itself');
    const row = await q
      .selectFrom('metrics')
      .select(['kind'])
      .where('code', '=', part)
      .executeTakeFirst();
    if (!row) throw bad(`unknown metric ${part}`);
    if (row.kind !== 'additive')
      throw bad(`${part} is ${row.kind}; derived metrics are built from additive ones`);
  }
}

function columns(m: MetricInput) {
  return {
    code: m.code,
    name_zh: m.nameZh,
    name_en: m.nameEn,
    level: m.level,
    kind: m.kind,
    unit: m.unit,
    formula: m.formula
      ? JSON.stringify({ numerator: m.formula.numerator, denominator: m.formula.denominator })
      : null,
  };
}

export async function createMetric(q: Q, m: MetricInput, now: Date): Promise<number> {
  await validateMetric(q, m);
  const { id } = await q
    .insertInto('metrics')
    .values({ ...columns(m), builtin: 0, sort_order: 1000, updated_at: now.toISOString() })
    .returning('id')
    .executeTakeFirstOrThrow()
    .catch((e: unknown) => {
      throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: m.code }) : e;
    });
  return id;
}

export async function updateMetric(
  q: Q,
  id: number,
  version: number,
  m: MetricInput,
  now: Date,
): Promise<MetricRow> {
  const before = await metricById(q, id);
  if (before.builtin === 1) throw new AppError('METRIC_BUILTIN_READONLY', { code: before.code });
  await assertUnused(q, before, m.kind !== before.kind || m.code !== before.code);
  await validateMetric(q, m);
  await updateVersioned(
    q,
    'metrics',
    id,
    version,
    { ...columns(m), updated_at: now.toISOString() },
    'metric',
  ).catch((e: unknown) => {
    throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code: m.code }) : e;
  });
  return before;
}

export async function deleteMetric(q: Q, id: number, version: number): Promise<MetricRow> {
  const before = await metricById(q, id);
  if (before.builtin === 1) throw new AppError('METRIC_BUILTIN_READONLY', { code: before.code });
  await assertUnused(q, before, true);
  if (before.version !== version)
    throw new AppError('VERSION_CONFLICT', { current: before.version, given: version });
  // The delete names the version: an edit committed since the read is refused, not lost.
  return deleteVersioned(q, 'metrics', id, version, 'metric');
}

/**
 * A metric with targets, or one a derived metric is built from, keeps its code and kind: changing
 * them would silently reinterpret stored numbers.
 */
async function assertUnused(q: Q, m: MetricRow, identityChanges: boolean): Promise<void> {
  if (!identityChanges) return;
  const cell = await q
    .selectFrom('target_cells')
    .select('id')
    .where('metric_id', '=', m.id)
    .limit(1)
    .executeTakeFirst();
  const proposal = await q
    .selectFrom('target_proposals')
    .select('id')
    .where('metric_id', '=', m.id)
    .limit(1)
    .executeTakeFirst();
  if (cell || proposal) throw new AppError('IN_USE', { entity: 'metric' });
  const derived = await q
    .selectFrom('metrics')
    .select(['formula'])
    .where('kind', '=', 'derived')
    .execute();
  for (const d of derived) {
    const f = formulaOf(d);
    if (f && (f.numerator === m.code || f.denominator === m.code))
      throw new AppError('IN_USE', { entity: 'metric' });
  }
}
