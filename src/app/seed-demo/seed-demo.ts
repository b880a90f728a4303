import { evaluateAlerts } from '../alerts/evaluate-alerts.ts';
import { systemActor } from '../actor.ts';
import type { Insertable, Transaction } from 'kysely';
import { hashPassword } from '../auth/password.ts';
import type { Db } from '../../db/connect.ts';
import type { AuditLogTable, Database } from '../../db/schema.ts';
import { getSetting, getSettings, updateSettings } from '../../db/settings.ts';
import { buildDemoActuals, type DemoActuals } from './actuals.ts';
import { DEMO_PASSWORD } from './demo-logins.ts';
import { buildDemoPlan, type DemoPlan } from './demo-plan.ts';
import { writeDemoFacts, type FactCounts } from './write-facts.ts';
import { writeDemoTargets } from './write-plan.ts';

/** Settings key recording that (and for which day) the demo company was generated. */
export const DEMO_SETTING_KEY = 'demo.seed';

export interface DatabaseContents {
  users: number;
  /** Org units, members, product lines, products, dimension members and customers together. */
  masterData: number;
}

export interface SeedCounts extends FactCounts {
  orgUnits: number;
  members: number;
  memberships: number;
  productLines: number;
  products: number;
  dimensionMembers: number;
  customers: number;
  users: number;
  planVersions: number;
  targetCells: number;
}

export type SeedDemoResult =
  | { seeded: true; counts: SeedCounts; skippedUsers: string[] }
  | { seeded: false; reason: 'has-data' | 'has-users'; contents: DatabaseContents };

export interface SeedDemoOptions {
  /** The day the demo is built around ('YYYY-MM-DD'); hire dates and transfers move with it. */
  today: string;
  /** Timestamp for updated_at and the audit trail. */
  now: Date;
  /**
   * Seed even though user accounts exist (e.g. an admin made with `user add`). Demo accounts whose
   * username is taken are skipped. Master data is never overwritten: with any present, nothing happens.
   */
  force?: boolean;
}

type Q = Db | Transaction<Database>;

export async function inspectContents(q: Q): Promise<DatabaseContents> {
  const count = async (
    table:
      | 'users'
      | 'org_units'
      | 'members'
      | 'product_lines'
      | 'products'
      | 'dimension_members'
      | 'customers',
  ) =>
    Number(
      (
        await q
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const master = await Promise.all(
    (
      [
        'org_units',
        'members',
        'product_lines',
        'products',
        'dimension_members',
        'customers',
      ] as const
    ).map(count),
  );
  return { users: await count('users'), masterData: master.reduce((a, b) => a + b, 0) };
}

/**
 * Writes the demo company "星河电商 / Galaxy Commerce" in one transaction: all of it or nothing.
 * Refuses (returns `seeded: false`, changes nothing) when the database already holds data.
 *
 * In order: master data and accounts; the actuals from the start of the fiscal year two years
 * back through `today` (`writeDemoFacts`: credited, primary lines and rollups by the facts engine);
 * then the current year's plan built from them (`writeDemoTargets`). Every function involved takes
 * the transaction, so a failure anywhere leaves the database as empty as it was.
 */
export async function seedDemo(db: Db, opts: SeedDemoOptions): Promise<SeedDemoResult> {
  const plan = buildDemoPlan(opts.today);
  const fiscalStartMonth = await getSetting(db, 'fiscalYearStartMonth');
  const actuals = buildDemoActuals(plan, { today: opts.today, fiscalStartMonth });
  // Hash once, outside the transaction: scrypt is deliberately slow (~50 ms), and every demo
  // account shares the published password anyway, so one salt reveals nothing new.
  const hash = await hashPassword(DEMO_PASSWORD);
  const result = await db.transaction().execute(async (trx) => {
    const contents = await inspectContents(trx);
    if (contents.masterData > 0)
      return { seeded: false as const, reason: 'has-data' as const, contents };
    if (contents.users > 0 && !opts.force)
      return { seeded: false as const, reason: 'has-users' as const, contents };
    return writeCompany(trx, plan, actuals, hash, opts.now, fiscalStartMonth);
  });
  // The demo opens with the alerts its numbers call for (the slumping region, conversion drops),
  // evaluated by the engine itself as the daily run would, as of the demo's today.
  if (result.seeded) await evaluateAlerts(db, systemActor(), { asOf: opts.today }, opts.now);
  return result;
}

async function writeCompany(
  trx: Transaction<Database>,
  plan: DemoPlan,
  actuals: DemoActuals,
  passwordHash: string,
  now: Date,
  fiscalStartMonth: number,
): Promise<SeedDemoResult> {
  const at = now.toISOString();
  const audits: Insertable<AuditLogTable>[] = [];
  const record = (entity: string, id: number, after: object) =>
    audits.push({
      at,
      user_id: null,
      action: 'seed',
      entity,
      entity_id: String(id),
      before: null,
      after: JSON.stringify(after),
    });

  // Members
  const memberRows = plan.members.map((m) => ({
    code: m.code,
    name_zh: m.nameZh,
    name_en: m.nameEn,
    tier: m.tier,
    hire_date: m.hireDate,
    email: m.email,
    updated_at: at,
  }));
  const memberId = await insertAll(trx, 'members', memberRows, { entity: 'member', record });

  // Org units, parents before children so parent_id and the materialized path can be set.
  const unitId = new Map<string, number>();
  const unitPath = new Map<string, string>();
  for (const level of levels(plan.units)) {
    const rows = level.map((u) => ({
      parent_id: u.parentCode ? unitId.get(u.parentCode)! : null,
      code: u.code,
      name_zh: u.nameZh,
      name_en: u.nameEn,
      kind: u.kind,
      manager_member_id: memberId.get(u.managerCode)!,
      path: '',
      sort_order: u.sortOrder,
      updated_at: at,
    }));
    const ids = await insertAll(trx, 'org_units', rows);
    for (const [i, u] of level.entries()) {
      const id = ids.get(u.code)!;
      const path = `${u.parentCode ? unitPath.get(u.parentCode)! : '/'}${id}/`;
      record('org_unit', id, { ...rows[i], path });
      unitId.set(u.code, id);
      unitPath.set(u.code, path);
      await trx.updateTable('org_units').set({ path }).where('id', '=', id).execute();
    }
  }

  // Memberships (effective-dated; audited as part of their member)
  await insertChunks(
    trx,
    'member_units',
    plan.memberships.map((m) => ({
      member_id: memberId.get(m.memberCode)!,
      org_unit_id: unitId.get(m.unitCode)!,
      start_date: m.startDate,
      end_date: m.endDate,
    })),
  );

  // Product lines and products
  const lineId = new Map<string, number>();
  const linePath = new Map<string, string>();
  for (const level of levels(plan.productLines)) {
    const rows = level.map((l) => ({
      parent_id: l.parentCode ? lineId.get(l.parentCode)! : null,
      code: l.code,
      name_zh: l.nameZh,
      name_en: l.nameEn,
      path: '',
      sort_order: l.sortOrder,
      updated_at: at,
    }));
    const ids = await insertAll(trx, 'product_lines', rows);
    for (const [i, l] of level.entries()) {
      const id = ids.get(l.code)!;
      const path = `${l.parentCode ? linePath.get(l.parentCode)! : '/'}${id}/`;
      record('product_line', id, { ...rows[i], path });
      lineId.set(l.code, id);
      linePath.set(l.code, path);
      await trx.updateTable('product_lines').set({ path }).where('id', '=', id).execute();
    }
  }
  await insertAll(
    trx,
    'products',
    plan.products.map((p) => ({
      code: p.code,
      name_zh: p.nameZh,
      name_en: p.nameEn,
      product_line_id: lineId.get(p.lineCode)!,
      gross_margin_bp: p.grossMarginBp,
      list_price: p.listPrice,
      updated_at: at,
    })),
    { entity: 'product', record },
  );

  // Dimensions: codes are unique per dimension only, so key them as 'dimension:code'.
  const dimId = new Map<string, number>();
  for (const dimension of ['channel', 'region', 'segment', 'customer_type'] as const) {
    const rows = plan.dimensions
      .filter((d) => d.dimension === dimension)
      .map((d) => ({
        dimension,
        code: d.code,
        name_zh: d.nameZh,
        name_en: d.nameEn,
        attrs: JSON.stringify(d.attrs),
        sort_order: d.sortOrder,
        updated_at: at,
      }));
    const ids = await insertAll(trx, 'dimension_members', rows, { entity: dimension, record });
    for (const [code, id] of ids) dimId.set(`${dimension}:${code}`, id);
  }

  await insertAll(
    trx,
    'customers',
    plan.customers.map((c) => ({
      code: c.code,
      name_zh: c.nameZh,
      name_en: c.nameEn,
      segment_id: dimId.get(`segment:${c.segmentCode}`)!,
      customer_type_id: dimId.get(`customer_type:${c.typeCode}`)!,
      region_id: dimId.get(`region:${c.regionCode}`)!,
      owner_member_id: memberId.get(c.ownerCode)!,
      annual_purchase: c.annualPurchase,
      tier: c.tier,
      updated_at: at,
    })),
    { entity: 'customer', record },
  );

  // Users: with --force some usernames may exist already; those accounts are left as they are.
  const taken = new Set(
    (await trx.selectFrom('users').select('username').execute()).map((u) => u.username),
  );
  const users = plan.users.filter((u) => !taken.has(u.username));
  for (const u of users) {
    const { id } = await trx
      .insertInto('users')
      .values({
        username: u.username,
        display_name: u.displayName,
        password_hash: passwordHash,
        role: u.role,
        member_id: u.memberCode ? memberId.get(u.memberCode)! : null,
        locale: 'zh-CN',
        amount_unit: 'wan',
        created_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    record('user', id, { username: u.username, role: u.role, member_code: u.memberCode });
  }

  // The company's name, for the header and the reports, unless someone already named it.
  const settings = await getSettings(trx);
  const company = plan.units.find((u) => u.parentCode === null)!;
  if (settings.companyNameZh === '' && settings.companyNameEn === '') {
    const { version: _, ...current } = settings;
    await updateSettings(
      trx,
      settings.version,
      { ...current, companyNameZh: company.nameZh, companyNameEn: company.nameEn },
      now,
    );
    record('settings', 0, { companyNameZh: company.nameZh, companyNameEn: company.nameEn });
  }

  await insertChunks(trx, 'audit_log', audits);

  // Facts are imported by the admin, the plan is the director's (whoever holds those names, with --force).
  const idOf = async (username: string) =>
    (await trx.selectFrom('users').select('id').where('username', '=', username).executeTakeFirst())
      ?.id ?? null;
  const adminId = await idOf('admin');
  const directorId = (await idOf('director')) ?? adminId;
  if (directorId === null) throw new Error('the demo needs a director or admin account');
  const facts = await writeDemoFacts(trx, actuals, now, adminId);
  const targets = await writeDemoTargets(trx, {
    today: plan.today,
    now,
    userId: directorId,
    fiscalStartMonth,
  });

  await trx
    .insertInto('settings')
    .values({
      key: DEMO_SETTING_KEY,
      value: JSON.stringify({
        today: plan.today,
        seededAt: at,
        historyFrom: actuals.start,
        planId: targets.planId,
      }),
    })
    .execute();
  return {
    seeded: true,
    skippedUsers: plan.users.filter((u) => taken.has(u.username)).map((u) => u.username),
    counts: {
      orgUnits: plan.units.length,
      members: plan.members.length,
      memberships: plan.memberships.length,
      productLines: plan.productLines.length,
      products: plan.products.length,
      dimensionMembers: plan.dimensions.length,
      customers: plan.customers.length,
      users: users.length,
      ...facts,
      planVersions: 2,
      targetCells: targets.targetCells,
    },
  };
}

/** Groups tree nodes by depth, roots first. */
function levels<T extends { code: string; parentCode: string | null }>(nodes: readonly T[]): T[][] {
  const out: T[][] = [];
  let level = nodes.filter((n) => n.parentCode === null);
  while (level.length > 0) {
    out.push(level);
    const parents = new Set(level.map((n) => n.code));
    level = nodes.filter((n) => n.parentCode !== null && parents.has(n.parentCode));
  }
  return out;
}

type CodedTable =
  'members' | 'org_units' | 'product_lines' | 'products' | 'dimension_members' | 'customers';

/** Inserts rows and returns code → id, matched by code rather than by row order. */
async function insertAll<T extends CodedTable>(
  trx: Transaction<Database>,
  table: T,
  rows: (Insertable<Database[T]> & { code: string })[],
  audit?: { entity: string; record: (entity: string, id: number, after: object) => void },
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const anyTrx = trx as unknown as Transaction<any>;
    const back = (await anyTrx
      .insertInto(table)
      .values(chunk)
      .returning(['id', 'code'])
      .execute()) as { id: number; code: string }[];
    for (const r of back) ids.set(r.code, r.id);
  }
  if (audit) for (const row of rows) audit.record(audit.entity, ids.get(row.code)!, row);
  return ids;
}

const CHUNK = 200;

async function insertChunks<T extends keyof Database>(
  trx: Transaction<Database>,
  table: T,
  rows: Insertable<Database[T]>[],
): Promise<void> {
  const anyTrx = trx as unknown as Transaction<any>;
  for (let i = 0; i < rows.length; i += CHUNK)
    await anyTrx
      .insertInto(table)
      .values(rows.slice(i, i + CHUNK))
      .execute();
}
