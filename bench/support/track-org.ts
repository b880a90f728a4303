import { seedProductLines } from './seed-org.ts';
import { hashPassword } from '../../src/app/auth/password.ts';
import type { Db } from '../../src/db/connect.ts';
import type { Insertable } from 'kysely';
import type { CustomersTable, Dimension } from '../../src/db/schema.ts';

/**
 * The master data behind `bench:track`, with the ids the database gave it. The CSV generator
 * writes codes (as a CRM export does); the raw baseline writes these ids.
 */
export interface TrackOrg {
  root: Unit;
  regions: Unit[];
  teams: Unit[];
  members: TrackMember[];
  productLines: number[];
  /** Products grouped by line: products[lineIndex][k]. */
  products: { id: number; code: string; lineId: number; marginBp: number }[][];
  channels: { id: number; code: string }[];
  customers: { id: number; code: string; regionId: number; segmentId: number }[];
  /** Customers of member m: customers[m * customersPerMember … + customersPerMember). */
  customersPerMember: number;
  adminUser: string;
  adminPassword: string;
}

export interface Unit {
  id: number;
  path: string;
}

export interface TrackMember {
  id: number;
  code: string;
  /** Effective-dated, [start, end): one open membership, or two around a transfer. */
  memberships: { unitId: number; start: string; end: string | null }[];
  /** Indexes into TrackOrg.productLines this member sells (a specialist, not the whole catalogue). */
  lines: number[];
  /** Indexes into TrackOrg.channels. */
  channels: number[];
}

export interface TrackOrgOptions {
  members: number;
  teamSize: number;
  regions: number;
  productLines: number;
  productsPerLine: number;
  channels: number;
  segments: number;
  customersPerMember: number;
  /** Every n-th member moves to a team of the next region on `transferDate(m)`. */
  transferEvery: number;
  /** First and last day of the fact data: transfers fall strictly inside. */
  from: string;
  to: string;
  now: Date;
}

const CHUNK = 500;
const CHANNEL_CODES = ['OWN', 'DIST', 'ECOM', 'PARTNER', 'KA', 'TEL'];

/**
 * Company → regions → teams → members, memberships from 2024-01-01 (every `transferEvery`-th member
 * transferred mid-period to another region's team), product lines with products and margins,
 * channels, regions and segments as dimensions, customers owned by members in their region, and
 * an admin user for the tracking API. Plain multi-row inserts: only what comes after is measured.
 */
/** The bench's company apart from its head count: what `bench:track` and the breakdown share. */
export const BENCH_SHAPE = {
  teamSize: 12,
  regions: 8,
  productLines: 20,
  productsPerLine: 10,
  channels: 4,
  segments: 4,
  customersPerMember: 40,
  transferEvery: 20,
} as const;

export async function seedTrackOrg(db: Db, o: TrackOrgOptions): Promise<TrackOrg> {
  const at = o.now.toISOString();
  const teamsCount = Math.max(1, Math.ceil(o.members / o.teamSize));
  const regionsCount = Math.max(1, Math.min(o.regions, teamsCount));

  const unit = async (
    parentId: number | null,
    parentPath: string,
    code: string,
    kind: 'company' | 'region' | 'team',
    sort: number,
  ): Promise<Unit> => {
    const { id } = await db
      .insertInto('org_units')
      .values({
        parent_id: parentId,
        code,
        name_zh: `组织${code}`,
        name_en: `Unit ${code}`,
        kind,
        manager_member_id: null,
        path: '',
        sort_order: sort,
        updated_at: at,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const path = `${parentPath}${id}/`;
    await db.updateTable('org_units').set({ path }).where('id', '=', id).execute();
    return { id, path };
  };
  const root = await unit(null, '/', 'HQ', 'company', 0);
  const regions: Unit[] = [];
  for (let r = 0; r < regionsCount; r++)
    regions.push(await unit(root.id, root.path, `R${pad(r, 2)}`, 'region', r));
  const teams: Unit[] = [];
  for (let t = 0; t < teamsCount; t++)
    teams.push(
      await unit(
        regions[t % regionsCount]!.id,
        regions[t % regionsCount]!.path,
        `T${pad(t, 3)}`,
        'team',
        t,
      ),
    );

  const dim = async (dimension: Dimension, codes: string[]) => {
    const rows = await db
      .insertInto('dimension_members')
      .values(
        codes.map((code, k) => ({
          dimension,
          code,
          name_zh: `${dimension}${code}`,
          name_en: `${dimension} ${code}`,
          attrs: '{}',
          sort_order: k,
          updated_at: at,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    return rows;
  };
  const channels = await dim(
    'channel',
    Array.from({ length: o.channels }, (_, k) => channelCode(k)),
  );
  const regionDims = await dim(
    'region',
    regions.map((_, r) => `REG${pad(r, 2)}`),
  );
  const segments = await dim(
    'segment',
    Array.from({ length: o.segments }, (_, k) => `SEG${k}`),
  );

  const lineIds = await seedProductLines(db, o.productLines, at);
  const products: TrackOrg['products'] = [];
  for (let l = 0; l < lineIds.length; l++) {
    const values = Array.from({ length: o.productsPerLine }, (_, k) => ({
      code: productCode(l, k),
      name_zh: `产品${l}-${k}`,
      name_en: `Product ${l}-${k}`,
      product_line_id: lineIds[l]!,
      gross_margin_bp: productMarginBp(l, k),
      list_price: null,
      updated_at: at,
    }));
    const rows = await db.insertInto('products').values(values).returning(['id', 'code']).execute();
    products.push(
      rows.map((r, k) => ({
        id: r.id,
        code: r.code,
        lineId: lineIds[l]!,
        marginBp: values[k]!.gross_margin_bp,
      })),
    );
  }

  const members: TrackMember[] = [];
  const days = daysBetween(o.from, o.to);
  for (let i = 0; i < o.members; i += CHUNK) {
    const n = Math.min(CHUNK, o.members - i);
    const ids = await db
      .insertInto('members')
      .values(
        Array.from({ length: n }, (_, k) => ({
          code: memberCode(i + k),
          name_zh: `销售${i + k}`,
          name_en: `Rep ${i + k}`,
          tier: 'regular' as const,
          hire_date: '2024-01-01',
          updated_at: at,
        })),
      )
      .returning(['id', 'code'])
      .execute();
    const memberships: {
      member_id: number;
      org_unit_id: number;
      start_date: string;
      end_date: string | null;
    }[] = [];
    ids.forEach((row, k) => {
      const m = i + k;
      const team = Math.floor(m / o.teamSize) % teamsCount;
      const mine: TrackMember['memberships'] = [];
      if (o.transferEvery > 0 && m % o.transferEvery === o.transferEvery - 1 && teamsCount > 1) {
        // A transfer on a day spread over the period: the old membership ends (exclusive) the day the new one starts.
        const on = addDaysIso(o.from, 30 + ((m * 37) % Math.max(1, days - 60)));
        const next = (team + 1) % teamsCount;
        mine.push(
          { unitId: teams[team]!.id, start: '2024-01-01', end: on },
          { unitId: teams[next]!.id, start: on, end: null },
        );
      } else {
        mine.push({ unitId: teams[team]!.id, start: '2024-01-01', end: null });
      }
      for (const s of mine)
        memberships.push({
          member_id: row.id,
          org_unit_id: s.unitId,
          start_date: s.start,
          end_date: s.end,
        });
      members.push({
        id: row.id,
        code: row.code,
        memberships: mine,
        lines: memberLines(m, o.productLines),
        channels: memberChannels(m, o.channels),
      });
    });
    await db.insertInto('member_units').values(memberships).execute();
  }

  const customers: TrackOrg['customers'] = [];
  const perChunk = Math.max(1, Math.floor(CHUNK / o.customersPerMember));
  for (let m0 = 0; m0 < members.length; m0 += perChunk) {
    const values: Insertable<CustomersTable>[] = [];
    for (let m = m0; m < Math.min(members.length, m0 + perChunk); m++) {
      const regionIndex = (Math.floor(m / o.teamSize) % teamsCount) % regionsCount;
      for (let k = 0; k < o.customersPerMember; k++) {
        values.push({
          code: customerCode(m, k),
          name_zh: `客户${m}-${k}`,
          name_en: `Customer ${m}-${k}`,
          // Most customers sit in the member's own region; one in ten elsewhere.
          region_id: regionDims[k % 10 === 9 ? (regionIndex + 1) % regionsCount : regionIndex]!.id,
          segment_id: segments[(m + k) % segments.length]!.id,
          owner_member_id: members[m]!.id,
          annual_purchase: 0,
          tier: 'C' as const,
          updated_at: at,
        });
      }
    }
    const rows = await db
      .insertInto('customers')
      .values(values)
      .returning(['id', 'code'])
      .execute();
    rows.forEach((r, k) =>
      customers.push({
        id: r.id,
        code: r.code,
        regionId: values[k]!.region_id!,
        segmentId: values[k]!.segment_id!,
      }),
    );
  }

  const adminPassword = 'bench-track-password';
  await db
    .insertInto('users')
    .values({
      username: 'bench',
      display_name: 'bench',
      password_hash: await hashPassword(adminPassword),
      role: 'admin',
      member_id: null,
      locale: 'en',
      amount_unit: 'wan',
      created_at: at,
    })
    .execute();

  return {
    root,
    regions,
    teams,
    members,
    productLines: lineIds,
    products,
    channels,
    customers,
    customersPerMember: o.customersPerMember,
    adminUser: 'bench',
    adminPassword,
  };
}

/** Codes as a CRM export writes them; the generator and the seed share these. */
export const memberCode = (m: number) => `S${pad(m, 5)}`;
export const customerCode = (m: number, k: number) => `C${pad(m, 5)}-${pad(k, 3)}`;
export const productCode = (line: number, k: number) => `SKU-${pad(line, 2)}-${pad(k, 2)}`;
export const channelCode = (c: number) => CHANNEL_CODES[c] ?? `CH${c}`;

/** 15%–60% margins, fixed per product. */
export function productMarginBp(line: number, k: number): number {
  return 1500 + ((line * 7 + k * 13) % 10) * 500;
}

/** The three product lines member m sells (main, second, occasional): a specialist, not the whole catalogue. */
export function memberLines(m: number, productLines: number): number[] {
  const first = (m * 7) % productLines;
  return [first, (first + 1) % productLines, (first + 5) % productLines];
}

/** Member m's two channels (main, occasional). */
export function memberChannels(m: number, channels: number): number[] {
  return [m % channels, (m + 1) % channels];
}

/** The unit a member belonged to on `day` (the engine's rule: start ≤ day < end). */
export function unitOn(m: TrackMember, day: string): number {
  for (const s of m.memberships)
    if (s.start <= day && (s.end === null || s.end > day)) return s.unitId;
  throw new Error(`member ${m.code} has no membership on ${day}`);
}

export function addDaysIso(day: string, n: number): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

export function daysBetween(from: string, to: string): number {
  return (
    Math.round((Date.parse(`${to}T12:00:00Z`) - Date.parse(`${from}T12:00:00Z`)) / 86_400_000) + 1
  );
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}
