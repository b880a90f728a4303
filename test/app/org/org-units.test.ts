import { beforeAll, expect, it } from 'vitest';
import { createOrgUnit } from '../../../src/app/org/create-org-unit.ts';
import { deleteOrgUnit } from '../../../src/app/org/delete-org-unit.ts';
import { moveOrgUnit } from '../../../src/app/org/move-org-unit.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { FIXED_NOW, seedFixture, type Fixture } from '../../support/app.ts';
import { describeEachDialect } from '../../support/databases.ts';
import { actorOf, snapshot, withFailingAudit } from '../support.ts';

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** HQ › East (mgrEast) › T1, T2; West (mgrWest) › T3. */
describeEachDialect('org unit operations', (t) => {
  let fx: Fixture;
  beforeAll(async () => {
    fx = await seedFixture(t.db);
  });
  const unit = (id: number) =>
    t.db.selectFrom('org_units').selectAll().where('id', '=', id).executeTakeFirstOrThrow();

  it('moveOrgUnit: a manager moving a unit out of their subtree is refused and nothing is written', async () => {
    const before = await snapshot(t.db);
    const t2 = await unit(fx.units.t2);
    const err = await rejection(
      moveOrgUnit(
        t.db,
        await actorOf(t.db, 'mgrEast'),
        { id: fx.units.t2, parentId: fx.units.west, version: t2.version },
        FIXED_NOW,
      ),
    );
    expect(err.code).toBe('FORBIDDEN');
    // Nor may they move someone else's unit into their own subtree
    const t3 = await unit(fx.units.t3);
    expect(
      (
        await rejection(
          moveOrgUnit(
            t.db,
            await actorOf(t.db, 'mgrEast'),
            { id: fx.units.t3, parentId: fx.units.east, version: t3.version },
            FIXED_NOW,
          ),
        )
      ).code,
    ).toBe('FORBIDDEN');
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('moveOrgUnit: below itself is a cycle, a stale version a conflict; nothing is written', async () => {
    const admin = await actorOf(t.db, 'admin');
    const before = await snapshot(t.db);
    const east = await unit(fx.units.east);
    const cycle = moveOrgUnit(
      t.db,
      admin,
      { id: fx.units.east, parentId: fx.units.t1, version: east.version },
      FIXED_NOW,
    );
    expect((await rejection(cycle)).code).toBe('ORG_CYCLE');
    const stale = moveOrgUnit(
      t.db,
      admin,
      { id: fx.units.t2, parentId: fx.units.west, version: 99 },
      FIXED_NOW,
    );
    expect((await rejection(stale)).code).toBe('VERSION_CONFLICT');
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('moveOrgUnit: when the audit entry cannot be written, the move is undone', async () => {
    const before = await snapshot(t.db);
    const t2 = await unit(fx.units.t2);
    const err = await moveOrgUnit(
      withFailingAudit(t.db),
      await actorOf(t.db, 'admin'),
      { id: fx.units.t2, parentId: fx.units.west, version: t2.version },
      FIXED_NOW,
    ).catch((e: unknown) => e);
    expect(String(err)).toContain('audit log unavailable');
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('moveOrgUnit: an admin moves T2 under West; its path follows and the move is audited', async () => {
    const admin = await actorOf(t.db, 'admin');
    const t2 = await unit(fx.units.t2);
    const moved = await moveOrgUnit(
      t.db,
      admin,
      { id: fx.units.t2, parentId: fx.units.west, version: t2.version },
      FIXED_NOW,
    );
    const west = await unit(fx.units.west);
    expect(moved).toMatchObject({
      parentId: fx.units.west,
      path: `${west.path}${fx.units.t2}/`,
      code: t2.code,
      nameZh: t2.name_zh,
      version: t2.version + 1,
    });
    const entry = await t.db
      .selectFrom('audit_log')
      .selectAll()
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow();
    expect(entry).toMatchObject({ action: 'move', entity: 'org_unit', user_id: admin.id });
    expect(Number(entry.entity_id)).toBe(fx.units.t2);
  });

  it('createOrgUnit / deleteOrgUnit: a manager works inside their subtree, never on its root', async () => {
    const mgrEast = await actorOf(t.db, 'mgrEast');
    const before = await snapshot(t.db);
    const outside = createOrgUnit(
      t.db,
      mgrEast,
      { parentId: fx.units.west, code: 'W9', nameZh: '西九', nameEn: 'W9', kind: 'team' },
      FIXED_NOW,
    );
    expect((await rejection(outside)).code).toBe('FORBIDDEN');
    const east = await unit(fx.units.east);
    const root = deleteOrgUnit(t.db, mgrEast, { id: east.id, version: east.version }, FIXED_NOW);
    expect((await rejection(root)).code).toBe('FORBIDDEN');
    expect(await snapshot(t.db)).toEqual(before);

    const created = await createOrgUnit(
      t.db,
      mgrEast,
      { parentId: fx.units.east, code: 'E9', nameZh: '东九', nameEn: 'E9', kind: 'team' },
      FIXED_NOW,
    );
    expect(created).toMatchObject({ parentId: fx.units.east, path: `${east.path}${created.id}/` });
    await deleteOrgUnit(t.db, mgrEast, { id: created.id, version: created.version }, FIXED_NOW);
    const log = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity_id'])
      .where('entity', '=', 'org_unit')
      .orderBy('id', 'desc')
      .limit(2)
      .execute();
    expect(log.map((l) => [l.action, Number(l.entity_id)])).toEqual([
      ['delete', created.id],
      ['create', created.id],
    ]);
  });
});
