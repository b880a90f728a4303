import { expect, it } from 'vitest';
import { systemActor } from '../../src/app/actor.ts';
import { snapshotForecasts } from '../../src/app/tracking/snapshot-forecasts.ts';
import { forecastSnapshotJob } from '../../src/jobs/kinds/forecast-snapshot.ts';
import type { JobContext } from '../../src/jobs/worker.ts';
import { FIXED_NOW, useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

describeEachDialect('forecast accuracy kept: month-end snapshots and how each method did', (t) => {
  const h = useApp(t);
  const { call } = h;
  const jobAt = (iso: string) => ({ db: t.db, now: () => new Date(iso) }) as unknown as JobContext;

  it('Given a year of sales, When every month-end of FY2025 is snapshot, Then the closed year shows each method’s accuracy and bias', async () => {
    // Given FY2025: R1 (EAST/T1) sells 1万 on the 10th of every month, and 3万 more in December
    const rows: object[] = [];
    for (let m = 1; m <= 12; m++) {
      const mm = String(m).padStart(2, '0');
      rows.push({ extId: `A-${m}`, date: `2025-${mm}-10`, ownerCode: 'R1', amount: 10_000 });
      if (m === 12)
        rows.push({ extId: 'B-12', date: '2025-12-12', ownerCode: 'R1', amount: 30_000 });
    }
    const imported = await call('admin', 'POST', '/api/facts/orders/batch', { rows });
    expect(imported.statusCode, imported.body).toBe(200);

    // When the snapshot of 2025-09-30 is taken (a backfill: today is 2026-03-16)
    const r = await snapshotForecasts(t.db, systemActor(), { asOf: '2025-09-30' }, FIXED_NOW);
    expect(r).toMatchObject({ asOf: '2025-09-30', pipelineKept: false });
    expect(r.written).toBeGreaterThan(0);
    // Then again changes nothing
    expect(
      (await snapshotForecasts(t.db, systemActor(), { asOf: '2025-09-30' }, FIXED_NOW)).written,
    ).toBe(0);
    // And only the year was open then (Q3 ended that day); no pipeline in a backfill
    const kept = await t.db
      .selectFrom('forecast_snapshots')
      .selectAll()
      .where('node_type', '=', 'unit')
      .where('node_id', '=', h.fx.units.hq)
      // (the app's own worker may have taken the daily job's 2026-02-28 snapshot meanwhile)
      .where('as_of', '=', '2025-09-30')
      .execute();
    expect(kept.map((k) => [k.period, k.method])).toEqual([['FY2025', 'linear']]);
    const linear = kept[0]!;
    // 9 × 1万 to date, over the share of working days elapsed: the run-rate is 12万-ish
    expect(linear.value).toBeGreaterThan(11 * 1_000_000);
    expect(linear.value).toBeLessThan(13 * 1_000_000);

    // When the accuracy is read (FY2025 closed: actual 15万)
    const res = await call(
      'admin',
      'GET',
      `/api/tracking/forecast-accuracy?unitId=${h.fx.units.hq}`,
    );
    expect(res.statusCode, res.body).toBe(200);
    const actual = 15 * 1_000_000;
    const error = (linear.value - actual) / actual;
    expect(res.json()).toEqual({
      node: { type: 'unit', id: h.fx.units.hq },
      methods: [
        {
          method: 'linear',
          forecasts: 1,
          periods: 1,
          accuracyBp: Math.round((1 - Math.abs(error)) * 10_000),
          biasBp: Math.round(error * 10_000),
        },
        { method: 'seasonal', forecasts: 0, periods: 0, accuracyBp: null, biasBp: null },
        { method: 'pipeline', forecasts: 0, periods: 0, accuracyBp: null, biasBp: null },
      ],
    });
    // The run-rate missed December's push: it ran low
    expect(res.json().methods[0].biasBp).toBeLessThan(0);
  });

  it('refuses a day that is not a month-end, or not before today, and anyone but an admin', async () => {
    for (const asOf of ['2025-09-29', '2026-03-31'])
      await expect(
        snapshotForecasts(t.db, systemActor(), { asOf }, FIXED_NOW),
      ).rejects.toMatchObject({ code: 'VALIDATION' });
    const rep = { ...systemActor(), id: 99, role: 'rep' as const };
    await expect(
      snapshotForecasts(t.db, rep, { asOf: '2025-10-31' }, FIXED_NOW),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
  });

  it('is scoped like tracking: a rep reads only their own, a manager only their subtree', async () => {
    const get = (user: string, q: string) =>
      call(user, 'GET', `/api/tracking/forecast-accuracy?${q}`);
    expect((await get('rep1', `unitId=${h.fx.units.hq}`)).statusCode).toBe(403);
    expect((await get('mgrWest', `unitId=${h.fx.units.east}`)).statusCode).toBe(403);
    expect((await get('mgrEast', `unitId=${h.fx.units.east}`)).statusCode).toBe(200);
    const own = await get('rep1', `memberId=${h.fx.members.rep1}`);
    expect(own.statusCode, own.body).toBe(200);
    expect(own.json().methods[0]).toMatchObject({ method: 'linear', forecasts: 1 });
    expect((await get('rep1', `memberId=${h.fx.members.rep4}`)).statusCode).toBe(403);
  });

  it('the daily job snapshots the last month-end once, with the pipeline when taken in time', async () => {
    // On 2025-11-01 (China) the last month-end is 2025-10-31
    const first = (await forecastSnapshotJob(jobAt('2025-11-01T02:00:00.000Z'))) as {
      asOf: string;
      written: number;
      pipelineKept: boolean;
    };
    expect(first).toMatchObject({ asOf: '2025-10-31', pipelineKept: true });
    expect(first.written).toBeGreaterThan(0);
    // Later that month: taken already, nothing read or written
    expect(await forecastSnapshotJob(jobAt('2025-11-02T02:00:00.000Z'))).toEqual({
      asOf: '2025-10-31',
      skipped: 'taken',
    });
    // Both the year and Q4 were open on 2025-10-31
    const periods = await t.db
      .selectFrom('forecast_snapshots')
      .select('period')
      .distinct()
      .where('as_of', '=', '2025-10-31')
      .orderBy('period')
      .execute();
    expect(periods.map((p) => p.period)).toEqual(['FY2025', 'FY2025-Q4']);
  });
});
