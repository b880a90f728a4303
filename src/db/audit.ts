import type { Kysely, Transaction } from 'kysely';
import type { Database } from './schema.ts';

/**
 * Every action the audit log may record. A closed list: a misspelt action fails the type check,
 * and the audit page's labels are checked against it (test/unit/audit-i18n.test.ts).
 */
export const AUDIT_ACTIONS = [
  'login',
  'logout',
  'create',
  'update',
  'delete',
  'move',
  'transfer',
  'password',
  'import',
  'reclassify',
  'seed',
  'lenses',
  'commit',
  'decompose',
  'matrix_fit',
  'copy',
  'submit',
  'approve',
  'reject',
  'activate',
  'supersede',
  'transfer_targets',
  'cancel',
  'appoint_manager',
  'evaluate',
  'acknowledge',
  'snooze',
  'assign',
  'contingency_plan',
] as const;
export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** Every kind of object the audit log may name. */
export const AUDIT_ENTITIES = [
  'org_unit',
  'member',
  'user',
  'product',
  'product_line',
  'customer',
  'channel',
  'region',
  'segment',
  'customer_type',
  'settings',
  'holiday_override',
  'import_batch',
  'plan',
  'plan_version',
  'target_cell',
  'target_cells',
  'target_proposal',
  'metric',
  'column_mapping',
  'fact_batch',
  'import_job',
  'bad_rows_file',
  'job',
  'alert',
  'alert_rule',
] as const;
export type AuditEntity = (typeof AUDIT_ENTITIES)[number];

export interface AuditEntry {
  userId: number | null;
  action: AuditAction;
  entity: AuditEntity;
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
