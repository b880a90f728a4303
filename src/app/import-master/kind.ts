import type { AuditEntity } from '../../db/audit.ts';
import type { Kysely, Transaction } from 'kysely';
import type { Scope } from '../actor.ts';
import type { Database, Role } from '../../db/schema.ts';
import type { Problem } from '../../domain/errors.ts';
import type { Columns, MappedRecord, RowValues } from '../import/columns.ts';
import type { OutCell } from '../import/write-table.ts';

export type Q = Kysely<Database> | Transaction<Database>;
export type Lang = 'zh-CN' | 'en';

/** Who runs an import or export; the CLI runs as an admin without a user id. */
export interface Actor {
  userId: number | null;
  role: Role;
  scope: Scope;
}

export interface ImportContext {
  actor: Actor;
  now: Date;
  /** 'YYYY-MM-DD' in China; default effective date of transfers. */
  today: string;
}

export type Outcome = 'created' | 'updated' | 'unchanged';

/**
 * One kind of master data as a file: its columns (aliases[0] is the Chinese header, aliases[1]
 * the English one — exports and templates write those, so an export re-imports as is), how a row
 * is checked against the database, how it is applied, and how stored rows are exported.
 */
export interface MasterKind<C extends Columns, P> {
  entity: AuditEntity;
  columns: C;
  /** Which roles may import this kind at all (rows are still checked against the scope). */
  roles: readonly Role[];
  /**
   * Checks references and permissions for every record and returns what to apply, in apply
   * order (parents before children). Never stops at the first problem.
   */
  prepare(
    q: Q,
    records: MappedRecord<C>[],
    ctx: ImportContext,
    header: (field: keyof C & string) => string,
    /** Whether the file has the column (an optional column left out keeps what is stored). */
    present?: (field: keyof C & string) => boolean,
  ): Promise<{ items: P[]; problems: Problem[] }>;
  /** Applies one prepared row inside the import's transaction; writes its own audit entry when it changes something. */
  apply(trx: Q, item: P, ctx: ImportContext): Promise<Outcome>;
  /** Stored rows as cell values keyed by field, in the form the columns read back. */
  exportRows(
    q: Q,
    ctx: ImportContext,
    lang: Lang,
  ): Promise<Partial<Record<keyof C & string, OutCell>>[]>;
  /** One illustrative row for the template. */
  example: Partial<Record<keyof C & string, OutCell>>;
}

export type AnyKind = MasterKind<Columns, unknown>;
export type Values<C extends Columns> = RowValues<C>;
