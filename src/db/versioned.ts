import type { Kysely, Selectable, Transaction, Updateable } from 'kysely';
import { AppError } from '../domain/errors.ts';
import type { Database } from './schema.ts';

type VersionedTable = {
  [K in keyof Database]: Database[K] extends { id: unknown; version: unknown } ? K : never;
}[keyof Database];

/**
 * Optimistic concurrency: the update applies only if the row still has the version the client
 * read; otherwise VERSION_CONFLICT tells them the current version. Concurrent edits are never lost.
 */
export async function updateVersioned<T extends VersionedTable>(
  trx: Kysely<Database> | Transaction<Database>,
  table: T,
  id: number,
  expectedVersion: number,
  values: Updateable<Database[T]>,
  entity: string,
): Promise<void> {
  const anyDb = trx as unknown as Kysely<any>;
  const tbl = table as string;
  const res = await anyDb
    .updateTable(tbl)
    .set({ ...(values as Record<string, unknown>), version: expectedVersion + 1 })
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .executeTakeFirst();
  if (Number(res.numUpdatedRows) === 1) return;
  const row = await anyDb.selectFrom(tbl).select('version').where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity });
  throw new AppError('VERSION_CONFLICT', {
    current: row.version as number,
    given: expectedVersion,
  });
}

/**
 * Deletes the row only if it still has the version the client read, in one statement
 * (`where id = ? and version = ?`), and returns the row as it was deleted. Checking the version in
 * JavaScript and then deleting by id would let an edit committed in between be deleted unseen.
 * No row deleted: NOT_FOUND when it is gone, else VERSION_CONFLICT with the current version.
 */
export async function deleteVersioned<T extends VersionedTable>(
  trx: Kysely<Database> | Transaction<Database>,
  table: T,
  id: number,
  expectedVersion: number,
  entity: string,
): Promise<Selectable<Database[T]>> {
  const anyDb = trx as unknown as Kysely<any>;
  const tbl = table as string;
  const deleted = await anyDb
    .deleteFrom(tbl)
    .where('id', '=', id)
    .where('version', '=', expectedVersion)
    .returningAll()
    .executeTakeFirst();
  if (deleted) return deleted as Selectable<Database[T]>;
  const row = await anyDb.selectFrom(tbl).select('version').where('id', '=', id).executeTakeFirst();
  if (!row) throw new AppError('NOT_FOUND', { entity });
  throw new AppError('VERSION_CONFLICT', {
    current: row.version as number,
    given: expectedVersion,
  });
}

/** Unique-constraint violations differ per driver; map both to DUPLICATE. */
export function isUniqueViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    err?.code === '23505' ||
    err?.code === 'SQLITE_CONSTRAINT_UNIQUE' ||
    /UNIQUE constraint failed/.test(err?.message ?? '')
  );
}

/**
 * Foreign-key violations differ per driver too. Tables added later (facts, targets) may point at
 * a master record; deleting it then fails in the database, which the API reports as IN_USE.
 */
export function isForeignKeyViolation(e: unknown): boolean {
  const err = e as { code?: string; message?: string };
  return (
    err?.code === '23503' ||
    err?.code === 'SQLITE_CONSTRAINT_FOREIGNKEY' ||
    /FOREIGN KEY constraint failed/.test(err?.message ?? '')
  );
}

/** A `.catch` handler: a unique violation becomes DUPLICATE naming the code, anything else passes. */
export function orDuplicate(code: string) {
  return (e: unknown): never => {
    throw isUniqueViolation(e) ? new AppError('DUPLICATE', { code }) : e;
  };
}

/** A `.catch` handler: a foreign-key violation becomes IN_USE naming the entity. */
export function orInUse(entity: string) {
  return (e: unknown): never => {
    throw isForeignKeyViolation(e) ? new AppError('IN_USE', { entity }) : e;
  };
}
