import { afterAll, beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../../src/app/actor.ts';
import { evaluateAlerts } from '../../../src/app/alerts/evaluate-alerts.ts';
import { createChannel } from '../../../src/app/notify/create-channel.ts';
import { sendDueDeliveries } from '../../../src/app/notify/send-due-deliveries.ts';
import { eventSubscribers } from '../../../src/jobs/registry.ts';
import { startWorker } from '../../../src/jobs/worker.ts';
import { seedAlertNumbers, WAN } from '../../support/alert-numbers.ts';
import { FIXED_NOW, seedFixture, type Fixture } from '../../support/app.ts';
import { describeEachDialect } from '../../support/databases.ts';
import { NotifyReceiver } from '../../support/notify-receiver.ts';

const DT_TOKEN = 'east-robot';
const DT_SECRET = 'SECeastsecret';
const WH_SECRET = 'whsec_' + Buffer.from('company-webhook-secret').toString('base64');

/**
 * The whole path, no hand-made payloads: the engine evaluates hand-made numbers, the outbox
 * fans its `alert.changed` events out to the channels routed to each subject's unit, and the
 * sender delivers them to a local receiver that checks the DingTalk 加签, the WeCom payload and
 * the Standard Webhooks signature — once per change of state.
 */
describeEachDialect('an alert reaches its groups, signed, once per change', (t) => {
  let fx: Fixture;
  const rx = new NotifyReceiver();
  const now = FIXED_NOW;
  const pass = async () => {
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
      transport: {
        publicUrl: 'https://tf.example.com',
        dingtalkBase: rx.base,
        wecomBase: rx.base,
        timeoutMs: 2_000,
      },
    });
  };
  const channel = (input: Parameters<typeof createChannel>[2]) =>
    createChannel(t.db, systemActor(), input, now);

  beforeAll(async () => {
    await rx.start();
    rx.dingtalkRobots.set(DT_TOKEN, DT_SECRET);
    rx.wecomKeys.add('west-key');
    rx.webhookSecrets.set('/hook/company', WH_SECRET);
    fx = await seedFixture(t.db);
    await seedAlertNumbers(t.db, fx);
    // East's manager is @-mentioned by his DingTalk mobile.
    await t.db
      .updateTable('members')
      .set({ dingtalk_mobile: '13800000001' })
      .where('id', '=', fx.members.mgrEast)
      .execute();
    const common = {
      mode: 'each' as const,
      digestTime: '08:30',
      alertsMinSeverity: 'info' as const,
      battleReports: false,
      weeklySheets: false,
    };
    await channel({
      ...common,
      kind: 'dingtalk',
      name: 'East group',
      token: DT_TOKEN,
      secret: DT_SECRET,
      locale: 'zh-CN',
      unitId: fx.units.east,
    });
    await channel({
      ...common,
      kind: 'wecom',
      name: 'West group',
      token: 'west-key',
      locale: 'en',
      unitId: fx.units.west,
    });
    await channel({
      ...common,
      kind: 'webhook',
      name: 'BI',
      url: `${rx.base}/hook/company`,
      secret: WH_SECRET,
      locale: 'en',
      unitId: null,
      alertsMinSeverity: 'critical',
    });
  });
  afterAll(() => rx.stop());

  it('sends each opened alert to the groups of its unit, signed, and nothing when evaluated again', async () => {
    // When the daily evaluation opens rep1's and T1's reviews and rep2's stop-loss (East) and
    // rep4's review (West)
    const run = await evaluateAlerts(t.db, systemActor(), { escalate: true }, now);
    expect(run.transitions).toEqual({ opened: 4 });
    await pass();

    // Then East's DingTalk group gets its three, signed, in Chinese, mentioning its manager
    const east = rx.received.filter((r) => r.kind === 'dingtalk');
    expect(east).toHaveLength(3);
    for (const r of east) {
      expect(r.signatureOk).toBe(true);
      expect(JSON.parse(r.reply.body).errcode).toBe(0);
      expect(r.json.at.atMobiles).toEqual(['13800000001']);
      expect(r.json.markdown.text).toContain('@13800000001');
      expect(r.json.markdown.text).toContain('https://tf.example.com/?alert=');
    }
    expect(east.some((r) => r.json.markdown.text.includes('止损'))).toBe(true);
    // West's WeCom group gets rep4's review only, in English
    const west = rx.received.filter((r) => r.kind === 'wecom');
    expect(west).toHaveLength(1);
    expect(west[0]!.json.msgtype).toBe('markdown');
    expect(west[0]!.json.markdown.content).toContain('R4');
    expect(west[0]!.json.markdown.content).toMatch(/Attainment/);
    // The company webhook takes critical alerts only: the stop-loss, signed the Standard Webhooks way
    const hooks = rx.received.filter((r) => r.kind === 'webhook');
    expect(hooks).toHaveLength(1);
    expect(hooks[0]!.signatureOk).toBe(true);
    expect(hooks[0]!.headers['webhook-id']).toBeTruthy();

    // When evaluated again on the same numbers, nobody hears anything more
    rx.received.length = 0;
    const again = await evaluateAlerts(t.db, systemActor(), { escalate: true }, now);
    expect(again.transitions).toEqual({});
    await pass();
    expect(rx.received).toEqual([]);
  });

  it('tells the group once when re-imported numbers change a closed period’s verdict', async () => {
    // Given rep4's February is corrected to 95万 (his review no longer holds)
    await t.db
      .updateTable('rollup_sales_month')
      .set({ amount: 95 * WAN })
      .where('member_id', '=', fx.members.rep4)
      .where('month', '=', '2026-02')
      .execute();
    rx.received.length = 0;
    const run = await evaluateAlerts(t.db, systemActor(), { escalate: true }, now);
    // (February is closed: the alert says the verdict changed, rather than resolving quietly)
    expect(run.transitions).toEqual({ verdict_changed: 1 });
    await pass();
    await pass();
    // Then West's group hears of it exactly once
    expect(rx.received.map((r) => r.kind)).toEqual(['wecom']);
    expect(rx.received[0]!.json.markdown.content).toContain('R4');
  });
});
