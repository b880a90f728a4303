import { beforeAll, expect, it } from 'vitest';
import { systemActor } from '../../src/app/actor.ts';
import { evaluateAlerts } from '../../src/app/alerts/evaluate-alerts.ts';
import type { Db } from '../../src/db/connect.ts';
import type { AlertChangedEvent } from '../../src/domain/alerts/alert-event.ts';
import { seedAlertNumbers as seedNumbers, WAN } from '../support/alert-numbers.ts';
import { FIXED_NOW, useApp } from '../support/app.ts';
import { describeEachDialect } from '../support/databases.ts';

async function alertEvents(db: Db): Promise<AlertChangedEvent[]> {
  const rows = await db
    .selectFrom('outbox')
    .select('payload')
    .where('topic', '=', 'alert.changed')
    .orderBy('id')
    .execute();
  return rows.map((r) => JSON.parse(r.payload) as AlertChangedEvent);
}

describeEachDialect('alerts', (t) => {
  const h = useApp(t);
  const idOf: Record<string, number> = {};
  let firstRun: Awaited<ReturnType<typeof evaluateAlerts>>;
  let ceo = 0;

  beforeAll(async () => {
    ceo = await seedNumbers(t.db, h.fx);
    firstRun = await evaluateAlerts(t.db, systemActor(), { escalate: true }, FIXED_NOW);
    const rows = await t.db
      .selectFrom('alerts')
      .innerJoin('alert_rules', 'alert_rules.id', 'alerts.rule_id')
      .select(['alerts.id', 'alerts.subject_type', 'alerts.subject_id', 'alert_rules.kind'])
      .execute();
    for (const r of rows) idOf[`${r.kind}:${r.subject_type}:${r.subject_id}`] = r.id;
  });

  it('opens one alert per firing (rule, subject, period) and announces each once, with its recipients', async () => {
    const m = h.fx.members;
    expect(firstRun.transitions).toEqual({ opened: 4 });
    expect(Object.keys(idOf).sort()).toEqual(
      [
        `attainment_review:member:${m.rep1}`,
        `attainment_review:member:${m.rep4}`,
        `attainment_review:unit:${h.fx.units.t1}`,
        `stop_loss:member:${m.rep2}`,
      ].sort(),
    );
    const events = await alertEvents(t.db);
    expect(events).toHaveLength(4);
    const rep1 = events.find((e) => e.alertId === idOf[`attainment_review:member:${m.rep1}`])!;
    expect(rep1).toMatchObject({
      transition: 'opened',
      ruleKind: 'attainment_review',
      state: 'open',
      period: '2026-02',
      subject: { type: 'member', id: m.rep1, unitId: h.fx.units.t1 },
      mentionMemberIds: [m.rep1, m.mgrEast],
      link: `/?alert=${rep1.alertId}`,
    });
    expect(rep1.text['zh-CN'].title).toBe('人员R1 2026-02：连续2期达成率低于70.0%，建议复盘目标');
    expect(rep1.text.en.lines[0]).toBe('**Attainment 66.0% (target ¥1,000.00K, actual ¥660.00K)**');
    // The stop-loss tells the manager's manager as well.
    const rep2 = events.find((e) => e.ruleKind === 'stop_loss')!;
    expect(rep2.mentionMemberIds).toEqual([m.rep2, m.mgrEast, ceo]);
  });

  it('suppresses the review of a subject whose stop-loss fires (a ladder, not two messages)', () => {
    expect(idOf[`attainment_review:member:${h.fx.members.rep2}`]).toBeUndefined();
  });

  it('says nothing when evaluated again on the same numbers', async () => {
    const again = await evaluateAlerts(t.db, systemActor(), { escalate: true }, FIXED_NOW);
    expect(again.transitions).toEqual({});
    expect(await alertEvents(t.db)).toHaveLength(4);
  });

  it('scopes the inbox: rep their own, manager their subtree, viewer everything', async () => {
    const ids = async (user: string, view = 'all') => {
      const res = await h.call(user, 'GET', `/api/alerts?view=${view}`);
      expect(res.statusCode).toBe(200);
      return (res.json() as { items: { id: number }[] }).items.map((i) => i.id).sort();
    };
    const m = h.fx.members;
    expect(await ids('rep1')).toEqual([idOf[`attainment_review:member:${m.rep1}`]]);
    expect(await ids('mgrWest')).toEqual([idOf[`attainment_review:member:${m.rep4}`]]);
    expect(await ids('mgrEast')).toEqual(
      [
        idOf[`attainment_review:member:${m.rep1}`],
        idOf[`stop_loss:member:${m.rep2}`],
        idOf[`attainment_review:unit:${h.fx.units.t1}`],
      ].sort(),
    );
    expect(await ids('viewer')).toHaveLength(4);
    expect(await ids('mgrEast', 'mine')).toEqual([]);
    const summary = await h.call('mgrEast', 'GET', '/api/alerts/summary');
    expect(summary.json()).toEqual({ mine: 0, team: 3 });
    expect((await h.call('rep1', 'GET', '/api/alerts/summary')).json()).toEqual({
      mine: 1,
      team: 0,
    });
  });

  it("lists a unit's open alerts on its weekly sheet (critical first, suppressed left out, in scope)", async () => {
    const m = h.fx.members;
    const res = await h.call('mgrEast', 'GET', `/api/reports/weekly?unitId=${h.fx.units.t1}`);
    expect(res.statusCode).toBe(200);
    const body = res.json() as {
      report: { openAlerts: { severity: string; textZh: string; textEn: string; link: string }[] };
      text: Record<'zh-CN' | 'en', { lines: string[] }>;
    };
    const links = body.report.openAlerts.map((a) => a.link);
    expect(links[0]).toBe(`/?alert=${idOf[`stop_loss:member:${m.rep2}`]}`);
    expect(links.slice(1).sort()).toEqual(
      [
        `/?alert=${idOf[`attainment_review:member:${m.rep1}`]}`,
        `/?alert=${idOf[`attainment_review:unit:${h.fx.units.t1}`]}`,
      ].sort(),
    );
    expect(body.report.openAlerts[0]!.severity).toBe('critical');
    expect(body.text['zh-CN'].lines).toContain('**未关闭预警**（3）');
    expect(body.text.en.lines.some((l) => l.startsWith('- ') && l.includes('R1'))).toBe(true);
    // The West manager's sheet for his own team lists only his team's alert.
    const west = await h.call('mgrWest', 'GET', `/api/reports/weekly?unitId=${h.fx.units.t3}`);
    expect(west.statusCode).toBe(200);
    expect((west.json() as { report: { openAlerts: unknown[] } }).report.openAlerts).toHaveLength(
      1,
    );
  });

  it('hides an alert outside the scope as not found, for reads and writes', async () => {
    const rep2Alert = idOf[`stop_loss:member:${h.fx.members.rep2}`];
    expect((await h.call('rep1', 'GET', `/api/alerts/${rep2Alert}`)).statusCode).toBe(404);
    expect((await h.call('mgrWest', 'GET', `/api/alerts/${rep2Alert}`)).statusCode).toBe(404);
    expect(
      (await h.call('rep4', 'POST', `/api/alerts/${rep2Alert}/acknowledge`, {})).statusCode,
    ).toBe(404);
    expect(
      (await h.call('viewer', 'POST', `/api/alerts/${rep2Alert}/acknowledge`, {})).statusCode,
    ).toBe(403);
    expect(
      (
        await h.call('finance', 'POST', `/api/alerts/${rep2Alert}/snooze`, {
          until: '2026-04-01',
          reason: 'x',
        })
      ).statusCode,
    ).toBe(403);
  });

  it("shows the evidence, the rule and the history in the reader's language", async () => {
    const id = idOf[`attainment_review:member:${h.fx.members.rep1}`];
    const res = await h.call('rep1', 'GET', `/api/alerts/${id}`, undefined, 'zh-CN');
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d).toMatchObject({
      id,
      ruleKind: 'attainment_review',
      state: 'open',
      period: '2026-02',
      subject: { type: 'member', nameZh: '人员R1', unitNameEn: 'Unit T1' },
      summary: '达成率 66.0%（目标 100.00万，实际 66.00万）',
      history: [{ transition: 'opened', actorName: null }],
      suppressedBy: null,
      contingencyPlan: null,
      rule: {
        kind: 'attainment_review',
        threshold: 7000,
        thresholdUnit: 'bp',
        consecutivePeriods: 2,
      },
    });
    expect(d.evidence.series).toEqual([
      {
        period: '2026-01',
        target: 100 * WAN,
        actual: 65 * WAN,
        attainmentBp: 6500,
        timeProgressBp: null,
      },
      {
        period: '2026-02',
        target: 100 * WAN,
        actual: 66 * WAN,
        attainmentBp: 6600,
        timeProgressBp: null,
      },
    ]);
  });

  it('acknowledges (announced once, then refused), and stops escalation', async () => {
    const id = idOf[`attainment_review:member:${h.fx.members.rep1}`];
    const res = await h.call('rep1', 'POST', `/api/alerts/${id}/acknowledge`, { note: '在跟进' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, state: 'acknowledged' });
    const again = await h.call('rep1', 'POST', `/api/alerts/${id}/acknowledge`, {});
    expect([again.statusCode, again.json().code]).toEqual([409, 'ALERT_STATE_INVALID']);
    const events = await alertEvents(t.db);
    expect(events.at(-1)).toMatchObject({
      alertId: id,
      transition: 'acknowledged',
      state: 'acknowledged',
    });
    const audit = await t.db
      .selectFrom('audit_log')
      .select('entity_id')
      .where('action', '=', 'acknowledge')
      .execute();
    expect(audit.map((a) => a.entity_id)).toEqual([String(id)]);
  });

  it('snoozes until a later day with a reason; a past day is refused', async () => {
    const id = idOf[`attainment_review:unit:${h.fx.units.t1}`];
    const bad = await h.call('mgrEast', 'POST', `/api/alerts/${id}/snooze`, {
      until: '2026-03-16',
      reason: '促销月',
    });
    expect([bad.statusCode, bad.json().code]).toEqual([400, 'ALERT_SNOOZE_DATE']);
    const ok = await h.call('mgrEast', 'POST', `/api/alerts/${id}/snooze`, {
      until: '2026-03-20',
      reason: '促销月',
    });
    expect(ok.json()).toMatchObject({
      state: 'snoozed',
      snoozedUntil: '2026-03-20',
      snoozeReason: '促销月',
    });
  });

  it("assigns within the manager's subtree only; reps cannot assign", async () => {
    const id = idOf[`stop_loss:member:${h.fx.members.rep2}`];
    expect(
      (await h.call('rep2', 'POST', `/api/alerts/${id}/assign`, { memberId: h.fx.members.rep1 }))
        .statusCode,
    ).toBe(403);
    const outside = await h.call('mgrEast', 'POST', `/api/alerts/${id}/assign`, {
      memberId: h.fx.members.rep4,
    });
    expect([outside.statusCode, outside.json().code]).toEqual([
      422,
      'ALERT_ASSIGNEE_OUTSIDE_SCOPE',
    ]);
    const ok = await h.call('mgrEast', 'POST', `/api/alerts/${id}/assign`, {
      memberId: h.fx.members.rep3,
    });
    expect(ok.json().assignee).toMatchObject({ memberId: h.fx.members.rep3, nameEn: 'Person R3' });
    // The assignee now sees it in their own inbox (rep3 has no login: checked in the database).
    expect((await alertEvents(t.db)).at(-1)?.mentionMemberIds).toContain(h.fx.members.rep3);
  });

  it('records a contingency plan on a stop-loss alert only', async () => {
    const stop = idOf[`stop_loss:member:${h.fx.members.rep2}`];
    const review = idOf[`attainment_review:member:${h.fx.members.rep4}`];
    const body = {
      ownerMemberId: h.fx.members.rep2,
      dueDate: '2026-04-15',
      text: '每周拜访 A 类客户 3 次',
    };
    const wrong = await h.call('mgrWest', 'POST', `/api/alerts/${review}/contingency-plan`, body);
    expect([wrong.statusCode, wrong.json().code]).toEqual([409, 'ALERT_PLAN_KIND']);
    const ok = await h.call('mgrEast', 'POST', `/api/alerts/${stop}/contingency-plan`, body);
    expect(ok.statusCode).toBe(200);
    expect(ok.json().assignee.memberId).toBe(h.fx.members.rep2);
    const d = (await h.call('admin', 'GET', `/api/alerts/${stop}`)).json();
    expect(d.contingencyPlan).toMatchObject({
      owner: { memberId: h.fx.members.rep2 },
      dueDate: '2026-04-15',
      text: '每周拜访 A 类客户 3 次',
      recordedBy: 'mgrEast',
    });
    expect(d.history.map((x: { transition: string }) => x.transition)).toEqual([
      'opened',
      'assigned',
      'assigned',
    ]);
  });

  it('escalates an open alert nobody acknowledged, one manager up', async () => {
    const id = idOf[`attainment_review:member:${h.fx.members.rep4}`];
    const later = new Date(FIXED_NOW.getTime() + 3 * 86_400_000);
    const run = await evaluateAlerts(t.db, systemActor(), { escalate: true }, later);
    // rep4's review (open) escalates; the snoozed T1 review and the acknowledged one do not;
    // the stop-loss already tells the top of its chain (rep2, mgrEast, the CEO): nobody above.
    expect(run.transitions).toEqual({ escalated: 1 });
    const e = (await alertEvents(t.db)).at(-1)!;
    expect(e).toMatchObject({ alertId: id, transition: 'escalated' });
    expect(e.mentionMemberIds).toEqual([h.fx.members.rep4, h.fx.members.mgrWest, ceo]);
    expect((await h.call('mgrWest', 'GET', `/api/alerts/${id}`)).json().escalationLevel).toBe(1);
  });

  it('resolves a closed period when re-imported numbers clear it, and says the verdict changed', async () => {
    const id = idOf[`attainment_review:member:${h.fx.members.rep1}`];
    await t.db
      .updateTable('rollup_sales_month')
      .set({ amount: 80 * WAN })
      .where('member_id', '=', h.fx.members.rep1)
      .where('month', '=', '2026-02')
      .execute();
    const run = await evaluateAlerts(
      t.db,
      systemActor(),
      { touched: { unitIds: [h.fx.units.t1], memberIds: [h.fx.members.rep1] } },
      FIXED_NOW,
    );
    expect(run.transitions).toEqual({ verdict_changed: 1 });
    const e = (await alertEvents(t.db)).at(-1)!;
    expect(e).toMatchObject({ alertId: id, transition: 'verdict_changed', state: 'resolved' });
    expect(e.text.en.title.startsWith('[Data changed] ')).toBe(true);
  });

  it('backfills across the fiscal-year boundary: December 2025 and January 2026 from two plans', async () => {
    const run = await evaluateAlerts(t.db, systemActor(), { asOf: '2026-02-05' }, FIXED_NOW);
    const row = await t.db
      .selectFrom('alerts')
      .innerJoin('alert_rules', 'alert_rules.id', 'alerts.rule_id')
      .select(['alerts.period', 'alerts.state', 'alert_rules.kind'])
      .where('alerts.subject_id', '=', h.fx.members.rep3)
      .where('alerts.subject_type', '=', 'member')
      .where('alert_rules.kind', 'in', ['attainment_review', 'stop_loss'])
      .execute();
    expect(row).toEqual([{ period: '2026-01', state: 'open', kind: 'attainment_review' }]);
    expect(run.transitions.opened).toBeGreaterThanOrEqual(1);
    // The backfill leaves the alerts of later periods alone: rep4's February review stays open.
    const rep4 = await t.db
      .selectFrom('alerts')
      .select('state')
      .where('id', '=', idOf[`attainment_review:member:${h.fx.members.rep4}`]!)
      .executeTakeFirstOrThrow();
    expect(rep4.state).toBe('open');
  });

  it('lets only an admin read and change rules; a save keeps the previous version', async () => {
    expect((await h.call('mgrEast', 'GET', '/api/alert-rules')).statusCode).toBe(403);
    const list = (await h.call('admin', 'GET', '/api/alert-rules')).json() as {
      id: number;
      kind: string;
      version: number;
      available: boolean;
    }[];
    expect(list.map((r) => r.kind)).toContain('stop_loss');
    expect(list.find((r) => r.kind === 'plan_task_late')?.available).toBe(false);
    const rule = (await h.call('admin', 'GET', `/api/alert-rules/${list[0]!.id}`)).json();
    const { id, available: _a, updatedAt: _u, versions: _v, thresholdUnit: _t, ...body } = rule;
    const stale = await h.call('admin', 'PUT', `/api/alert-rules/${id}`, {
      ...body,
      threshold: 7500,
      version: 99,
    });
    expect(stale.statusCode).toBe(409);
    const saved = await h.call('admin', 'PUT', `/api/alert-rules/${id}`, {
      ...body,
      threshold: 7500,
    });
    expect(saved.statusCode).toBe(200);
    expect(saved.json()).toMatchObject({ threshold: 7500, version: 2 });
    const detail = (await h.call('admin', 'GET', `/api/alert-rules/${id}`)).json();
    expect(
      detail.versions.map((v: { version: number; rule: { threshold: number } }) => [
        v.version,
        v.rule.threshold,
      ]),
    ).toEqual([
      [2, 7500],
      [1, 7000],
    ]);
    expect(
      (await h.call('mgrEast', 'PUT', `/api/alert-rules/${id}`, { ...body, version: 2 }))
        .statusCode,
    ).toBe(403);
    const bad = await h.call('admin', 'POST', '/api/alert-rules', { ...body, metric: 'leads' });
    expect([bad.statusCode, bad.json().code]).toEqual([422, 'ALERT_RULE_INVALID']);
    const created = await h.call('admin', 'POST', '/api/alert-rules', {
      ...body,
      scopeUnitId: h.fx.units.west,
      nameEn: 'West only',
    });
    expect(created.json()).toMatchObject({ version: 1, scopeUnitId: h.fx.units.west });
  });
});
