import { expect, it } from 'vitest';
import { salesTotals } from '../../src/db/rollups.ts';
import { deleteBatch } from '../../src/app/facts/delete-batch.ts';
import { importFacts } from '../../src/app/facts/import-facts.ts';
import { verifyRollups } from '../../src/app/facts/rebuild-rollups.ts';
import { describeEachDialect } from '../support/databases.ts';
import { useApp } from '../support/app.ts';
import { csv, opts } from '../jobs/facts-fixture.ts';

describeEachDialect('moving an org unit moves its sales in the unit rollups', (t) => {
  const h = useApp(t);
  const year = { start: '2026-01-01', end: '2026-12-31' };
  const amountOf = async (unitId: number) => {
    const { path } = await t.db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', unitId)
      .executeTakeFirstOrThrow();
    return (await salesTotals(t.db, { unitPath: path, ...year })).total.amount;
  };
  const move = async (username: string, unitId: number, parentId: number) => {
    const cookie = await h.login(username);
    const unit = (
      await h.app.inject({ method: 'GET', url: `/api/org-units/${unitId}`, headers: { cookie } })
    ).json();
    return h.app.inject({
      method: 'PUT',
      url: `/api/org-units/${unitId}`,
      headers: { cookie },
      payload: { ...unit, parentId },
    });
  };

  it('Given sales of T2 (East), When a manager tries to move T2 to West, Then 403 and nothing moves', async () => {
    // R3 sits in T2, R4 in T3 (West), R1 in T1.
    await importFacts(
      t.db,
      'orders',
      csv([
        '订单行号,下单日期,销售工号,金额',
        'MV-1,2026-03-10,R3,100',
        'MV-2,2026-05-10,R4,40',
        'MV-3,2026-05-11,R1,7',
      ]),
      'mv.csv',
      opts,
    );
    const res = await move('mgrEast', h.fx.units.t2, h.fx.units.west);
    expect(res.statusCode).toBe(403);
    expect(await amountOf(h.fx.units.east)).toBe(10_700);
    expect(await amountOf(h.fx.units.west)).toBe(4_000);
  });

  it('When an admin moves T2 from East to West, Then its sales leave East and join West in the same transaction', async () => {
    const res = await move('admin', h.fx.units.t2, h.fx.units.west);
    expect(res.statusCode).toBe(200);
    expect(await amountOf(h.fx.units.east)).toBe(700);
    expect(await amountOf(h.fx.units.west)).toBe(14_000);
    expect(await amountOf(h.fx.units.t2)).toBe(10_000);
    expect(await amountOf(h.fx.units.hq)).toBe(14_700);
    const { path } = await t.db
      .selectFrom('org_units')
      .select('path')
      .where('id', '=', h.fx.units.hq)
      .executeTakeFirstOrThrow();
    const byChild = await salesTotals(t.db, { unitPath: path, ...year, groupBy: 'child_unit' });
    expect(byChild.rows.map((r) => [r.key, r.amount])).toEqual(
      [
        [h.fx.units.east, 700],
        [h.fx.units.west, 14_000],
      ].sort((a, b) => a[0]! - b[0]!),
    );
    expect(await verifyRollups(t.db)).toEqual([]);
  });

  it('When West (with T2 and T3) moves under East and back, Then the rollups equal a recomputation each time', async () => {
    expect((await move('admin', h.fx.units.west, h.fx.units.east)).statusCode).toBe(200);
    expect(await amountOf(h.fx.units.east)).toBe(14_700);
    expect(await verifyRollups(t.db)).toEqual([]);
    expect((await move('admin', h.fx.units.west, h.fx.units.hq)).statusCode).toBe(200);
    expect(await amountOf(h.fx.units.east)).toBe(700);
    expect(await verifyRollups(t.db)).toEqual([]);
  });
});

describeEachDialect('deleting an org unit that carries actuals', (t) => {
  const h = useApp(t);

  it('Given an order credited to an empty territory, When an admin deletes the territory, Then 409 ORG_HAS_DATA and nothing changes', async () => {
    const cookie = await h.login('admin');
    const created = await h.app.inject({
      method: 'POST',
      url: '/api/org-units',
      headers: { cookie },
      payload: {
        code: 'TER',
        nameZh: '直营区域',
        nameEn: 'Direct territory',
        kind: 'team',
        parentId: h.fx.units.east,
      },
    });
    expect(created.statusCode).toBe(201);
    const unit = created.json() as { id: number; version: number };
    const del = () =>
      h.app.inject({
        method: 'DELETE',
        url: `/api/org-units/${unit.id}?version=${unit.version}`,
        headers: { cookie, 'accept-language': 'en' },
      });
    const imported = await importFacts(
      t.db,
      'orders',
      csv(['订单行号,下单日期,组织编码,金额', 'TER-1,2026-03-10,TER,50']),
      'ter.csv',
      opts,
    );
    const refused = await del();
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'ORG_HAS_DATA' });
    expect(await verifyRollups(t.db)).toEqual([]);
    // Without its actuals (the batch deleted) the empty unit can go.
    await deleteBatch(t.db, imported.batchId!, { actor: opts.actor, now: opts.now });
    expect((await del()).statusCode).toBe(204);
  });
});
