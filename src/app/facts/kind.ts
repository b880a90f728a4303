import type { Kysely, Transaction } from 'kysely';
import type { Database, FactKind as FactKindName } from '../../db/schema.ts';
import type { Problem } from '../../domain/errors.ts';
import type { Columns, RowValues } from '../import/columns.ts';
import type { OutCell } from '../import/write-table.ts';
import type { FactRefs } from './refs.ts';

export type Q = Kysely<Database> | Transaction<Database>;
export type { FactKindName };
export type FactTable = 'order_lines' | 'collections' | 'leads' | 'opportunities' | 'activities';

/** Column values of one fact row as stored, keyed by column name (id and batch_id excluded). */
export type FactValues = Record<string, string | number | null>;

export interface BuildContext {
  row: number;
  refs: FactRefs;
  problems: Problem[];
  /** The row's customer (id 0 when none), with the region and segment it contributes. */
  customer: { id: number; regionId: number; segmentId: number };
  header(field: string): string;
}

/**
 * One kind of fact as a file. The engine handles what every kind shares — the external id, the
 * date the row is credited on, the owner (a member, or an org unit when there is no owner) and
 * the customer; `build` turns the kind's own cells into column values and records problems.
 */
export interface FactKind<C extends Columns = Columns> {
  name: FactKindName;
  table: FactTable;
  /** The column holding the date that decides crediting (and the rollup day for orders). */
  dateColumn: string;
  /** aliases[0] is the Chinese header, aliases[1] the English one (templates write those). */
  columns: C;
  example: Partial<Record<keyof C & string, OutCell>>;
  build(values: RowValues<C>, ctx: BuildContext): FactValues;
}

/** Columns every kind has. Spread into each kind's definition, with the date's own wording. */
export const ownerColumns = {
  ownerCode: {
    aliases: [
      '销售工号',
      'Owner code',
      '工号',
      '负责人工号',
      '负责人',
      'Owner',
      // Members are matched by code (names repeat), whatever the header calls the column.
      '销售人员',
      '业务员',
      '销售代表',
      'Sales rep',
      'Salesperson',
      'Rep',
    ],
    type: 'string',
  },
  unitCode: { aliases: ['组织编码', 'Unit code', '团队', '组织', 'Unit'], type: 'string' },
} as const;

export const customerColumn = {
  customer: {
    aliases: [
      '客户',
      'Customer',
      '客户编码',
      '客户名称',
      'Customer code',
      'Customer name',
      // What CRMs call the customer.
      'Account',
      'Account name',
    ],
    type: 'string',
  },
} as const;

export function extIdColumn(zh: string, en: string) {
  return { aliases: [zh, en, 'ext_id', 'External id'], required: true, type: 'string' } as const;
}
