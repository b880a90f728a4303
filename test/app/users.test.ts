import { beforeAll, expect, it } from 'vitest';
import { systemActor, type Actor } from '../../src/app/actor.ts';
import { login } from '../../src/app/auth/login.ts';
import { createUser } from '../../src/app/users/create-user.ts';
import { updateUser } from '../../src/app/users/update-user.ts';
import { FIXED_NOW, PASSWORD, seedFixture, type Fixture } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

describeEachDialect('user operations', (t) => {
  let fx: Fixture;
  let admin: Actor;
  let manager: Actor;
  const userRow = (username: string) =>
    t.db
      .selectFrom('users')
      .select(['id', 'display_name', 'member_id', 'role'])
      .where('username', '=', username)
      .executeTakeFirst();
  const creations = (id: number) =>
    t.db
      .selectFrom('audit_log')
      .select(['user_id', 'after'])
      .where('entity', '=', 'user')
      .where('action', '=', 'create')
      .where('entity_id', '=', String(id))
      .execute();

  beforeAll(async () => {
    fx = await seedFixture(t.db);
    admin = (await login(t.db, { username: 'admin', password: PASSWORD }, FIXED_NOW)).actor;
    manager = (await login(t.db, { username: 'mgrEast', password: PASSWORD }, FIXED_NOW)).actor;
  });

  it('the system actor creates an account by member code; the audit entry names no user', async () => {
    // Given the CLI's actor, a member code and no display name
    const user = await createUser(
      t.db,
      systemActor('en'),
      {
        username: 'cli.rep',
        password: 'Strong-pass9',
        role: 'rep',
        memberCode: 'R3',
        locale: 'en',
      },
      FIXED_NOW,
    );
    // Then the member is resolved, the name defaults to the member's, and the log says "system"
    expect(user).toMatchObject({
      username: 'cli.rep',
      displayName: '人员R3',
      memberId: fx.members.rep3,
      role: 'rep',
    });
    const [entry] = await creations(user.id);
    expect(entry?.user_id).toBeNull();
    expect(JSON.parse(entry!.after!)).toMatchObject({ username: 'cli.rep', role: 'rep' });
    expect(JSON.stringify(entry)).not.toContain('Strong-pass9');
  });

  it('refuses a manager, a taken username and an unknown member without writing', async () => {
    const base = { password: 'Strong-pass9', role: 'viewer' as const, locale: 'en' as const };
    await expect(
      createUser(t.db, manager, { ...base, username: 'by.manager' }, FIXED_NOW),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await userRow('by.manager')).toBeUndefined();
    await expect(
      createUser(t.db, admin, { ...base, username: 'admin' }, FIXED_NOW),
    ).rejects.toMatchObject({ code: 'DUPLICATE' });
    await expect(
      createUser(t.db, admin, { ...base, username: 'ghost', memberCode: 'NOPE' }, FIXED_NOW),
    ).rejects.toMatchObject({ code: 'REFERENCE_NOT_FOUND' });
    expect(await userRow('ghost')).toBeUndefined();
  });

  it('the last active admin cannot be demoted: the edit and its audit entry roll back', async () => {
    const before = await userRow('admin');
    const demote = {
      id: admin.id,
      displayName: 'admin',
      role: 'viewer' as const,
      active: true,
      locale: 'en' as const,
      version: 1,
    };
    await expect(updateUser(t.db, admin, demote, FIXED_NOW)).rejects.toMatchObject({
      code: 'LAST_ADMIN',
    });
    expect(await userRow('admin')).toEqual(before);
    const updates = await t.db
      .selectFrom('audit_log')
      .select('id')
      .where('entity', '=', 'user')
      .where('action', '=', 'update')
      .execute();
    expect(updates).toEqual([]);
  });
});
