import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

export interface AuditEntry {
  userId: number | null;
  action:
    | 'create'
    | 'update'
    | 'delete'
    | 'transfer'
    | 'import'
    | 'login'
    | 'logout'
    | 'password'
    | string;
  entity: string;
  entityId?: string | number | null;
  before?: unknown;
  after?: unknown;
}

/** Written in the same transaction as the change it describes: no change without its record. */
export async function audit(
  trx: Kysely<Database> | Transaction<Database>,
  now: Date,
  e: AuditEntry,
): Promise<void> {
  await trx
    .insertInto('audit_log')
    .values({
      at: now.toISOString(),
      user_id: e.userId,
      action: e.action,
      entity: e.entity,
      entity_id: e.entityId === undefined || e.entityId === null ? null : String(e.entityId),
      before: e.before === undefined ? null : JSON.stringify(e.before),
      after: e.after === undefined ? null : JSON.stringify(e.after),
    })
    .execute();
}
