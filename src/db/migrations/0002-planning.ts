import type { Kysely } from 'kysely';
import { withId } from './portable.ts';

/**
 * Target planning. A plan covers one fiscal year and has versions (draft → submitted → approved →
 * active → superseded). A target cell is (version, metric, owner, period, dimension members).
 * Dimension columns use 0 (and '' for lifecycle) for "not split by this dimension" instead of NULL,
 * so one unique index identifies a cell on both SQLite and PostgreSQL (NULLs are distinct in both).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await withId(db, db.schema.createTable('metrics'))
    .addColumn('code', 'text', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('unit', 'text', (c) => c.notNull())
    .addColumn('formula', 'text')
    .addColumn('builtin', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('sort_order', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('plans'))
    .addColumn('fiscal_year', 'integer', (c) => c.notNull().unique())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();

  await withId(db, db.schema.createTable('plan_versions'))
    .addColumn('plan_id', 'integer', (c) => c.notNull().references('plans.id'))
    .addColumn('number', 'integer', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('label', 'text', (c) => c.notNull().defaultTo(''))
    /** JSON: tier percentages and buffer in basis points, seasonality and split choices. */
    .addColumn('settings', 'text', (c) => c.notNull().defaultTo('{}'))
    /** JSON: inputs and results of the three lenses, as last computed on the setting screen. */
    .addColumn('lenses', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('committed_target', 'bigint')
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('based_on_id', 'integer', (c) => c.references('plan_versions.id'))
    /** Months before this one ('YYYY-MM') are frozen: a revision keeps them as they were. */
    .addColumn('frozen_before', 'text')
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .addColumn('submitted_by', 'integer')
    .addColumn('submitted_at', 'text')
    .addColumn('approved_by', 'integer')
    .addColumn('approved_at', 'text')
    .addColumn('activated_at', 'text')
    .addColumn('superseded_at', 'text')
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('plan_versions_plan_number', ['plan_id', 'number'])
    .execute();

  await withId(db, db.schema.createTable('target_splits'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('plan_versions.id'))
    .addColumn('metric_id', 'integer', (c) => c.notNull().references('metrics.id'))
    /** What was split: a JSON cell key of the parent, the axis and the method with its inputs. */
    .addColumn('parent_key', 'text', (c) => c.notNull())
    .addColumn('axis', 'text', (c) => c.notNull())
    .addColumn('method', 'text', (c) => c.notNull())
    .addColumn('inputs', 'text', (c) => c.notNull().defaultTo('{}'))
    .addColumn('created_by', 'integer')
    .addColumn('created_at', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createIndex('target_splits_version')
    .on('target_splits')
    .columns(['version_id', 'metric_id'])
    .execute();

  await withId(db, db.schema.createTable('target_cells'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('plan_versions.id'))
    .addColumn('metric_id', 'integer', (c) => c.notNull().references('metrics.id'))
    .addColumn('owner_type', 'text', (c) => c.notNull()) // 'unit' | 'member'
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull()) // 'FY2026' | 'FY2026-Q1' | 'YYYY-MM'
    .addColumn('product_line_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('region_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('segment_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('channel_id', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('lifecycle', 'text', (c) => c.notNull().defaultTo(''))
    /** fen for money, a count, or basis points for a ratio metric. */
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addColumn('locked', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('split_id', 'integer')
    /** The key strategy (关键策略) written beside a target. */
    .addColumn('note', 'text')
    .execute();
  await db.schema
    .createIndex('target_cells_key')
    .on('target_cells')
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
    ])
    .unique()
    .execute();

  await withId(db, db.schema.createTable('target_proposals'))
    .addColumn('version_id', 'integer', (c) => c.notNull().references('plan_versions.id'))
    .addColumn('metric_id', 'integer', (c) => c.notNull().references('metrics.id'))
    .addColumn('owner_type', 'text', (c) => c.notNull())
    .addColumn('owner_id', 'integer', (c) => c.notNull())
    .addColumn('period', 'text', (c) => c.notNull())
    .addColumn('value', 'bigint', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('proposed_by', 'integer')
    .addColumn('updated_at', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1))
    .addUniqueConstraint('target_proposals_key', [
      'version_id',
      'metric_id',
      'owner_type',
      'owner_id',
      'period',
    ])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of [
    'target_proposals',
    'target_cells',
    'target_splits',
    'plan_versions',
    'plans',
    'metrics',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
