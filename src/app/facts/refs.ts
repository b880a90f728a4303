import { audit } from '../../db/audit.ts';
import type { Problem } from '../../domain/errors.ts';
import { fold } from '../import/parse-cell.ts';
import type { Actor } from '../import-master/kind.ts';
import { RefIndex } from '../import-master/refs.ts';
import type { Q } from './kind.ts';

export interface CreateMissing {
  customers?: boolean;
  products?: boolean;
}

interface Membership {
  unitId: number;
  start: string;
  end: string | null;
}

export interface CustomerRef {
  readonly id: number;
  readonly regionId: number;
  readonly segmentId: number;
}

export interface ProductRef {
  readonly id: number;
  readonly lineId: number;
  readonly marginBp: number;
}

const NO_MEMBERSHIPS: readonly Membership[] = [];
const NO_CUSTOMER: CustomerRef = { id: 0, regionId: 0, segmentId: 0 };
const NO_PRODUCT: ProductRef = { id: 0, lineId: 0, marginBp: 0 };

/** While validating, a customer or product that will be created has no id yet. */
export const PENDING_ID = -1;

/** The code of the product line that products created by an import are filed under. */
export const UNASSIGNED_LINE = 'UNASSIGNED';

/**
 * What fact rows are resolved against, as loaded from the database: members and their
 * effective-dated memberships, org units with their paths, customers with their region and
 * segment, products with their line and margin, channels. Never changed after loading, so one
 * snapshot serves every import until the reference data changes (`ReferenceData.current`).
 */
export class ReferenceData {
  readonly unitPath = new Map<number, string>();
  readonly memberships = new Map<number, Membership[]>();
  readonly customerDims = new Map<number, { regionId: number; segmentId: number }>();
  readonly productInfo = new Map<number, { lineId: number; marginBp: number }>();
  /** The answers of `customer` / `product` by id, shared by every row naming them (read-only). */
  readonly customerById = new Map<number, CustomerRef>();
  readonly productById = new Map<number, ProductRef>();

  private constructor(
    readonly members: RefIndex,
    readonly units: RefIndex,
    readonly customers: RefIndex,
    readonly products: RefIndex,
    readonly channels: RefIndex,
  ) {}

  /**
   * The snapshot for `q`'s database: the cached one while `reference_generation` has not moved
   * since it was loaded, else a fresh load. The counter is read before the tables, so a change
   * committed in between makes the snapshot newer than its label, never older: the next import
   * reloads rather than trusting stale data.
   */
  static async current(q: Q): Promise<Snapshot> {
    const generation = await readGeneration(q);
    const cached = snapshots.get(q);
    if (cached && cached.generation === generation) return cached;
    const rows = await ReferenceData.read(q);
    const snapshot = { generation, id: ++snapshotCount, rows, data: ReferenceData.fromRows(rows) };
    snapshots.set(q, snapshot);
    return snapshot;
  }

  private static async read(q: Q): Promise<ReferenceRows> {
    const [members, units, customers, products, channels, memberUnits] = await Promise.all([
      q.selectFrom('members').select(['id', 'code']).execute(),
      q.selectFrom('org_units').select(['id', 'code', 'name_zh', 'name_en', 'path']).execute(),
      q
        .selectFrom('customers')
        .select(['id', 'code', 'name_zh', 'name_en', 'region_id', 'segment_id'])
        .execute(),
      q
        .selectFrom('products')
        .select(['id', 'code', 'name_zh', 'name_en', 'product_line_id', 'gross_margin_bp'])
        .execute(),
      q
        .selectFrom('dimension_members')
        .select(['id', 'code', 'name_zh', 'name_en'])
        .where('dimension', '=', 'channel')
        .execute(),
      q
        .selectFrom('member_units')
        .select(['member_id', 'org_unit_id', 'start_date', 'end_date'])
        .execute(),
    ]);
    return { members, units, customers, products, channels, memberUnits };
  }

  /** The snapshot built from the rows as read (also in the import's worker, from a copy of them). */
  static fromRows(r: ReferenceRows): ReferenceData {
    const data = new ReferenceData(
      new RefIndex(r.members, false),
      new RefIndex(r.units),
      new RefIndex(r.customers),
      new RefIndex(r.products),
      new RefIndex(r.channels),
    );
    for (const u of r.units) data.unitPath.set(u.id, u.path);
    for (const c of r.customers)
      data.customerDims.set(c.id, { regionId: c.region_id ?? 0, segmentId: c.segment_id ?? 0 });
    for (const p of r.products)
      data.productInfo.set(p.id, { lineId: p.product_line_id, marginBp: p.gross_margin_bp });
    for (const m of r.memberUnits) {
      const list = data.memberships.get(m.member_id) ?? [];
      list.push({ unitId: m.org_unit_id, start: m.start_date, end: m.end_date });
      data.memberships.set(m.member_id, list);
    }
    return data;
  }
}

/** The reference tables' rows a snapshot is built from (plain data: a worker gets a copy). */
export interface ReferenceRows {
  members: { id: number; code: string }[];
  units: { id: number; code: string; name_zh: string; name_en: string; path: string }[];
  customers: {
    id: number;
    code: string;
    name_zh: string;
    name_en: string;
    region_id: number | null;
    segment_id: number | null;
  }[];
  products: {
    id: number;
    code: string;
    name_zh: string;
    name_en: string;
    product_line_id: number;
    gross_margin_bp: number;
  }[];
  channels: { id: number; code: string; name_zh: string; name_en: string }[];
  memberUnits: {
    member_id: number;
    org_unit_id: number;
    start_date: string;
    end_date: string | null;
  }[];
}

/** A loaded snapshot: `id` is unique in this process, so a worker knows whether it has it. */
export interface Snapshot {
  generation: number;
  id: number;
  rows: ReferenceRows;
  data: ReferenceData;
}

let snapshotCount = 0;

/** The reference snapshot an import of `q`'s database resolves against (see `ReferenceData.current`). */
export function referenceSnapshot(q: Q): Promise<Snapshot> {
  return ReferenceData.current(q);
}

/** The last snapshot per database handle, with the generation it was loaded at. */
const snapshots = new WeakMap<object, Snapshot>();

/** The reference data's change counter (migration 0007): equal means nothing changed since. */
export async function readGeneration(q: Q): Promise<number> {
  const row = await q
    .selectFrom('reference_generation')
    .select('n')
    .where('id', '=', 1)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Everything a fact row refers to, for one import: the shared `ReferenceData` snapshot plus what
 * this import creates. Lookups record problems with the row and column instead of throwing, so
 * one pass reports every bad row.
 */
export class FactRefs {
  readonly toCreate = { customers: new Map<string, string>(), products: new Map<string, string>() };
  /** How many lookups answered PENDING_ID so far: a row that moved it must be resolved again. */
  pendingLookups = 0;
  /** Customers and products this import created, by folded text, with their dims (the snapshot stays as loaded). */
  private readonly createdIds = {
    customers: new Map<string, number>(),
    products: new Map<string, number>(),
  };
  private readonly createdRefs = {
    customers: new Map<number, CustomerRef>(),
    products: new Map<number, ProductRef>(),
  };
  readonly channels: RefIndex;

  private constructor(
    private readonly actor: Actor,
    private readonly createMissing: CreateMissing,
    private readonly data: ReferenceData,
  ) {
    this.channels = data.channels;
  }

  static async load(q: Q, actor: Actor, createMissing: CreateMissing = {}): Promise<FactRefs> {
    return new FactRefs(actor, createMissing, (await ReferenceData.current(q)).data);
  }

  /** Refs over a snapshot already at hand (the import's worker builds its own from the rows). */
  static of(actor: Actor, createMissing: CreateMissing, data: ReferenceData): FactRefs {
    return new FactRefs(actor, createMissing, data);
  }

  /**
   * Crediting follows the date: a member-owned row goes to the unit the member belonged to on
   * `date` ([start, end)); a row without an owner goes to the unit it names. When both are given
   * the owner wins — the unit column is how rows without a salesperson (a territory, a shop) say
   * where they belong, not a second opinion.
   */
  credit(
    ownerText: string | null,
    unitText: string | null,
    date: string | null,
    row: number,
    header: (field: string) => string,
    problems: Problem[],
  ): { memberId: number; unitId: number } | null {
    let memberId = 0;
    let unitId: number | null = null;
    if (ownerText !== null) {
      const id = this.data.members.resolve(ownerText, row, header('ownerCode'), 'member', problems);
      if (id === null || date === null) return null;
      memberId = id;
      let on: Membership | undefined;
      for (const m of this.data.memberships.get(id) ?? NO_MEMBERSHIPS) {
        if (m.start <= date && (m.end === null || m.end > date)) {
          on = m;
          break;
        }
      }
      if (!on) {
        problems.push({
          row,
          column: header('ownerCode'),
          code: 'FACT_NO_MEMBERSHIP',
          params: { member: ownerText, date },
        });
        return null;
      }
      unitId = on.unitId;
      // A unit named beside the owner must exist and be the owner's unit that day: it was once
      // ignored, so a typo or another team's code passed silently (issue 11).
      if (unitText !== null) {
        const named = this.data.units.resolve(
          unitText,
          row,
          header('unitCode'),
          'org_unit',
          problems,
        );
        if (named === null) return null;
        if (named !== unitId) {
          problems.push({
            row,
            column: header('unitCode'),
            code: 'FACT_UNIT_MISMATCH',
            params: { unit: unitText, member: ownerText, date },
          });
          return null;
        }
      }
    } else if (unitText !== null) {
      unitId = this.data.units.resolve(unitText, row, header('unitCode'), 'org_unit', problems);
      if (unitId === null) return null;
    } else {
      problems.push({ row, column: header('ownerCode'), code: 'REQUIRED' });
      return null;
    }
    if (!this.writable(unitId)) {
      problems.push({
        row,
        column: header(ownerText !== null ? 'ownerCode' : 'unitCode'),
        code: 'FORBIDDEN',
      });
      return null;
    }
    return { memberId, unitId };
  }

  /** Admins write anywhere; managers inside the subtrees they manage. */
  writable(unitId: number): boolean {
    if (this.actor.role === 'admin') return true;
    if (this.actor.role !== 'manager') return false;
    const path = this.data.unitPath.get(unitId) ?? '';
    return this.actor.scope.unitPaths.some((p) => path.startsWith(p));
  }

  customer(
    text: string | null,
    row: number,
    column: string,
    problems: Problem[],
  ): CustomerRef | null {
    if (text === null) return NO_CUSTOMER;
    const id = this.data.customers.find(text);
    if (id !== undefined) {
      let ref = this.data.customerById.get(id);
      if (!ref) {
        ref = { id, ...(this.data.customerDims.get(id) ?? { regionId: 0, segmentId: 0 }) };
        this.data.customerById.set(id, ref);
      }
      return ref;
    }
    const created = this.createdIds.customers.get(fold(text));
    if (created !== undefined) return this.createdRefs.customers.get(created)!;
    if (this.createMissing.customers) {
      this.toCreate.customers.set(fold(text), text);
      this.pendingLookups++;
      return { id: PENDING_ID, regionId: 0, segmentId: 0 };
    }
    problems.push({
      row,
      column,
      code: 'REFERENCE_NOT_FOUND',
      params: { entity: 'customer', value: text },
    });
    return null;
  }

  product(
    text: string | null,
    row: number,
    column: string,
    problems: Problem[],
  ): ProductRef | null {
    if (text === null) return NO_PRODUCT;
    const id = this.data.products.find(text);
    if (id !== undefined) {
      let ref = this.data.productById.get(id);
      if (!ref) {
        ref = { id, ...(this.data.productInfo.get(id) ?? { lineId: 0, marginBp: 0 }) };
        this.data.productById.set(id, ref);
      }
      return ref;
    }
    const created = this.createdIds.products.get(fold(text));
    if (created !== undefined) return this.createdRefs.products.get(created)!;
    if (this.createMissing.products) {
      this.toCreate.products.set(fold(text), text);
      this.pendingLookups++;
      return { id: PENDING_ID, lineId: PENDING_ID, marginBp: 0 };
    }
    problems.push({
      row,
      column,
      code: 'REFERENCE_NOT_FOUND',
      params: { entity: 'product', value: text },
    });
    return null;
  }

  channel(text: string | null, row: number, column: string, problems: Problem[]): number | null {
    if (text === null) return 0;
    return this.channels.resolve(text, row, column, 'channel', problems);
  }

  /**
   * Creates the customers and products that rows name but that do not exist (only those the
   * caller allowed), inside the import's transaction, and makes later lookups find them. A
   * created customer has no region or segment; a created product sits on the UNASSIGNED line
   * with a 0% margin until someone files it properly. Returns the codes created.
   */
  async createPending(trx: Q, now: Date): Promise<{ customers: string[]; products: string[] }> {
    const nowIso = now.toISOString();
    const created = {
      customers: [...this.toCreate.customers.values()],
      products: [...this.toCreate.products.values()],
    };
    for (const text of created.customers) {
      const row = await trx
        .insertInto('customers')
        .values({
          code: text,
          name_zh: text,
          name_en: text,
          annual_purchase: 0,
          tier: 'C',
          updated_at: nowIso,
        })
        .returning(['id', 'code'])
        .executeTakeFirstOrThrow();
      this.createdIds.customers.set(fold(text), row.id);
      this.createdRefs.customers.set(row.id, { id: row.id, regionId: 0, segmentId: 0 });
    }
    if (created.products.length > 0) {
      const lineId = await unassignedLine(trx, nowIso);
      for (const text of created.products) {
        const row = await trx
          .insertInto('products')
          .values({
            code: text,
            name_zh: text,
            name_en: text,
            product_line_id: lineId,
            gross_margin_bp: 0,
            updated_at: nowIso,
          })
          .returning(['id', 'code'])
          .executeTakeFirstOrThrow();
        this.createdIds.products.set(fold(text), row.id);
        this.createdRefs.products.set(row.id, { id: row.id, lineId, marginBp: 0 });
      }
    }
    this.toCreate.customers.clear();
    this.toCreate.products.clear();
    for (const [entity, codes] of [
      ['customer', created.customers],
      ['product', created.products],
    ] as const) {
      if (codes.length > 0) {
        await audit(trx, now, {
          userId: this.actor.userId,
          action: 'create',
          entity,
          after: { createdByFactImport: codes },
        });
      }
    }
    return created;
  }
}

async function unassignedLine(trx: Q, nowIso: string): Promise<number> {
  const found = await trx
    .selectFrom('product_lines')
    .select('id')
    .where('code', '=', UNASSIGNED_LINE)
    .executeTakeFirst();
  if (found) return found.id;
  const { id } = await trx
    .insertInto('product_lines')
    .values({
      parent_id: null,
      code: UNASSIGNED_LINE,
      name_zh: '未分配',
      name_en: 'Unassigned',
      path: '',
      sort_order: 9999,
      updated_at: nowIso,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx
    .updateTable('product_lines')
    .set({ path: `/${id}/` })
    .where('id', '=', id)
    .execute();
  return id;
}
