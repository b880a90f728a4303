import { beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../../src/app/actor.ts';
import {
  emitScheduledReports,
  reportsPending,
} from '../../../src/app/reports/emit-scheduled-reports.ts';
import { readBattleReport } from '../../../src/app/reports/read-battle-report.ts';
import { updateReportSchedule } from '../../../src/app/reports/update-report-schedule.ts';
import { getReportSchedule } from '../../../src/db/report-schedule.ts';
import type { NotifyRequest } from '../../../src/domain/notify/notify-request.ts';
import { seedFixture, type Fixture } from '../../support/app.ts';
import { actorOf } from '../support.ts';
import { REPORTS_EMIT_JOB } from '../../../src/jobs/kinds/reports-emit.ts';
import { jobHandlers, recurringJobs } from '../../../src/jobs/registry.ts';
import { startWorker, type JobContext } from '../../../src/jobs/worker.ts';
import { maintenanceJob } from '../../../src/jobs/kinds/maintenance.ts';
import { describeEachDialect } from '../../support/databases.ts';
import { seedReportData } from '../../support/report-fixture.ts';

/** China time 2026-03-16 (a Monday) at hh:mm, as a UTC instant. */
const at = (hhmm: string, day = '2026-03-16') =>
  new Date(new Date(`${day}T${hhmm}:00+08:00`).getTime());

describeEachDialect('scheduled reports', (t) => {
  let fx: Fixture;
  const events = async () =>
    (
      await t.db
        .selectFrom('outbox')
        .select(['topic', 'payload'])
        .where('topic', '=', 'notify.message')
        .orderBy('id')
        .execute()
    ).map((e) => JSON.parse(e.payload) as NotifyRequest);

  beforeAll(async () => {
    fx = await seedFixture(t.db);
    await seedReportData(t.db, fx);
  });

  it('emits each due report once per unit, however often it runs', async () => {
    // Monday 07:59: nothing is due yet
    expect(await emitScheduledReports(t.db, at('07:59'))).toEqual({ battle: 0, weekly: 0 });
    // 08:00: the weekly sheet of last week for the company and its regions
    expect(await emitScheduledReports(t.db, at('08:00'))).toEqual({ battle: 0, weekly: 3 });
    // 08:30: the battle reports; the weekly sheets went out already
    expect(await emitScheduledReports(t.db, at('08:30'))).toEqual({ battle: 3, weekly: 0 });
    // two instances at the same slot, and later the same day: nothing more
    const twice = await Promise.all([
      emitScheduledReports(t.db, at('08:45')),
      emitScheduledReports(t.db, at('08:45')),
    ]);
    expect(twice).toEqual([
      { battle: 0, weekly: 0 },
      { battle: 0, weekly: 0 },
    ]);
    expect(await emitScheduledReports(t.db, at('23:59'))).toEqual({ battle: 0, weekly: 0 });

    const sent = await events();
    const { hq, east, west } = fx.units;
    expect(sent.map((e) => e.dedupeKey)).toEqual([
      `weekly_sheet:${hq}:2026-W11`,
      `weekly_sheet:${east}:2026-W11`,
      `weekly_sheet:${west}:2026-W11`,
      `battle_report:${hq}:2026-03-15`,
      `battle_report:${east}:2026-03-15`,
      `battle_report:${west}:2026-03-15`,
    ]);
    const east15 = sent[4]!;
    expect(east15).toMatchObject({
      kind: 'battle_report',
      unitId: east,
      link: `/reports/battle?unit=${east}&date=2026-03-15`,
      at: at('08:30').toISOString(),
      mentionMemberIds: [],
    });
    // the message is the page's report
    const page = await readBattleReport(
      t.db,
      systemActor(),
      { unitId: east, date: '2026-03-15' },
      '2026-03-16',
    );
    expect(east15.text).toEqual(page.text);
  });

  it("races on one unit's slot let exactly one event through", async () => {
    const now = at('09:00', '2026-03-17');
    const runs = await Promise.all([1, 2, 3].map(() => emitScheduledReports(t.db, now)));
    expect(runs.reduce((n, r) => n + r.battle, 0)).toBe(3);
    const keys = (await events()).map((e) => e.dedupeKey).filter((k) => k.endsWith('2026-03-16'));
    expect(keys).toHaveLength(3);
  });

  it('follows the schedule: other unit kinds, another time, switched off', async () => {
    const admin = systemActor();
    const s = await getReportSchedule(t.db);
    await updateReportSchedule(
      t.db,
      admin,
      {
        ...s,
        battle: { enabled: true, atMinute: 18 * 60, kinds: ['team'] },
        weekly: { ...s.weekly, enabled: false },
      },
      at('10:00', '2026-03-18'),
    );
    expect(await emitScheduledReports(t.db, at('17:59', '2026-03-18'))).toEqual({
      battle: 0,
      weekly: 0,
    });
    expect(await emitScheduledReports(t.db, at('18:00', '2026-03-18'))).toEqual({
      battle: 3,
      weekly: 0,
    });
    const teams = (await events()).filter((e) => e.dedupeKey.endsWith(':2026-03-17'));
    expect(teams.map((e) => e.unitId)).toEqual([fx.units.t1, fx.units.t2, fx.units.t3]);
    // the change is audited
    const audit = await t.db
      .selectFrom('audit_log')
      .select(['action', 'entity', 'entity_id'])
      .where('entity', '=', 'settings')
      .execute();
    expect(audit).toEqual([{ action: 'update', entity: 'settings', entity_id: 'report_schedule' }]);
  });

  it('is changed by admins only; a refusal writes nothing', async () => {
    const before = await getReportSchedule(t.db);
    const manager = await actorOf(t.db, 'mgrEast');
    await expect(
      updateReportSchedule(
        t.db,
        manager,
        { ...before, battle: { ...before.battle, enabled: false } },
        at('10:00'),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN' });
    expect(await getReportSchedule(t.db)).toEqual(before);
  });

  it('is what the quarter-hour job runs', async () => {
    expect(recurringJobs).toContainEqual(
      expect.objectContaining({ kind: REPORTS_EMIT_JOB, every: 'quarter-hour' }),
    );
    const now = at('18:00', '2026-03-19');
    const ctx = { db: t.db, now: () => now } as unknown as JobContext;
    // the schedule now: team reports at 18:00, no weekly sheet
    expect(await jobHandlers[REPORTS_EMIT_JOB]!(ctx)).toEqual({ battle: 3, weekly: 0 });
    expect(await jobHandlers[REPORTS_EMIT_JOB]!(ctx)).toEqual({ battle: 0, weekly: 0 });
  });

  it('forgets sent reports after 30 days in the daily maintenance', async () => {
    const count = async () =>
      Number(
        (
          await t.db
            .selectFrom('report_emissions')
            .select((eb) => eb.fn.countAll().as('n'))
            .executeTakeFirstOrThrow()
        ).n,
      );
    const sent = await count();
    expect(sent).toBeGreaterThan(0);
    const ctx = (now: Date) => ({ db: t.db, now: () => now }) as unknown as JobContext;
    // 30 days after the last report nothing is old enough yet; 31 days after the first, those go
    expect((await maintenanceJob(ctx(at('09:00', '2026-04-01')))).reports).toBe(0);
    await maintenanceJob(ctx(at('19:00', '2026-04-30')));
    expect(await count()).toBe(0);
  });

  it('is queued by the worker only when a report is due and not sent yet', async () => {
    let clock = at('17:59', '2026-03-20');
    const w = startWorker(
      {
        db: t.db,
        dialect: t.dialect,
        now: () => clock,
        handlers: jobHandlers,
        recurring: recurringJobs.filter((r) => r.kind === REPORTS_EMIT_JOB),
      },
      { autostart: false },
    );
    const jobs = () =>
      t.db
        .selectFrom('jobs')
        .select(['dedupe_key', 'state'])
        .where('kind', '=', REPORTS_EMIT_JOB)
        .execute();
    try {
      // before 18:00 (the schedule set above) nothing is due: no job row
      expect(await reportsPending(t.db, clock)).toBe(false);
      await w.tick();
      expect(await jobs()).toEqual([]);
      // 18:00: due and not sent → one job, which emits the three team reports
      clock = at('18:00', '2026-03-20');
      expect(await reportsPending(t.db, clock)).toBe(true);
      await w.tick();
      await w.idle();
      expect(await jobs()).toEqual([
        { dedupe_key: `${REPORTS_EMIT_JOB}@2026-03-20T18:00`, state: 'succeeded' },
      ]);
      // 18:15: sent already → no new job
      clock = at('18:15', '2026-03-20');
      expect(await reportsPending(t.db, clock)).toBe(false);
      await w.tick();
      expect(await jobs()).toHaveLength(1);
    } finally {
      await w.stop();
    }
  });
});
