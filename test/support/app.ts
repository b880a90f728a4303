import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll } from 'vitest';
import { buildApp, type App } from '../../src/api/build-app.ts';
import type { AppDeps } from '../../src/api/context.ts';
import { hashPassword } from '../../src/app/auth/password.ts';
import type { Db } from '../../src/db/connect.ts';
import type { Role } from '../../src/db/schema.ts';
import type { TestDb } from './databases.ts';

export const FIXED_NOW = new Date('2026-03-16T02:00:00.000Z');
export const PASSWORD = 'secret123';

/**
 * A small company for API tests:
 *   HQ (admin)
 *   ├─ East (manager: mgrEast)  ├─ T1 (rep1, rep2)
 *   │                           └─ T2 (rep3)
 *   └─ West (manager: mgrWest)  └─ T3 (rep4)
 */
export interface Fixture {
  units: Record<'hq' | 'east' | 'west' | 't1' | 't2' | 't3', number>;
  members: Record<'mgrEast' | 'mgrWest' | 'rep1' | 'rep2' | 'rep3' | 'rep4', number>;
}

export async function seedFixture(db: Db): Promise<Fixture> {
  const now = FIXED_NOW.toISOString();
  const member = async (code: string, tier: 'senior' | 'regular' | 'new' = 'regular') =>
    (
      await db
        .insertInto('members')
        .values({
          code,
          name_zh: `人员${code}`,
          name_en: `Person ${code}`,
          tier,
          hire_date: '2024-01-01',
          updated_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const members = {
    mgrEast: await member('M-E', 'senior'),
    mgrWest: await member('M-W', 'senior'),
    rep1: await member('R1'),
    rep2: await member('R2', 'new'),
    rep3: await member('R3'),
    rep4: await member('R4'),
  };
  const unit = async (
    code: string,
    parent: number | null,
    kind: 'company' | 'region' | 'team',
    manager: number | null,
  ) => {
    const parentPath =
      parent === null
        ? '/'
        : (
            await db
              .selectFrom('org_units')
              .select('path')
              .where('id', '=', parent)
              .executeTakeFirstOrThrow()
          ).path;
    const { id } = await db
      .insertInto('org_units')
      .values({
        parent_id: parent,
        code,
        name_zh: `组织${code}`,
        name_en: `Unit ${code}`,
        kind,
        manager_member_id: manager,
        path: '',
        updated_at: now,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .updateTable('org_units')
      .set({ path: `${parentPath}${id}/` })
      .where('id', '=', id)
      .execute();
    return id;
  };
  const hq = await unit('HQ', null, 'company', null);
  const east = await unit('EAST', hq, 'region', members.mgrEast);
  const west = await unit('WEST', hq, 'region', members.mgrWest);
  const t1 = await unit('T1', east, 'team', null);
  const t2 = await unit('T2', east, 'team', null);
  const t3 = await unit('T3', west, 'team', null);
  const join = (m: number, u: number) =>
    db
      .insertInto('member_units')
      .values({ member_id: m, org_unit_id: u, start_date: '2024-01-01', end_date: null })
      .execute();
  await join(members.mgrEast, east);
  await join(members.mgrWest, west);
  await join(members.rep1, t1);
  await join(members.rep2, t1);
  await join(members.rep3, t2);
  await join(members.rep4, t3);
  const hash = await hashPassword(PASSWORD);
  const user = (username: string, role: Role, memberId: number | null) =>
    db
      .insertInto('users')
      .values({
        username,
        display_name: username,
        password_hash: hash,
        role,
        member_id: memberId,
        locale: 'en',
        amount_unit: 'wan',
        created_at: now,
      })
      .execute();
  await user('admin', 'admin', null);
  await user('finance', 'finance', null);
  await user('viewer', 'viewer', null);
  await user('mgrEast', 'manager', members.mgrEast);
  await user('mgrWest', 'manager', members.mgrWest);
  await user('rep1', 'rep', members.rep1);
  await user('rep2', 'rep', members.rep2);
  await user('rep4', 'rep', members.rep4);
  return { units: { hq, east, west, t1, t2, t3 }, members };
}

export interface AppHarness {
  readonly app: App;
  readonly fx: Fixture;
  /** Signs in and returns the cookie header value. */
  login(username: string): Promise<string>;
  /** One request as `user` (signed in once per describe block), in `locale` when given. */
  call(
    user: string,
    method: 'GET' | 'POST' | 'PUT' | 'DELETE',
    url: string,
    payload?: object,
    locale?: string,
  ): Promise<LightMyRequestResponse>;
}

/** Builds the app over the dialect's database with the fixture seeded once per describe block. */
export function useApp(
  t: TestDb,
  opts: {
    now?: () => Date;
    deps?: Pick<AppDeps, 'trustProxy' | 'sessionIdleMs' | 'secureCookies' | 'jobs'>;
  } = {},
): AppHarness {
  let app: App | undefined;
  let fx: Fixture | undefined;
  const cookies = new Map<string, string>();
  beforeAll(async () => {
    fx = await seedFixture(t.db);
    app = await buildApp({
      db: t.db,
      dialect: t.dialect,
      now: opts.now ?? (() => FIXED_NOW),
      ...opts.deps,
    });
  });
  afterAll(async () => {
    await app?.close();
  });
  const login = async (username: string) => {
    const cached = cookies.get(username);
    if (cached) return cached;
    const res = await app!.inject({
      method: 'POST',
      url: '/api/auth/login',
      payload: { username, password: PASSWORD },
    });
    if (res.statusCode !== 200) throw new Error(`login ${username}: ${res.statusCode} ${res.body}`);
    const set = res.cookies.find((c) => c.name === 'tf_session');
    const cookie = `tf_session=${set!.value}`;
    cookies.set(username, cookie);
    return cookie;
  };
  return {
    get app() {
      return app!;
    },
    get fx() {
      return fx!;
    },
    login,
    async call(user, method, url, payload, locale) {
      return app!.inject({
        method,
        url,
        headers: { cookie: await login(user), ...(locale ? { 'x-locale': locale } : {}) },
        ...(payload ? { payload } : {}),
      });
    },
  };
}
