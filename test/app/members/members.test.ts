import { beforeAll, expect, it } from 'vitest';
import { createMember } from '../../../src/app/members/create-member.ts';
import { updateMember } from '../../../src/app/members/update-member.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { FIXED_NOW, seedFixture, type Fixture } from '../../support/app.ts';
import { describeEachDialect } from '../../support/databases.ts';
import { actorOf, snapshot } from '../support.ts';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

const fields = { nameZh: '新人', nameEn: 'Newcomer', tier: 'new' as const, hireDate: '2026-03-01' };

describeEachDialect('member operations', (t) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await seedFixture(t.db);
  });

  it('createMember: a manager hires only into their subtree; a rep not at all; nothing written', async () => {
    const before = await snapshot(t.db);
    const west = createMember(
      t.db,
      await actorOf(t.db, 'mgrEast'),
      { ...fields, code: 'N1', unitId: fx.units.t3 },
      FIXED_NOW,
    );
    expect((await rejection(west)).code).toBe('FORBIDDEN');
    const rep = createMember(
      t.db,
      await actorOf(t.db, 'rep1'),
      { ...fields, code: 'N1', unitId: fx.units.t1 },
      FIXED_NOW,
    );
    expect((await rejection(rep)).code).toBe('FORBIDDEN');
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('createMember: the member, their membership from the hire date and the audit entry', async () => {
    const mgrEast = await actorOf(t.db, 'mgrEast');
    const m = await createMember(
      t.db,
      mgrEast,
      { ...fields, code: 'N1', unitId: fx.units.t1 },
      FIXED_NOW,
    );
    expect(m).toMatchObject({ code: 'N1', unitId: fx.units.t1 });
    expect(m.memberships).toMatchObject([{ orgUnitId: fx.units.t1, startDate: '2026-03-01' }]);
    const entry = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'create', entity: 'member', user_id: mgrEast.id });
    // A second N1 is a duplicate
    const again = createMember(
      t.db,
      mgrEast,
      { ...fields, code: 'N1', unitId: fx.units.t2 },
      FIXED_NOW,
    );
    expect((await rejection(again)).code).toBe('DUPLICATE');
  });

  it('updateMember: a manager edits only members of their subtree', async () => {
    const rep4 = await t.db
      .selectFrom('members')
      .selectAll()
      .where('id', '=', fx.members.rep4)
      .executeTakeFirstOrThrow();
    const input = {
      id: rep4.id,
      code: rep4.code,
      nameZh: '改名',
      nameEn: 'Renamed',
      tier: rep4.tier,
      hireDate: rep4.hire_date,
      version: rep4.version,
    };
    const before = await snapshot(t.db);
    const err = await rejection(
      updateMember(t.db, await actorOf(t.db, 'mgrEast'), input, FIXED_NOW),
    );
    expect(err.code).toBe('FORBIDDEN');
    expect(await snapshot(t.db)).toEqual(before);
    const updated = await updateMember(t.db, await actorOf(t.db, 'mgrWest'), input, FIXED_NOW);
    expect(updated).toMatchObject({ nameEn: 'Renamed', version: rep4.version + 1 });
  });
});
