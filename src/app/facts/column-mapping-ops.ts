import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { isUniqueViolation, updateVersioned } from '../../db/versioned.ts';
import { AppError } from '../../domain/errors.ts';
import type { Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import type { MappingOptions } from './column-mappings.ts';
import { factKindOf } from './kinds.ts';

export interface ColumnMappingView {
  id: number;
  kind: string;
  name: string;
  mapping: Record<string, string | null>;
  /** The import options saved with it (rounding, date format); {} for none. */
  options: MappingOptions;
  updatedAt: string;
  version: number;
  /** Who saved it (null: the command line): they and admins may change or delete it. */
  createdBy: number | null;
}

type Row = {
  id: number;
  kind: string;
  name: string;
  mapping: string;
  options: string | null;
  updated_at: string;
  version: number;
  created_by: number | null;
};

function view(r: Row): ColumnMappingView {
  return {
    id: r.id,
    kind: r.kind,
    name: r.name,
    mapping: JSON.parse(r.mapping) as Record<string, string | null>,
    options: r.options ? (JSON.parse(r.options) as MappingOptions) : {},
    updatedAt: r.updated_at,
    version: r.version,
    createdBy: r.created_by,
  };
}

/** Options as stored: only the choices made (defaults are not saved), null for none. */
function optionsText(o: MappingOptions | undefined): string | null {
  const kept: MappingOptions = {};
  if (o?.rounding && o.rounding !== 'none') kept.rounding = o.rounding;
  if (o?.dateFormat && o.dateFormat !== 'auto') kept.dateFormat = o.dateFormat;
  return Object.keys(kept).length > 0 ? JSON.stringify(kept) : null;
}

/** Every field a mapping names must be a column of its kind. */
function checkFields(kind: string, mapping: Record<string, string | null>): void {
  const columns = factKindOf(kind).columns;
  for (const field of Object.values(mapping)) {
    if (field !== null && !Object.hasOwn(columns, field))
      throw new AppError('VALIDATION', { field: 'mapping', reason: `unknown field ${field}` });
  }
}

/**
 * Only the user who saved a mapping, or an admin, may change or delete it. Everyone may use any
 * saved mapping (they are shared by design: one team saves "the CRM export" for all), but a
 * manager must not rewrite what another manager's imports rely on. A mapping saved by no user
 * (the command line) is the admins'.
 */
function assertMappingOwner(actor: Actor, createdBy: number | null): void {
  if (actor.role === 'admin') return;
  if (createdBy === null || createdBy !== actor.id) throw new AppError('COLUMN_MAPPING_NOT_OWNER');
}

/** Saved column mappings: anyone signed in may read them. */
export async function listColumnMappings(db: Db, kind?: string): Promise<ColumnMappingView[]> {
  let q = db.selectFrom('column_mappings').selectAll().orderBy('kind').orderBy('name');
  if (kind) q = q.where('kind', '=', kind);
  return (await q.execute()).map(view);
}

/** Admins and managers save them; each changes only their own (admins any). */
export async function createColumnMapping(
  db: Db,
  actor: Actor,
  input: {
    kind: string;
    name: string;
    mapping: Record<string, string | null>;
    options?: MappingOptions;
  },
  now: Date,
): Promise<ColumnMappingView> {
  assertRole(actor, ['admin', 'manager']);
  checkFields(input.kind, input.mapping);
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto('column_mappings')
        .values({
          kind: input.kind,
          name: input.name,
          mapping: JSON.stringify(input.mapping),
          options: optionsText(input.options),
          created_by: actor.id,
          updated_at: now.toISOString(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await audit(trx, now, {
        userId: actor.id,
        action: 'create',
        entity: 'column_mapping',
        entityId: row.id,
        after: input,
      });
      return view(row);
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('DUPLICATE', { code: input.name });
    throw e;
  }
}

export async function updateColumnMapping(
  db: Db,
  actor: Actor,
  input: {
    id: number;
    version: number;
    name?: string;
    mapping?: Record<string, string | null>;
    options?: MappingOptions;
  },
  now: Date,
): Promise<ColumnMappingView> {
  assertRole(actor, ['admin', 'manager']);
  try {
    return await db.transaction().execute(async (trx) => {
      const stored = await trx
        .selectFrom('column_mappings')
        .selectAll()
        .where('id', '=', input.id)
        .executeTakeFirst();
      if (!stored) throw new AppError('NOT_FOUND', { entity: 'column_mapping' });
      assertMappingOwner(actor, stored.created_by);
      if (input.mapping) checkFields(stored.kind, input.mapping);
      await updateVersioned(
        trx,
        'column_mappings',
        stored.id,
        input.version,
        {
          ...(input.name ? { name: input.name } : {}),
          ...(input.mapping ? { mapping: JSON.stringify(input.mapping) } : {}),
          ...(input.options ? { options: optionsText(input.options) } : {}),
          updated_at: now.toISOString(),
        },
        'column_mapping',
      );
      await audit(trx, now, {
        userId: actor.id,
        action: 'update',
        entity: 'column_mapping',
        entityId: stored.id,
        before: view(stored),
        after: { name: input.name, mapping: input.mapping, options: input.options },
      });
      return view(
        await trx
          .selectFrom('column_mappings')
          .selectAll()
          .where('id', '=', stored.id)
          .executeTakeFirstOrThrow(),
      );
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new AppError('DUPLICATE', { code: input.name ?? '' });
    throw e;
  }
}

export async function deleteColumnMapping(
  db: Db,
  actor: Actor,
  id: number,
  now: Date,
): Promise<void> {
  assertRole(actor, ['admin', 'manager']);
  await db.transaction().execute(async (trx) => {
    const stored = await trx
      .selectFrom('column_mappings')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst();
    if (!stored) throw new AppError('NOT_FOUND', { entity: 'column_mapping' });
    assertMappingOwner(actor, stored.created_by);
    await trx.deleteFrom('column_mappings').where('id', '=', stored.id).execute();
    await audit(trx, now, {
      userId: actor.id,
      action: 'delete',
      entity: 'column_mapping',
      entityId: stored.id,
      before: view(stored),
    });
  });
}
