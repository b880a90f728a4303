import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../../src/app/actor.ts';
import { createChannel } from '../../../src/app/notify/create-channel.ts';
import { sendDueDeliveries } from '../../../src/app/notify/send-due-deliveries.ts';
import { emitScheduledReports } from '../../../src/app/reports/emit-scheduled-reports.ts';
import { eventSubscribers } from '../../../src/jobs/registry.ts';
import { startWorker } from '../../../src/jobs/worker.ts';
import { seedFixture, type Fixture } from '../../support/app.ts';
import { describeEachDialect } from '../../support/databases.ts';
import { NotifyReceiver } from '../../support/notify-receiver.ts';
import { seedReportData } from '../../support/report-fixture.ts';

// The battle report as the report job emits it (not a hand-made payload) reaches its region's group.
describeEachDialect('the battle report in a region’s WeCom group', (t) => {
  let fx: Fixture;
  const rx = new NotifyReceiver();
  beforeAll(async () => {
    await rx.start();
    rx.wecomKeys.add('east-key');
    fx = await seedFixture(t.db);
    await seedReportData(t.db, fx);
  });
  afterAll(() => rx.stop());

  it('is delivered to the channel of its unit only, as the report rendered it', async () => {
    const now = new Date('2026-03-16T08:30:00+08:00');
    // Given East's WeCom group takes battle reports (not weekly sheets)
    await createChannel(
      t.db,
      systemActor(),
      {
        kind: 'wecom',
        name: 'East',
        token: 'east-key',
        locale: 'zh-CN',
        unitId: fx.units.east,
        mode: 'each',
        digestTime: '08:30',
        alertsMinSeverity: null,
        battleReports: true,
        weeklySheets: false,
      },
      now,
    );
    // When the 08:30 reports are emitted, the outbox drained and the sender passes
    await emitScheduledReports(t.db, now);
    const w = startWorker(
      { db: t.db, dialect: t.dialect, handlers: {}, subscribers: eventSubscribers, now: () => now },
      { autostart: false },
    );
    await w.tick();
    await w.stop(0);
    await sendDueDeliveries({
      db: t.db,
      dialect: t.dialect,
      owner: 'test',
      now: () => now,
      transport: { publicUrl: null, dingtalkBase: rx.base, wecomBase: rx.base, timeoutMs: 2_000 },
    });
    // Then East's group got East's battle report (not the company's, not West's), accepted
    expect(rx.received.length).toBe(1);
    const got = rx.received[0]!;
    expect(JSON.parse(got.reply.body).errcode).toBe(0);
    const content: string = got.json.markdown.content;
    expect(content).toContain('组织EAST');
    expect(content).not.toContain('组织WEST');
    const row = await t.db
      .selectFrom('notification_deliveries')
      .select(['dedupe_key', 'state'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ dedupe_key: `battle_report:${fx.units.east}:2026-03-15`, state: 'sent' });
  });
});
