import { beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/api/build-app.ts';
import { hashPassword } from '../../src/app/auth/password.ts';
import { buildDemoPlan } from '../../src/app/seed-demo/demo-plan.ts';
import { DEMO_PASSWORD, demoLogins } from '../../src/app/seed-demo/demo-logins.ts';
import { demoTierOf } from '../../src/app/seed-demo/customers.ts';
import { seedDemo, type SeedDemoResult } from '../../src/app/seed-demo/seed-demo.ts';
import { getSettings } from '../../src/db/settings.ts';
import { describeEachDialect } from '../support/databases.ts';

const TODAY = '2026-03-16';
const NOW = new Date('2026-03-16T02:00:00.000Z');

describeEachDialect('seed-demo', (t) => {
  let first: SeedDemoResult;
  // Seeded once in a hook, so every test reads the same company whatever ran before it. No timing
  // assertion: about 3 s on an idle 2-core machine (SQLite), well over 30 s on a busy one.
  beforeAll(async () => {
    first = await seedDemo(t.db, { today: TODAY, now: NOW });
  });

  it('writes the demo company into an empty database', () => {
    expect(first).toMatchObject({
      seeded: true,
      skippedUsers: [],
      counts: {
        orgUnits: 17,
        members: 65,
        memberships: 68,
        productLines: 20,
        products: 41,
        dimensionMembers: 16,
        customers: 300,
        users: 13,
        planVersions: 2,
      },
    });
  });

  it('stores what the counts say, with one seed audit entry per record', async () => {
    const count = async (
      table: 'org_units' | 'members' | 'member_units' | 'products' | 'customers' | 'users',
    ) =>
      Number(
        (
          await t.db
            .selectFrom(table)
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    expect(await count('org_units')).toBe(17);
    expect(await count('members')).toBe(65);
    expect(await count('member_units')).toBe(68);
    expect(await count('products')).toBe(41);
    expect(await count('customers')).toBe(300);
    expect(await count('users')).toBe(13);
    const audits = await t.db
      .selectFrom('audit_log')
      .select(['entity', (eb) => eb.fn.countAll().as('n')])
      .where('action', '=', 'seed')
      .groupBy('entity')
      .execute();
    const byEntity = Object.fromEntries(audits.map((a) => [a.entity, Number(a.n)]));
    expect(byEntity).toEqual({
      org_unit: 17,
      member: 65,
      product_line: 20,
      product: 41,
      channel: 4,
      region: 4,
      segment: 3,
      customer_type: 5,
      customer: 300,
      user: 13,
      settings: 1,
      notification_channel: 1,
    });
    // The company is named in the settings (the header and the reports show it)
    const settings = await getSettings(t.db);
    expect([settings.companyNameZh, settings.companyNameEn]).toEqual([
      '星河电商',
      'Galaxy Commerce',
    ]);
    // Rows read without ORDER BY come back in any order (PostgreSQL makes no promise): compare as sets.
    const imports = await t.db
      .selectFrom('audit_log')
      .select('after')
      .where('action', '=', 'import')
      .where('entity', '=', 'fact_batch')
      .execute();
    expect(imports.map((a) => JSON.parse(a.after!).kind).sort()).toEqual([
      'activities',
      'collections',
      'leads',
      'opportunities',
      'orders',
    ]);
    const plan = await t.db
      .selectFrom('audit_log')
      .select('action')
      .where('entity', '=', 'plan_version')
      .execute();
    expect(new Set(plan.map((a) => a.action))).toEqual(
      new Set(['lenses', 'commit', 'decompose', 'submit', 'approve', 'activate', 'copy']),
    );
  });

  it('starts with a disabled example DingTalk channel for the East region', async () => {
    const channels = await t.db
      .selectFrom('notification_channels as c')
      .innerJoin('org_units as u', 'u.id', 'c.unit_id')
      .select(['c.kind', 'c.enabled', 'c.keyword', 'u.code'])
      .execute();
    expect(channels).toEqual([{ kind: 'dingtalk', enabled: 0, keyword: '目标预警', code: 'EAST' }]);
  });

  it('gives every member exactly one open membership, never overlapping, never before the hire date', async () => {
    const members = await t.db.selectFrom('members').select(['id', 'hire_date']).execute();
    const spans = await t.db.selectFrom('member_units').selectAll().orderBy('start_date').execute();
    for (const m of members) {
      const own = spans.filter((s) => s.member_id === m.id);
      expect(own.filter((s) => s.end_date === null)).toHaveLength(1);
      expect(own[0]!.start_date).toBe(m.hire_date);
      own.slice(1).forEach((s, i) => expect(s.start_date).toBe(own[i]!.end_date));
    }
  });

  it('keeps materialized paths consistent with parents', async () => {
    for (const table of ['org_units', 'product_lines'] as const) {
      const rows = await t.db.selectFrom(table).select(['id', 'parent_id', 'path']).execute();
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const r of rows) {
        const parentPath = r.parent_id === null ? '/' : byId.get(r.parent_id)!.path;
        expect(r.path, `${table} ${r.id}`).toBe(`${parentPath}${r.id}/`);
      }
      expect(rows.filter((r) => r.parent_id === null)).toHaveLength(table === 'org_units' ? 1 : 5);
    }
  });

  it('gives every unit a manager who is a current member of it', async () => {
    const units = await t.db
      .selectFrom('org_units')
      .select(['id', 'code', 'kind', 'manager_member_id'])
      .execute();
    expect(units.filter((u) => u.kind === 'region').map((u) => u.code)).toEqual([
      'EAST',
      'SOUTH',
      'NORTH',
      'WEST',
    ]);
    expect(units.filter((u) => u.kind === 'team')).toHaveLength(12);
    for (const u of units) {
      expect(u.manager_member_id, u.code).not.toBeNull();
      const open = await t.db
        .selectFrom('member_units')
        .select('org_unit_id')
        .where('member_id', '=', u.manager_member_id!)
        .where('end_date', 'is', null)
        .executeTakeFirstOrThrow();
      expect(open.org_unit_id, u.code).toBe(u.id);
    }
  });

  it('mixes tiers like a real sales force: ~20% senior, ~60% regular, ~20% new hires from the last year', async () => {
    const inTeams = await t.db
      .selectFrom('members')
      .innerJoin('member_units', 'member_units.member_id', 'members.id')
      .innerJoin('org_units', 'org_units.id', 'member_units.org_unit_id')
      .select(['members.tier', 'members.hire_date'])
      .where('member_units.end_date', 'is', null)
      .where('org_units.kind', '=', 'team')
      .execute();
    expect(inTeams).toHaveLength(60);
    const tally = (tier: string) => inTeams.filter((m) => m.tier === tier).length;
    expect([tally('senior'), tally('regular'), tally('new')]).toEqual([12, 36, 12]);
    for (const m of inTeams.filter((x) => x.tier === 'new'))
      expect(m.hire_date > '2025-03-16').toBe(true);
  });

  it("records last year's 1 July transfer: Wang Lei left East Team 1 for East Team 2", async () => {
    const spans = await t.db
      .selectFrom('member_units')
      .innerJoin('members', 'members.id', 'member_units.member_id')
      .innerJoin('org_units', 'org_units.id', 'member_units.org_unit_id')
      .select(['org_units.code', 'member_units.start_date', 'member_units.end_date'])
      .where('members.name_en', '=', 'Wang Lei')
      .orderBy('member_units.start_date')
      .execute();
    expect(spans.map((s) => [s.code, s.end_date])).toEqual([
      ['EAST-1', '2025-07-01'],
      ['EAST-2', null],
    ]);
  });

  it('spreads customers over A, B and C tiers by annual purchase', async () => {
    const rows = await t.db
      .selectFrom('customers')
      .select(['tier', 'annual_purchase', 'owner_member_id', 'region_id', 'segment_id'])
      .execute();
    const tally = (tier: string) => rows.filter((r) => r.tier === tier).length;
    expect(tally('A')).toBeGreaterThanOrEqual(3);
    expect(tally('A')).toBeLessThan(tally('B'));
    expect(tally('B')).toBeLessThan(tally('C'));
    for (const r of rows) {
      expect(r.tier).toBe(demoTierOf(r.annual_purchase));
      expect(r.owner_member_id).not.toBeNull();
      expect(r.region_id).not.toBeNull();
      expect(r.segment_id).not.toBeNull();
    }
    expect(
      Math.min(...rows.filter((r) => r.tier === 'A').map((r) => r.annual_purchase)),
    ).toBeGreaterThanOrEqual(500_0000_00);
  });

  it('gives channels their lead supply and regions their maturity', async () => {
    const dims = await t.db
      .selectFrom('dimension_members')
      .select(['dimension', 'code', 'attrs'])
      .execute();
    const channels = dims
      .filter((d) => d.dimension === 'channel')
      .map((d) => [d.code, JSON.parse(d.attrs).kind, JSON.parse(d.attrs).monthlyLeadSupply > 0]);
    expect(channels).toEqual([
      ['OWN', 'online', true],
      ['PLATFORM', 'online', true],
      ['LIVE', 'online', true],
      ['DIST', 'partner', true],
    ]);
    const maturity = dims
      .filter((d) => d.dimension === 'region')
      .map((d) => JSON.parse(d.attrs).maturity);
    expect(new Set(maturity)).toEqual(new Set(['mature', 'emerging']));
  });

  it('lets every demo login sign in; a region manager sees only their region', async () => {
    const app = await buildApp({ db: t.db, dialect: t.dialect, now: () => NOW });
    try {
      for (const { username } of demoLogins) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/auth/login',
          payload: { username, password: DEMO_PASSWORD },
        });
        expect(res.statusCode, username).toBe(200);
      }
      const login = await app.inject({
        method: 'POST',
        url: '/api/auth/login',
        payload: { username: 'east.mgr', password: DEMO_PASSWORD },
      });
      const cookie = `tf_session=${login.cookies.find((c) => c.name === 'tf_session')!.value}`;
      const units = await app.inject({ method: 'GET', url: '/api/org-units', headers: { cookie } });
      expect(units.json().map((u: { code: string }) => u.code)).toEqual([
        'EAST',
        'EAST-1',
        'EAST-2',
        'EAST-3',
      ]);
    } finally {
      await app.close();
    }
  });

  it('refuses a second run and changes nothing', async () => {
    const before = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    const again = await seedDemo(t.db, { today: TODAY, now: NOW, force: true });
    expect(again).toMatchObject({ seeded: false, reason: 'has-data' });
    const after = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll().as('n'))
      .executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
  });

  it('stores exactly the deterministic plan for that day', async () => {
    const plan = buildDemoPlan(TODAY);
    const customers = await t.db
      .selectFrom('customers')
      .select(['code', 'name_zh', 'annual_purchase'])
      .orderBy('code')
      .execute();
    expect(customers).toEqual(
      plan.customers.map((c) => ({
        code: c.code,
        name_zh: c.nameZh,
        annual_purchase: c.annualPurchase,
      })),
    );
    const members = await t.db
      .selectFrom('members')
      .select(['code', 'name_en', 'hire_date'])
      .orderBy('code')
      .execute();
    expect(members).toEqual(
      plan.members.map((m) => ({ code: m.code, name_en: m.nameEn, hire_date: m.hireDate })),
    );
  });
});

describeEachDialect('seed-demo with accounts already present', (t) => {
  it('is refused without --force, and with it adds the company but leaves existing accounts alone', async () => {
    const hash = await hashPassword('Own-pass1');
    await t.db
      .insertInto('users')
      .values({
        username: 'admin',
        display_name: 'Our admin',
        password_hash: hash,
        role: 'admin',
        member_id: null,
        locale: 'en',
        amount_unit: 'wan',
        created_at: NOW.toISOString(),
      })
      .execute();
    expect(await seedDemo(t.db, { today: TODAY, now: NOW })).toMatchObject({
      seeded: false,
      reason: 'has-users',
      contents: { users: 1, masterData: 0 },
    });
    expect(await t.db.selectFrom('org_units').select('id').execute()).toEqual([]);

    const forced = await seedDemo(t.db, { today: TODAY, now: NOW, force: true });
    expect(forced).toMatchObject({
      seeded: true,
      skippedUsers: ['admin'],
      counts: { users: 12, customers: 300 },
    });
    const admin = await t.db
      .selectFrom('users')
      .select(['display_name', 'password_hash'])
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(admin).toEqual({ display_name: 'Our admin', password_hash: hash });
  }, 300_000);
});

describe('the demo plan', () => {
  it('is the same for the same day, and moves dates (not names) with the calendar', () => {
    expect(buildDemoPlan(TODAY)).toEqual(buildDemoPlan(TODAY));
    const later = buildDemoPlan('2027-03-16');
    const now = buildDemoPlan(TODAY);
    expect(later.members.map((m) => m.nameZh)).toEqual(now.members.map((m) => m.nameZh));
    expect(later.members[0]!.hireDate > now.members[0]!.hireDate).toBe(true);
    const wang = later.memberships.filter(
      (m) => m.memberCode === now.members.find((x) => x.nameEn === 'Wang Lei')!.code,
    );
    expect(wang.map((m) => m.startDate).at(-1)).toBe('2026-07-01');
  });

  it('has bilingual names everywhere', () => {
    const plan = buildDemoPlan(TODAY);
    const named = [
      ...plan.units,
      ...plan.members,
      ...plan.productLines,
      ...plan.products,
      ...plan.dimensions,
      ...plan.customers,
    ];
    for (const n of named) {
      expect(n.nameZh).toMatch(/[\u4e00-\u9fff]/);
      expect(n.nameEn).toMatch(/^[\x20-\x7e→]+$/);
    }
    expect(plan.units[0]).toMatchObject({ nameZh: '星河电商', nameEn: 'Galaxy Commerce' });
  });
});
