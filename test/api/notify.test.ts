import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sendDueDeliveries } from '../../src/app/notify/send-due-deliveries.ts';
import type { NotifyTransport } from '../../src/app/notify/transport.ts';
import { emitEvent } from '../../src/db/outbox.ts';
import type { AlertChangedEvent } from '../../src/domain/alerts/alert-event.ts';
import type { NotifyRequest } from '../../src/domain/notify/notify-request.ts';
import { eventSubscribers } from '../../src/jobs/registry.ts';
import { startWorker } from '../../src/jobs/worker.ts';
import { FIXED_NOW, useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';
import { NotifyReceiver } from '../support/notify-receiver.ts';

const DT_TOKEN = 'dt-token-east-0001';
const DT_SECRET = 'SECeastsecret0123456789';
const WC_KEY = 'wc-key-west-0001';
const WH_SECRET = 'whsec_' + Buffer.from('0123456789abcdef0123456789abcdef').toString('base64');

describeEachDialect('notification channels', (t) => {
  let clock = new Date(FIXED_NOW);
  const h = useApp(t, {
    now: () => clock,
    deps: { jobs: { worker: false }, sessionIdleMs: 30 * 86_400_000 },
  });
  const { call } = h;
  const rx = new NotifyReceiver();
  let transport: NotifyTransport;
  const ids: Record<string, number> = {};

  beforeAll(async () => {
    await rx.start();
    rx.dingtalkRobots.set(DT_TOKEN, DT_SECRET);
    rx.wecomKeys.add(WC_KEY);
    rx.webhookSecrets.set('/hook/company', WH_SECRET);
    transport = {
      publicUrl: 'https://tf.example.com',
      dingtalkBase: rx.base,
      wecomBase: rx.base,
      timeoutMs: 1_000,
    };
    process.env.NOTIFY_DINGTALK_BASE = rx.base;
    process.env.NOTIFY_WECOM_BASE = rx.base;
  });
  afterAll(async () => {
    await rx.stop();
    delete process.env.NOTIFY_DINGTALK_BASE;
    delete process.env.NOTIFY_WECOM_BASE;
  });

  const fanOut = async () => {
    const w = startWorker(
      {
        db: t.db,
        dialect: t.dialect,
        handlers: {},
        subscribers: eventSubscribers,
        now: () => clock,
      },
      { autostart: false },
    );
    await w.tick();
    await w.stop(0);
  };
  const send = () =>
    sendDueDeliveries({ db: t.db, dialect: t.dialect, owner: 'test', now: () => clock, transport });
  const advance = (ms: number) => {
    clock = new Date(clock.getTime() + ms);
  };
  const emit = (topic: 'alert.changed' | 'notify.message', payload: unknown) =>
    t.db.transaction().execute((trx) => emitEvent(trx, topic, payload, clock));
  const deliveries = async (channelId: number) =>
    t.db
      .selectFrom('notification_deliveries')
      .selectAll()
      .where('channel_id', '=', channelId)
      .orderBy('id')
      .execute();
  const alert = (over: Partial<AlertChangedEvent> = {}): AlertChangedEvent => ({
    alertId: 12,
    transition: 'opened',
    ruleId: 3,
    ruleKind: 'behind_time',
    severity: 'warning',
    state: 'open',
    period: '2026-03',
    subject: {
      type: 'member',
      id: h.fx.members.rep1,
      nameZh: '人员R1',
      nameEn: 'Person R1',
      unitId: h.fx.units.t1,
      unitPath: `/${h.fx.units.hq}/${h.fx.units.east}/${h.fx.units.t1}/`,
    },
    mentionMemberIds: [h.fx.members.rep1],
    text: {
      'zh-CN': {
        title: '人员R1 落后于时间进度',
        lines: ['- 达成率 **40.0%**，时间进度 **50.0%**'],
      },
      en: { title: 'Person R1 is behind time', lines: ['- Attainment **40.0%**, time **50.0%**'] },
    },
    link: '/?alert=12',
    at: clock.toISOString(),
    ...over,
  });
  const channelBody = (over: Record<string, unknown>) => ({
    locale: 'zh-CN',
    unitId: null,
    mode: 'each',
    digestTime: '08:30',
    alertsMinSeverity: 'info',
    battleReports: true,
    weeklySheets: true,
    ...over,
  });

  describe('only administrators see and change channels', () => {
    it('refuses managers, reps and viewers', async () => {
      for (const user of ['mgrEast', 'rep1', 'viewer', 'finance']) {
        expect((await call(user, 'GET', '/api/notify/channels')).statusCode).toBe(403);
        expect((await call(user, 'GET', '/api/notify/deliveries')).statusCode).toBe(403);
        const res = await call(
          user,
          'POST',
          '/api/notify/channels',
          channelBody({ kind: 'wecom', name: 'x', token: 'k' }),
        );
        expect(res.statusCode).toBe(403);
      }
      expect(await t.db.selectFrom('notification_channels').select('id').execute()).toEqual([]);
    });
  });

  describe('secrets are write-only', () => {
    it('creates a DingTalk channel and never returns its token or secret', async () => {
      const res = await call(
        'admin',
        'POST',
        '/api/notify/channels',
        channelBody({
          kind: 'dingtalk',
          name: '华东群',
          token: DT_TOKEN,
          secret: DT_SECRET,
          unitId: h.fx.units.east,
          alertsMinSeverity: 'warning',
        }),
      );
      expect(res.statusCode, res.body).toBe(201);
      ids.east = res.json().id;
      expect(res.json()).toMatchObject({
        tokenSet: true,
        secretSet: true,
        secretHint: '••••6789',
        enabled: true,
      });
      expect(res.body).not.toContain(DT_SECRET);
      expect(res.body).not.toContain(DT_TOKEN);
      const list = await call('admin', 'GET', '/api/notify/channels');
      expect(list.body).not.toContain(DT_SECRET);
      expect(list.body).not.toContain(DT_TOKEN);
      // The audit entry says a secret was set, never which
      const audit = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity', '=', 'notification_channel')
        .execute();
      expect(audit.length).toBe(1);
      expect(JSON.stringify(audit)).not.toContain(DT_SECRET);
      expect(JSON.parse(audit[0]!.after!)).toMatchObject({
        secretChanged: true,
        tokenChanged: true,
      });
    });

    it('keeps the stored secret when an edit omits it', async () => {
      const res = await call(
        'admin',
        'PUT',
        `/api/notify/channels/${ids.east}`,
        channelBody({
          kind: 'dingtalk',
          name: '华东销售群',
          unitId: h.fx.units.east,
          alertsMinSeverity: 'warning',
          version: 1,
        }),
      );
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        name: '华东销售群',
        secretSet: true,
        tokenSet: true,
        version: 2,
      });
      const row = await t.db
        .selectFrom('notification_channels')
        .select('secret')
        .where('id', '=', ids.east!)
        .executeTakeFirstOrThrow();
      expect(row.secret).toBe(DT_SECRET);
    });

    it('refuses a WeCom channel without a key and a webhook without a URL', async () => {
      const a = await call(
        'admin',
        'POST',
        '/api/notify/channels',
        channelBody({ kind: 'wecom', name: 'w' }),
      );
      expect(a.statusCode).toBe(400);
      expect(a.json()).toMatchObject({ code: 'VALIDATION', params: { field: 'token' } });
      const b = await call(
        'admin',
        'POST',
        '/api/notify/channels',
        channelBody({ kind: 'webhook', name: 'h', url: 'ftp://x' }),
      );
      expect(b.json()).toMatchObject({ code: 'VALIDATION', params: { field: 'url' } });
    });
  });

  describe('unknown ids', () => {
    it('are named in the reader’s language', async () => {
      const res = await call('admin', 'POST', '/api/notify/channels/9999/test', undefined, 'zh-CN');
      expect(res.statusCode).toBe(404);
      expect(res.json().message).toBe('通知渠道 不存在');
      const retry = await call(
        'admin',
        'POST',
        '/api/notify/deliveries/9999/retry',
        undefined,
        'en',
      );
      expect(retry.json().message).toBe('Notification delivery not found');
    });
  });

  describe('the test message', () => {
    it('signs DingTalk requests and shows the raw reply', async () => {
      const res = await call('admin', 'POST', `/api/notify/channels/${ids.east}/test`);
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        ok: true,
        status: 200,
        body: '{"errcode":0,"errmsg":"ok"}',
      });
      const got = rx.received.at(-1)!;
      expect(got.kind).toBe('dingtalk');
      expect(got.signatureOk).toBe(true);
      expect(got.query.get('timestamp')).toBe(String(clock.getTime()));
      expect(got.json.markdown.text).toContain('测试消息');
    });

    it('reports HTTP 200 with errcode ≠ 0 as a failure, without counting against the channel', async () => {
      rx.dingtalkRobots.set(DT_TOKEN, 'SECsomethingelse');
      const res = await call('admin', 'POST', `/api/notify/channels/${ids.east}/test`);
      rx.dingtalkRobots.set(DT_TOKEN, DT_SECRET);
      expect(res.json()).toMatchObject({
        ok: false,
        status: 200,
        errcode: 310000,
        errmsg: 'sign not match',
      });
      const ch = (await call('admin', 'GET', '/api/notify/channels')).json()[0];
      expect(ch.consecutiveFailures).toBe(0);
      const log = (
        await call('admin', 'GET', `/api/notify/deliveries?channelId=${ids.east}`)
      ).json();
      expect(log.items.map((d: { state: string }) => d.state)).toEqual(['dead', 'sent']);
      expect(log.items[0].error).toContain('310000');
    });
  });

  describe('alerts reach the channels of their unit', () => {
    it('routes by subtree and severity, mentions by mobile and user id, links back', async () => {
      // Given rep1 (team T1 under East) has a DingTalk mobile and a WeCom user id
      const m = (await call('admin', 'GET', `/api/members/${h.fx.members.rep1}`)).json();
      const put = await call('admin', 'PUT', `/api/members/${m.id}`, {
        code: m.code,
        nameZh: m.nameZh,
        nameEn: m.nameEn,
        tier: m.tier,
        hireDate: m.hireDate,
        dingtalkMobile: '13800000001',
        wecomUserId: 'rep.one',
        version: m.version,
      });
      expect(put.statusCode, put.body).toBe(200);
      expect(put.json()).toMatchObject({ dingtalkMobile: '13800000001', wecomUserId: 'rep.one' });
      // And a West WeCom group and a company-wide signed webhook
      const west = await call(
        'admin',
        'POST',
        '/api/notify/channels',
        channelBody({
          kind: 'wecom',
          name: 'West',
          token: WC_KEY,
          unitId: h.fx.units.west,
          locale: 'en',
        }),
      );
      ids.west = west.json().id;
      const company = await call(
        'admin',
        'POST',
        '/api/notify/channels',
        channelBody({
          kind: 'webhook',
          name: 'BI',
          url: `${rx.base}/hook/company`,
          secret: WH_SECRET,
          alertsMinSeverity: 'critical',
          battleReports: false,
          weeklySheets: false,
        }),
      );
      ids.company = company.json().id;
      rx.received.length = 0;
      // When an East warning alert is announced
      await emit('alert.changed', alert());
      await fanOut();
      await send();
      // Then only the East DingTalk group hears of it (West is another subtree, the webhook wants critical)
      expect(rx.received.map((r) => r.kind)).toEqual(['dingtalk']);
      const dt = rx.received[0]!;
      expect(dt.signatureOk).toBe(true);
      expect(dt.json.at.atMobiles).toEqual(['13800000001']);
      expect(dt.json.markdown.text).toContain('@13800000001');
      expect(dt.json.markdown.text).toContain('[查看详情](https://tf.example.com/?alert=12)');
      expect(dt.json.markdown.text).toContain('40.0%');

      // When a critical alert of a West rep is announced
      rx.received.length = 0;
      await emit(
        'alert.changed',
        alert({
          alertId: 13,
          severity: 'critical',
          subject: {
            ...alert().subject,
            id: h.fx.members.rep4,
            unitId: h.fx.units.t3,
            unitPath: `/${h.fx.units.hq}/${h.fx.units.west}/${h.fx.units.t3}/`,
          },
          mentionMemberIds: [h.fx.members.rep1],
        }),
      );
      await fanOut();
      await send();
      // Then West's WeCom group (in English, coloured) and the company webhook (signed) get it
      expect(rx.received.map((r) => r.kind).sort()).toEqual(['webhook', 'wecom']);
      const wc = rx.received.find((r) => r.kind === 'wecom')!;
      expect(wc.reply.status).toBe(200);
      expect(wc.json.markdown.content).toContain(
        '<font color="warning">[Critical] Person R1 is behind time</font>',
      );
      expect(wc.json.markdown.content).toContain('<@rep.one>');
      const wh = rx.received.find((r) => r.kind === 'webhook')!;
      expect(wh.signatureOk).toBe(true);
      expect(wh.headers['webhook-id']).toMatch(/^tfd_\d+$/);
      expect(wh.json).toMatchObject({
        type: 'alert.changed',
        data: { alertId: 13, severity: 'critical' },
      });
    });

    it('delivers an event replayed by the outbox once per channel', async () => {
      rx.received.length = 0;
      const e = alert();
      await emit('alert.changed', e);
      await fanOut();
      await send();
      expect(rx.received).toEqual([]);
      expect((await deliveries(ids.east!)).filter((d) => d.source === 'alert').length).toBe(1);
    });
  });

  describe('member mention ids', () => {
    it('are edited as member fields are: in the manager’s subtree only, kept when omitted', async () => {
      const m = (await call('admin', 'GET', `/api/members/${h.fx.members.rep1}`)).json();
      const body = (over: object) => ({
        code: m.code,
        nameZh: m.nameZh,
        nameEn: m.nameEn,
        tier: m.tier,
        hireDate: m.hireDate,
        ...over,
      });
      // West's manager may not touch an East rep
      const denied = await call(
        'mgrWest',
        'PUT',
        `/api/members/${m.id}`,
        body({ dingtalkMobile: '13900000000', version: m.version }),
      );
      expect(denied.statusCode).toBe(403);
      // East's manager may; an edit without the fields keeps them
      const ok = await call(
        'mgrEast',
        'PUT',
        `/api/members/${m.id}`,
        body({ wecomUserId: 'rep.1', version: m.version }),
      );
      expect(ok.statusCode, ok.body).toBe(200);
      expect(ok.json()).toMatchObject({ dingtalkMobile: '13800000001', wecomUserId: 'rep.1' });
      const kept = await call(
        'mgrEast',
        'PUT',
        `/api/members/${m.id}`,
        body({ version: ok.json().version }),
      );
      expect(kept.json()).toMatchObject({ dingtalkMobile: '13800000001', wecomUserId: 'rep.1' });
      const bad = await call(
        'admin',
        'PUT',
        `/api/members/${m.id}`,
        body({ dingtalkMobile: 'call me', version: kept.json().version }),
      );
      expect(bad.statusCode).toBe(400);
      // Put back what the later tests expect
      await call(
        'admin',
        'PUT',
        `/api/members/${m.id}`,
        body({ wecomUserId: 'rep.one', version: kept.json().version }),
      );
    });
  });

  describe('failures', () => {
    it('retries an errcode ≠ 0 reply with back-off until it arrives', async () => {
      // Given WeCom refuses the next two messages with HTTP 200 and errcode 45009
      let refusals = 2;
      rx.override = (r) =>
        r.kind === 'wecom' && refusals-- > 0
          ? { status: 200, body: '{"errcode":45009,"errmsg":"api freq out of limit"}' }
          : null;
      rx.received.length = 0;
      await emit('notify.message', battle('battle_report:west:2026-03-16', h.fx.units.west));
      await fanOut();
      await send();
      let [d] = (await deliveries(ids.west!)).filter((x) => x.source === 'battle_report');
      expect(d).toMatchObject({ state: 'failed', attempts: 1, reply_status: 200 });
      expect(d!.error).toContain('errcode 45009');
      // Not due again before the back-off (30 s)
      advance(10_000);
      await send();
      expect(rx.received.length).toBe(1);
      advance(20_000);
      await send();
      advance(60_000);
      await send();
      [d] = (await deliveries(ids.west!)).filter((x) => x.source === 'battle_report');
      expect(d).toMatchObject({ state: 'sent', attempts: 3 });
      expect(rx.received.length).toBe(3);
      rx.override = null;
    });

    it('paces a robot at 20 messages a minute', async () => {
      rx.received.length = 0;
      advance(120_000);
      for (let i = 0; i < 25; i++)
        await emit('notify.message', battle(`battle_report:west:n${i}`, h.fx.units.west));
      await fanOut();
      await send();
      expect(rx.received.length).toBe(20);
      const waiting = (await deliveries(ids.west!)).filter((x) => x.state === 'pending');
      expect(waiting.length).toBe(5);
      advance(30_000);
      await send();
      expect(rx.received.length).toBe(20);
      advance(31_000);
      await send();
      expect(rx.received.length).toBe(25);
    });

    it('splits a long message under the WeCom limit, numbered', async () => {
      advance(120_000);
      rx.received.length = 0;
      const long = battle('battle_report:west:long', h.fx.units.west);
      long.text.en.lines = Array.from(
        { length: 150 },
        (_, i) => `- Team ${i}: ${'revenue up '.repeat(6)}`,
      );
      await emit('notify.message', long);
      await fanOut();
      await send();
      expect(rx.received.length).toBeGreaterThan(1);
      for (const r of rx.received) expect(r.reply.status).toBe(200);
      expect(JSON.parse(rx.received[0]!.body).markdown.content).toMatch(/\(1\/\d+\)$/);
      for (const r of rx.received) expect(JSON.parse(r.body).errcode ?? 0).toBe(0);
      expect(rx.received.every((r) => JSON.parse(r.reply.body).errcode === 0)).toBe(true);
    });

    it('disables a channel after repeated failures, audits it and tells the admins', async () => {
      // Given the company webhook answers 500
      rx.override = (r) => (r.kind === 'webhook' ? { status: 500, body: 'boom' } : null);
      advance(120_000);
      await emit(
        'alert.changed',
        alert({ alertId: 20, severity: 'critical', at: clock.toISOString() }),
      );
      await emit(
        'alert.changed',
        alert({ alertId: 21, severity: 'critical', at: clock.toISOString() }),
      );
      await fanOut();
      for (let i = 0; i < 6; i++) {
        await send();
        advance(3_600_000);
      }
      rx.override = null;
      const ch = (await call('admin', 'GET', '/api/notify/channels'))
        .json()
        .find((c: { id: number }) => c.id === ids.company);
      expect(ch).toMatchObject({ enabled: false, consecutiveFailures: 5 });
      expect(ch.disabledReason).toContain('5 failures in a row');
      const audit = await t.db
        .selectFrom('audit_log')
        .selectAll()
        .where('entity', '=', 'notification_channel')
        .where('action', '=', 'disable')
        .execute();
      expect(audit.length).toBe(1);
      expect(audit[0]!.user_id).toBeNull();
      const system = await t.db
        .selectFrom('outbox')
        .select('payload')
        .where('topic', '=', 'notify.message')
        .execute();
      const note = system
        .map((s) => JSON.parse(s.payload) as NotifyRequest)
        .find((p) => p.kind === 'system');
      expect(note).toMatchObject({ unitId: null, link: '/notify/channels' });
      expect(note!.text.en.title).toContain('"BI" was disabled');
      // Its messages wait: none is sent while it is disabled, and a retry is possible later
      const rows = await deliveries(ids.company!);
      expect(rows.some((r) => r.state === 'failed')).toBe(true);
    });

    it('re-enabling clears the failures and a resend goes out', async () => {
      const ch = (await call('admin', 'GET', '/api/notify/channels'))
        .json()
        .find((c: { id: number }) => c.id === ids.company);
      const res = await call('admin', 'PUT', `/api/notify/channels/${ids.company}/enabled`, {
        enabled: true,
        version: ch.version,
      });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json()).toMatchObject({
        enabled: true,
        consecutiveFailures: 0,
        disabledReason: null,
      });
      const failed = (await deliveries(ids.company!)).find((r) => r.state === 'failed')!;
      expect(
        (await call('rep1', 'POST', `/api/notify/deliveries/${failed.id}/retry`)).statusCode,
      ).toBe(403);
      const retry = await call('admin', 'POST', `/api/notify/deliveries/${failed.id}/retry`);
      expect(retry.statusCode, retry.body).toBe(204);
      rx.received.length = 0;
      await send();
      expect((await deliveries(ids.company!)).find((r) => r.id === failed.id)!.state).toBe('sent');
    });

    it('a receiver that is down or slow does not hold up the worker', async () => {
      // Given a channel whose receiver refuses connections and one that never answers
      const closed = await call(
        'admin',
        'POST',
        '/api/notify/channels',
        channelBody({
          kind: 'webhook',
          name: 'closed',
          url: 'http://127.0.0.1:9/hook',
        }),
      );
      expect(
        (await call('admin', 'POST', `/api/notify/channels/${closed.json().id}/test`)).json(),
      ).toMatchObject({
        ok: false,
        status: null,
      });
      rx.override = (r) => (r.kind === 'webhook' ? 'hold' : null);
      const w = startWorker(
        {
          db: t.db,
          dialect: t.dialect,
          handlers: { 'test.echo': async () => 'done' },
          subscribers: eventSubscribers,
          loops: [
            {
              name: 'notify.send',
              run: ({ db, dialect, owner, now }) =>
                sendDueDeliveries({
                  db,
                  dialect,
                  owner,
                  now,
                  transport: { ...transport, timeoutMs: 60_000 },
                }),
            },
          ],
          now: () => clock,
        },
        { autostart: false },
      );
      advance(3_600_000);
      await emit(
        'alert.changed',
        alert({ alertId: 30, severity: 'critical', at: clock.toISOString() }),
      );
      await w.tick(); // fans out and starts the sender, which waits on the held receiver
      await w.tick(); // runs again at once, though the sender still waits
      // (the channel's oldest message first: the company webhook holds it unanswered)
      await expect.poll(() => rx.received.some((r) => r.path === '/hook/company')).toBe(true);
      // The worker still runs jobs while the receiver holds the request
      const { enqueueJob } = await import('../../src/db/jobs.ts');
      const jobId = await enqueueJob(
        t.db,
        { kind: 'test.echo', payload: {}, createdBy: null },
        clock,
      );
      await w.tick();
      await w.idle();
      const job = await t.db
        .selectFrom('jobs')
        .select('state')
        .where('id', '=', jobId!)
        .executeTakeFirstOrThrow();
      expect(job.state).toBe('succeeded');
      rx.override = null;
      rx.release();
      await w.loopsIdle();
      await w.stop(0);
      // Once the receiver answers, the waiting messages go out
      const rows = await deliveries(ids.company!);
      expect(rows.find((r) => r.dedupe_key.startsWith('alert:30:'))?.state).toBe('sent');
    });
  });

  describe('several instances', () => {
    it('send each delivery once when two senders run at the same time', async () => {
      // Given 12 pending messages for a company-wide webhook
      rx.webhookSecrets.set('/hook/twice', WH_SECRET);
      const res = await call(
        'admin',
        'POST',
        '/api/notify/channels',
        channelBody({
          kind: 'webhook',
          name: 'twice',
          url: `${rx.base}/hook/twice`,
          secret: WH_SECRET,
          alertsMinSeverity: null,
          battleReports: true,
        }),
      );
      const id = res.json().id;
      advance(3_600_000);
      for (let i = 0; i < 12; i++)
        await emit('notify.message', {
          ...battle(`battle_report:hq:${i}`, h.fx.units.hq),
          unitId: null,
          kind: 'reminder',
        });
      await fanOut();
      rx.received.length = 0;
      // When two instances' senders pass at once, in small batches
      const sender = (owner: string) =>
        sendDueDeliveries({
          db: t.db,
          dialect: t.dialect,
          owner,
          now: () => clock,
          transport,
          batch: 3,
        });
      for (let i = 0; i < 5; i++) await Promise.all([sender('a'), sender('b')]);
      // Then each message arrived exactly once
      const ids = rx.received
        .filter((r) => r.path === '/hook/twice')
        .map((r) => r.headers['webhook-id']);
      expect(ids.length).toBe(12);
      expect(new Set(ids).size).toBe(12);
      expect((await deliveries(id)).every((d) => d.state === 'sent' && d.attempts === 1)).toBe(
        true,
      );
    });
  });

  describe('a sender that dies', () => {
    it('leaves its claim to expire, and another instance sends the message once', async () => {
      advance(3_600_000);
      await emit('notify.message', {
        ...battle('reminder:lease', h.fx.units.hq),
        unitId: null,
        kind: 'reminder',
      });
      await fanOut();
      // Given instance "dead" claimed the message and stopped before sending it
      const { claimDeliveries } = await import('../../src/db/notify-deliveries.ts');
      const claimed = await claimDeliveries(t.db, t.dialect, 'dead', clock, 10_000, 50);
      const mine = claimed.filter((d) => d.dedupe_key === 'reminder:lease');
      expect(mine.length).toBeGreaterThan(0);
      rx.received.length = 0;
      // While its lease holds, nobody else sends it
      await send();
      expect(rx.received.filter((r) => r.body.includes('reminder:lease'))).toEqual([]);
      // Once it expires, another sender does, once per channel (the webhooks' bodies carry the key)
      advance(11_000);
      await send();
      await send();
      expect(rx.received.filter((r) => r.body.includes('reminder:lease')).length).toBe(mine.length);
      const rows = await t.db
        .selectFrom('notification_deliveries')
        .select(['state', 'attempts'])
        .where('dedupe_key', '=', 'reminder:lease')
        .execute();
      expect(rows.every((r) => r.state === 'sent' && r.attempts === 1)).toBe(true);
    });
  });

  describe('daily digest', () => {
    it('holds a digest channel’s alerts and sends them as one message at its time', async () => {
      // 02:00 UTC is 10:00 in China; the digest goes at 11:00
      clock = new Date('2026-03-20T02:00:00.000Z');
      const res = await call(
        'admin',
        'POST',
        '/api/notify/channels',
        channelBody({
          kind: 'wecom',
          name: 'Digest',
          token: WC_KEY,
          mode: 'digest',
          digestTime: '11:00',
          locale: 'en',
          battleReports: false,
          weeklySheets: false,
        }),
      );
      const id = res.json().id;
      await emit('alert.changed', alert({ alertId: 40, at: clock.toISOString() }));
      await emit(
        'alert.changed',
        alert({ alertId: 41, severity: 'critical', at: clock.toISOString() }),
      );
      await fanOut();
      rx.received.length = 0;
      await send();
      // (other news, such as a system note, is not held: only alerts wait for the digest)
      const alertsTo = () =>
        rx.received.filter((r) => r.kind === 'wecom' && r.body.includes('Person R1'));
      expect(alertsTo()).toEqual([]);
      const alertRows = async () =>
        (await deliveries(id)).filter((d) => d.source === 'alert' || d.source === 'digest');
      expect((await alertRows()).map((d) => d.state)).toEqual(['held', 'held']);
      clock = new Date('2026-03-20T03:00:00.000Z');
      await send();
      await send();
      const got = alertsTo();
      expect(got.length).toBe(1);
      expect(got[0]!.json.markdown.content).toContain('Daily alert digest 2026-03-20 (2)');
      expect((await alertRows()).map((d) => d.state)).toEqual(['digested', 'digested', 'sent']);
      // And switching the channel to one message each releases what a digest would have held
      await emit('alert.changed', alert({ alertId: 42, at: clock.toISOString() }));
      await fanOut();
      const ch = (await call('admin', 'GET', '/api/notify/channels'))
        .json()
        .find((c: { id: number }) => c.id === id);
      const put = await call('admin', 'PUT', `/api/notify/channels/${id}`, {
        ...channelBody({ kind: 'wecom', name: 'Digest', locale: 'en', mode: 'each' }),
        alertsMinSeverity: ch.alertsMinSeverity,
        battleReports: false,
        weeklySheets: false,
        version: ch.version,
      });
      expect(put.statusCode, put.body).toBe(200);
      await send();
      expect((await alertRows()).map((d) => d.state)).toEqual([
        'digested',
        'digested',
        'sent',
        'sent',
      ]);
    });
  });

  function battle(dedupeKey: string, unitId: number): NotifyRequest {
    return {
      kind: 'battle_report',
      unitId,
      dedupeKey,
      mentionMemberIds: [],
      text: {
        'zh-CN': { title: '华西战报', lines: ['- 今日成交 **12.00万元**'] },
        en: { title: 'West battle report', lines: ['- Today **¥120.0K**'] },
      },
      link: '/reports/battle',
      at: clock.toISOString(),
    };
  }
});
