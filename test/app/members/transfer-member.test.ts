import { expect, it } from 'vitest';
import { importFacts } from '../../../src/app/facts/import-facts.ts';
import { transferMember } from '../../../src/app/members/transfer-member.ts';
import { AppError } from '../../../src/domain/errors.ts';
import { FIXED_NOW, useApp } from '../../support/app.ts';
import { describeEachDialect } from '../../support/databases.ts';
import { csv, opts } from '../../jobs/facts-fixture.ts';
import { actorOf, snapshot, withFailingAudit } from '../support.ts';
import { versionOf } from '../../support/plan-version.ts';

const WAN = 10_000_00; // 1万元 in fen

async function rejection(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/**
 * The API fixture (HQ › East › T1 (rep1, rep2), T2 (rep3); West › T3 (rep4)) with an active plan
 * of 100万 a month spread evenly down to every rep (25万 each), and sales of rep1 and rep4.
 * mgrWest manages West and, besides it, T1 — two subtrees with East between them.
 */
describeEachDialect('transferMember (operation)', (t) => {
  const h = useApp(t);
  let version = 0;
  const memberVersion = async (id: number) =>
    (
      await t.db
        .selectFrom('members')
        .select('version')
        .where('id', '=', id)
        .executeTakeFirstOrThrow()
    ).version;
  const cellOf = async (ownerType: 'unit' | 'member', ownerId: number, period: string) =>
    await t.db
      .selectFrom('target_cells')
      .select(['value', 'note'])
      .where('version_id', '=', version)
      .where('owner_type', '=', ownerType)
      .where('owner_id', '=', ownerId)
      .where('period', '=', period)
      .where('product_line_id', '=', 0)
      .executeTakeFirstOrThrow();

  it('Given an active plan, sales and a manager of two subtrees', async () => {
    version = (
      await h.call('admin', 'POST', '/api/plans', {
        fiscalYear: 2026,
        nameZh: '计划',
        nameEn: 'Plan',
      })
    ).json().versions[0].id;
    await h.call('admin', 'PUT', `/api/plan-versions/${version}/commit`, {
      version: await versionOf(h.call, version),
      target: 1200 * WAN,
    });
    const built = await h.call('admin', 'POST', `/api/plan-versions/${version}/decompose`, {
      mode: 'cascade',
      parent: { ownerType: 'unit', ownerId: h.fx.units.hq, period: 'FY2026' },
      method: 'even',
      org: { method: 'even', inputs: {} },
    });
    expect(built.statusCode, built.body).toBe(200);
    for (const step of ['submit', 'approve', 'activate'])
      expect(
        (
          await h.call('admin', 'POST', `/api/plan-versions/${version}/${step}`, {
            version: await versionOf(h.call, version),
            ...(step === 'submit' ? {} : { overrideReason: 'one administrator in the fixture' }),
          })
        ).statusCode,
      ).toBe(200);
    await importFacts(
      t.db,
      'orders',
      csv([
        '订单行号,下单日期,销售工号,金额',
        'TR-1,2026-03-10,R1,100',
        'TR-2,2026-05-10,R1,40',
        'TR-3,2026-05-11,R4,7',
      ]),
      'tr.csv',
      opts,
    );
    await t.db
      .updateTable('org_units')
      .set({ manager_member_id: h.fx.members.mgrWest })
      .where('id', '=', h.fx.units.t1)
      .execute();
    const mgrWest = await actorOf(t.db, 'mgrWest');
    expect(mgrWest.scope.unitPaths).toHaveLength(2);
    expect((await cellOf('member', h.fx.members.rep1, '2026-07')).value).toBe(25 * WAN);
  });

  it('When that manager moves rep1’s target from T1 to T3 (through East, which they do not manage), Then FORBIDDEN before anything is written', async () => {
    // rep1, T1 and T3 are all theirs; the move would lower East's months and raise West's.
    const input = {
      memberId: h.fx.members.rep1,
      unitId: h.fx.units.t3,
      date: '2026-04-01',
      version: await memberVersion(h.fx.members.rep1),
      targets: { decision: 'move' as const },
    };
    await h.login('mgrWest'); // signing in is audited too
    const before = await snapshot(t.db);
    const err = await rejection(
      transferMember(t.db, await actorOf(t.db, 'mgrWest'), input, FIXED_NOW),
    );
    expect(err.code).toBe('FORBIDDEN');
    // The same through the API
    const { memberId, ...body } = input;
    const res = await h.call('mgrWest', 'POST', `/api/members/${memberId}/transfer`, body);
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({ code: 'FORBIDDEN' });
    // Memberships, cells, versions, facts, rollups and the audit log are as they were
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('When writing the audit entry fails, Then the transfer (membership, re-credited sales, moved targets) is undone with it', async () => {
    const before = await snapshot(t.db);
    const err = await transferMember(
      withFailingAudit(t.db),
      await actorOf(t.db, 'admin'),
      {
        memberId: h.fx.members.rep1,
        unitId: h.fx.units.t3,
        date: '2026-04-01',
        version: await memberVersion(h.fx.members.rep1),
        targets: { decision: 'move' },
      },
      FIXED_NOW,
    ).catch((e: unknown) => e);
    expect(String(err)).toContain('audit log unavailable');
    expect(await snapshot(t.db)).toEqual(before);
  });

  it('When the manager keeps the target with T1 instead, Then rep1 moves, May’s sale follows, and the transfer and its targets are audited together', async () => {
    const last = await t.db
      .selectFrom('audit_log')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirstOrThrow();
    const detail = await transferMember(
      t.db,
      await actorOf(t.db, 'mgrWest'),
      {
        memberId: h.fx.members.rep1,
        unitId: h.fx.units.t3,
        date: '2026-04-01',
        version: await memberVersion(h.fx.members.rep1),
        targets: { decision: 'keep' },
      },
      FIXED_NOW,
    );
    expect(detail.memberships.map((m) => [m.orgUnitId, m.startDate, m.endDate])).toEqual([
      [h.fx.units.t1, '2024-01-01', '2026-04-01'],
      [h.fx.units.t3, '2026-04-01', null],
    ]);
    const facts = await t.db
      .selectFrom('order_lines')
      .select(['ext_id', 'org_unit_id'])
      .where('ext_id', 'in', ['TR-1', 'TR-2'])
      .orderBy('ext_id')
      .execute();
    expect(facts.map((f) => f.org_unit_id)).toEqual([h.fx.units.t1, h.fx.units.t3]);
    const kept = await cellOf('member', h.fx.members.rep1, '2026-07');
    expect(kept.value).toBe(25 * WAN);
    expect(kept.note).toContain('2026-04-01');
    expect((await cellOf('unit', h.fx.units.east, '2026-07')).value).toBe(75 * WAN);
    const log = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity', 'entity_id', 'user_id'])
      .where('id', '>', Number(last.id))
      .orderBy('id')
      .execute();
    const mgrWest = await actorOf(t.db, 'mgrWest');
    expect(log.map((l) => [l.action, l.entity, Number(l.entity_id), l.user_id])).toEqual([
      ['transfer', 'member', h.fx.members.rep1, mgrWest.id],
      ['transfer_targets', 'plan_version', version, mgrWest.id],
    ]);
  });
});
