import { insertProductLine } from '../support/catalog.ts';
import { seedFixture, FIXED_NOW, type Fixture } from '../support/app.ts';
import type { Db } from '../../src/db/connect.ts';
import type { Actor } from '../../src/app/import-master/kind.ts';

export const admin: Actor = {
  userId: null,
  role: 'admin',
  scope: { all: true, unitPaths: [], memberId: null },
};
export const now = FIXED_NOW;
export const opts = { actor: admin, now, today: '2026-03-16' };
export const csv = (lines: string[]) => Buffer.from(lines.join('\r\n') + '\r\n', 'utf8');

export interface FactsFixture extends Fixture {
  channels: { own: number; partner: number };
  regions: { east: number };
  segments: { ka: number };
  lines: { app: number; acc: number };
  products: { p1: number; p2: number };
  customers: { c1: number; c2: number };
}

/**
 * The API fixture (HQ › EAST › T1, T2; WEST › T3) plus catalogues, and rep1 (R1) transferred
 * from T1 to T2 on 2026-07-01: January–June credit T1, July on credit T2.
 */
export async function seedFacts(db: Db): Promise<FactsFixture> {
  const fx = await seedFixture(db);
  const at = now.toISOString();
  await db
    .updateTable('member_units')
    .set({ end_date: '2026-07-01' })
    .where('member_id', '=', fx.members.rep1)
    .execute();
  await db
    .insertInto('member_units')
    .values({
      member_id: fx.members.rep1,
      org_unit_id: fx.units.t2,
      start_date: '2026-07-01',
      end_date: null,
    })
    .execute();
  const dim = async (dimension: 'channel' | 'region' | 'segment', code: string) =>
    (
      await db
        .insertInto('dimension_members')
        .values({
          dimension,
          code,
          name_zh: `维度${code}`,
          name_en: code,
          attrs: '{}',
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const channels = { own: await dim('channel', 'OWN'), partner: await dim('channel', 'PARTNER') };
  const regions = { east: await dim('region', 'EASTR') };
  const segments = { ka: await dim('segment', 'KA') };
  const line = (code: string) => insertProductLine(db, { code, nameEn: code, at: now });
  const lines = { app: await line('APP'), acc: await line('ACC') };
  const product = async (code: string, lineId: number, margin: number) =>
    (
      await db
        .insertInto('products')
        .values({
          code,
          name_zh: `产品${code}`,
          name_en: code,
          product_line_id: lineId,
          gross_margin_bp: margin,
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const products = {
    p1: await product('P1', lines.app, 3000),
    p2: await product('P2', lines.acc, 5000),
  };
  const customer = async (code: string, region: number | null, segment: number | null) =>
    (
      await db
        .insertInto('customers')
        .values({
          code,
          name_zh: `客户${code}`,
          name_en: code,
          region_id: region,
          segment_id: segment,
          annual_purchase: 0,
          tier: 'C',
          updated_at: at,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const customers = {
    c1: await customer('C1', regions.east, segments.ka),
    c2: await customer('C2', null, null),
  };
  return { ...fx, channels, regions, segments, lines, products, customers };
}
