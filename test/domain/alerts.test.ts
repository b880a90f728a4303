import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  belowBp,
  evaluateRule,
  MIN_CONVERSION_BASE,
  suppressions,
  type PeriodFigures,
} from '../../src/domain/alerts/evaluate.ts';
import { maxEscalation, recipientsFor } from '../../src/domain/alerts/recipients.ts';
import { renderAlert } from '../../src/domain/alerts/render.ts';
import {
  assertRuleValid,
  lastClosedPeriod,
  periodsEndingWith,
  previousPeriod,
  type AlertRule,
} from '../../src/domain/alerts/rules.ts';
import {
  acknowledge,
  applyVerdict,
  escalate,
  isActive,
  snooze,
  type AlertStatus,
} from '../../src/domain/alerts/state-machine.ts';

const rule = (over: Partial<AlertRule>): AlertRule => ({
  id: 1,
  kind: 'attainment_review',
  metric: 'revenue',
  periodKind: 'month',
  threshold: 7000,
  consecutivePeriods: 2,
  subjects: 'both',
  severity: 'warning',
  recipients: ['subject', 'manager'],
  escalateAfterDays: 3,
  scopeUnitId: null,
  enabled: true,
  version: 1,
  ...over,
});
const review = rule({});
const stopLoss = rule({ id: 2, kind: 'stop_loss', threshold: 6000, severity: 'critical' });
const fig = (period: string, target: number | null, actual: number): PeriodFigures => ({
  period,
  target,
  actual,
  timeProgressBp: null,
});

describe('periods of the alert rules', () => {
  it('steps back across the calendar and the fiscal year boundary', () => {
    expect(previousPeriod('2026-01', 1)).toBe('2025-12');
    expect(previousPeriod('FY2026-Q1', 1)).toBe('FY2025-Q4');
    expect(previousPeriod('FY2026-Q1', 4)).toBe('FY2025-Q4');
    expect(previousPeriod('2026-W01', 1)).toBe('2025-W52');
    expect(previousPeriod('2027-W01', 1)).toBe('2026-W53');
    expect(periodsEndingWith('2026-01', 2, 1)).toEqual(['2025-12', '2026-01']);
    expect(periodsEndingWith('2026-04', 3, 4)).toEqual(['2026-02', '2026-03', '2026-04']);
  });

  it('evaluates the last closed period: in January, December of last year', () => {
    expect(lastClosedPeriod('month', '2026-01-05', 1)).toBe('2025-12');
    expect(lastClosedPeriod('month', '2026-03-01', 1)).toBe('2026-02');
    // A fiscal year from April: on 10 April the last closed quarter is last fiscal year's Q4.
    expect(lastClosedPeriod('quarter', '2026-04-10', 4)).toBe('FY2025-Q4');
  });

  it('refuses a rule whose settings do not fit its kind, naming the field', () => {
    expect(() => assertRuleValid({ ...review, metric: 'leads' })).toThrow(
      expect.objectContaining({
        code: 'ALERT_RULE_INVALID',
        params: expect.objectContaining({ field: 'metric' }),
      }),
    );
    expect(() => assertRuleValid({ ...review, periodKind: 'week' })).toThrow(
      expect.objectContaining({ params: expect.objectContaining({ field: 'periodKind' }) }),
    );
    expect(() => assertRuleValid({ ...review, threshold: 10_001 })).toThrow();
    expect(() => assertRuleValid({ ...review, consecutivePeriods: 0 })).toThrow();
    expect(() => assertRuleValid({ ...review, recipients: [] })).toThrow();
    expect(() => assertRuleValid(review)).not.toThrow();
  });
});

describe('attainment below a threshold two periods running (review 70%, stop-loss 60%)', () => {
  it('compares exactly: 69.99% is below 70%, 70% is not', () => {
    expect(belowBp(699_999, 1_000_000, 7000)).toBe(true);
    expect(belowBp(700_000, 1_000_000, 7000)).toBe(false);
    // 2/3 = 66.67% below 66.67% in bp rounding, yet not below exactly: 2·10,000 < 6,667·3.
    expect(belowBp(2, 3, 6667)).toBe(true);
    expect(belowBp(2, 3, 6666)).toBe(false);
  });

  it('fires when both months are below, across the year boundary, with the numbers as evidence', () => {
    const v = evaluateRule(review, {
      closed: [fig('2025-12', 100_000_00, 65_000_00), fig('2026-01', 80_000_00, 55_000_00)],
    });
    expect(v?.fires).toBe(true);
    expect(v?.evidence.figures).toEqual([
      { key: 'target', value: 80_000_00, unit: 'fen' },
      { key: 'actual', value: 55_000_00, unit: 'fen' },
      { key: 'attainment', value: 6875, unit: 'bp' },
      { key: 'threshold', value: 7000, unit: 'bp' },
      { key: 'periods', value: 2, unit: 'count' },
    ]);
    expect(v?.evidence.series.map((s) => [s.period, s.attainmentBp])).toEqual([
      ['2025-12', 6500],
      ['2026-01', 6875],
    ]);
  });

  it('does not fire for one month below, or when the earlier month had no target', () => {
    expect(
      evaluateRule(review, { closed: [fig('2025-12', 100, 70), fig('2026-01', 100, 10)] })?.fires,
    ).toBe(false);
    expect(
      evaluateRule(review, { closed: [fig('2025-12', null, 0), fig('2026-01', 100, 10)] })?.fires,
    ).toBe(false);
  });

  it('has no verdict without a target in the evaluated period', () => {
    expect(
      evaluateRule(review, { closed: [fig('2025-12', 100, 10), fig('2026-01', null, 0)] }),
    ).toBeNull();
    expect(
      evaluateRule(review, { closed: [fig('2025-12', 100, 10), fig('2026-01', 0, 0)] }),
    ).toBeNull();
  });

  it('stop-loss at 60% suppresses the review of the same subject, not of another', () => {
    const closed = [fig('2025-12', 100, 55), fig('2026-01', 100, 50)];
    const r = evaluateRule(review, { closed });
    const s = evaluateRule(stopLoss, { closed });
    expect([r?.fires, s?.fires]).toEqual([true, true]);
    const v = (ruleId: number, kind: AlertRule['kind'], subjectKey: string, fires: boolean) => ({
      ruleId,
      kind,
      periodKind: 'month',
      subjectKey,
      fires,
    });
    expect(
      suppressions([
        v(1, 'attainment_review', 'member|7|2026-01', true),
        v(2, 'stop_loss', 'member|7|2026-01', true),
        v(1, 'attainment_review', 'member|8|2026-01', true),
        v(2, 'stop_loss', 'member|8|2026-01', false),
      ]),
    ).toEqual([2, null, null, null]);
  });

  it('suppression never touches a verdict whose subject has no firing stop-loss (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            subject: fc.integer({ min: 1, max: 5 }),
            stop: fc.boolean(),
            fires: fc.boolean(),
          }),
        ),
        (list) => {
          const verdicts = list.map((x) => ({
            ruleId: x.stop ? 2 : 1,
            kind: (x.stop ? 'stop_loss' : 'attainment_review') as AlertRule['kind'],
            periodKind: 'month',
            subjectKey: `member|${x.subject}`,
            fires: x.fires,
          }));
          const out = suppressions(verdicts);
          verdicts.forEach((v, i) => {
            const inhibited = verdicts.some(
              (w) => w.kind === 'stop_loss' && w.fires && w.subjectKey === v.subjectKey,
            );
            expect(out[i]).toBe(v.kind === 'attainment_review' && inhibited ? 2 : null);
          });
        },
      ),
    );
  });
});

describe('behind time progress by more than N points', () => {
  const behind = rule({ kind: 'behind_time', threshold: 1000, consecutivePeriods: 1 });
  const current = (actual: number, tp: number) => ({
    current: { period: '2026-03', target: 10_000, actual, timeProgressBp: tp },
  });
  it('fires when more than 10 points behind, not at exactly 10', () => {
    expect(evaluateRule(behind, current(3999, 5000))?.fires).toBe(true);
    expect(evaluateRule(behind, current(4000, 5000))?.fires).toBe(false);
    expect(evaluateRule(behind, current(9000, 5000))?.fires).toBe(false);
    const v = evaluateRule(behind, current(3000, 5000));
    expect(v?.evidence.figures.find((f) => f.key === 'behindBy')?.value).toBe(2000);
  });
});

describe('a conversion rate down 20% or more on the previous period', () => {
  const drop = rule({
    kind: 'conversion_drop',
    metric: 'lead_to_opp_rate',
    threshold: 2000,
    consecutivePeriods: 1,
  });
  const funnel = (pl: number, po: number, cl: number, co: number) => ({
    funnel: {
      previous: { period: '2025-12', leads: pl, opportunities: po, deals: 0 },
      current: { period: '2026-01', leads: cl, opportunities: co, deals: 0 },
    },
  });
  it('25% → 20% is exactly a 20% drop and fires; 25% → 20.5% does not', () => {
    expect(evaluateRule(drop, funnel(100, 25, 100, 20))?.fires).toBe(true);
    expect(evaluateRule(drop, funnel(100, 25, 1000, 205))?.fires).toBe(false);
    const v = evaluateRule(drop, funnel(100, 25, 100, 20));
    expect(v?.evidence.figures.slice(0, 3)).toEqual([
      { key: 'rate', value: 2000, unit: 'bp' },
      { key: 'previousRate', value: 2500, unit: 'bp' },
      { key: 'change', value: -2000, unit: 'bp' },
    ]);
  });
  it('reads opportunity → deal for that metric', () => {
    const deals = rule({ ...drop, metric: 'opp_to_deal_rate' });
    const f = {
      funnel: {
        previous: { period: '2025-12', leads: 0, opportunities: 40, deals: 20 },
        current: { period: '2026-01', leads: 0, opportunities: 40, deals: 10 },
      },
    };
    expect(evaluateRule(deals, f)?.fires).toBe(true);
  });
  it(`compares no rate on fewer than ${MIN_CONVERSION_BASE} leads`, () => {
    expect(evaluateRule(drop, funnel(MIN_CONVERSION_BASE - 1, 5, 100, 1))).toBeNull();
    expect(evaluateRule(drop, funnel(100, 50, MIN_CONVERSION_BASE - 1, 0))).toBeNull();
    expect(evaluateRule(drop, funnel(MIN_CONVERSION_BASE, 5, MIN_CONVERSION_BASE, 0))?.fires).toBe(
      true,
    );
  });
});

describe('no activity for N working days', () => {
  const idle = rule({
    kind: 'no_activity',
    metric: 'activities',
    threshold: 5,
    consecutivePeriods: 1,
  });
  it('fires at N, not before; no verdict for someone who never logged one', () => {
    expect(evaluateRule(idle, { idleWorkingDays: 5 })?.fires).toBe(true);
    expect(evaluateRule(idle, { idleWorkingDays: 4 })?.fires).toBe(false);
    expect(evaluateRule(idle, { idleWorkingDays: null })).toBeNull();
  });
  it('the kinds not evaluated yet have no verdict', () => {
    expect(evaluateRule(rule({ kind: 'plan_task_late' }), { idleWorkingDays: 9 })).toBeNull();
  });
});

describe('the alert state machine', () => {
  const open: AlertStatus = {
    state: 'open',
    snoozedUntil: null,
    escalationClockFrom: '2026-03-02',
    escalationLevel: 0,
  };
  const fires = { fires: true, suppressed: false, periodClosed: false };
  const clears = { fires: false, suppressed: false, periodClosed: false };

  it('opens on the first firing verdict, then stays silent while it keeps firing', () => {
    expect(applyVerdict(null, fires, '2026-03-02')).toEqual({ next: open, transition: 'opened' });
    expect(applyVerdict(open, fires, '2026-03-03')).toEqual({ next: open, transition: null });
    expect(applyVerdict(null, clears, '2026-03-02')).toEqual({ next: null, transition: null });
  });

  it('resolves by itself when the condition clears, and reopens when it returns', () => {
    const r = applyVerdict(open, clears, '2026-03-04');
    expect(r).toMatchObject({ next: { state: 'resolved' }, transition: 'resolved' });
    expect(applyVerdict(r.next, fires, '2026-03-05')).toMatchObject({
      next: { state: 'open', escalationLevel: 0, escalationClockFrom: '2026-03-05' },
      transition: 'reopened',
    });
  });

  it('says the verdict changed when re-imported numbers move a closed period', () => {
    const closed = { periodClosed: true, suppressed: false };
    expect(applyVerdict(open, { ...closed, fires: false }, '2026-04-02').transition).toBe(
      'verdict_changed',
    );
    const resolved: AlertStatus = { ...open, state: 'resolved' };
    expect(applyVerdict(resolved, { ...closed, fires: true }, '2026-04-02').transition).toBe(
      'verdict_changed',
    );
    // The same verdict on re-import: nothing to say.
    expect(applyVerdict(resolved, { ...closed, fires: false }, '2026-04-02').transition).toBeNull();
    expect(applyVerdict(open, { ...closed, fires: true }, '2026-04-02').transition).toBeNull();
  });

  it('a suppressed verdict opens nothing', () => {
    expect(applyVerdict(null, { ...fires, suppressed: true }, '2026-03-02').transition).toBeNull();
    expect(applyVerdict(open, { ...fires, suppressed: true }, '2026-03-02').transition).toBeNull();
  });

  it('acknowledge and snooze: snoozed comes back on its date if still firing', () => {
    expect(acknowledge(open).next?.state).toBe('acknowledged');
    expect(() => acknowledge({ ...open, state: 'resolved' })).toThrow(
      expect.objectContaining({ code: 'ALERT_STATE_INVALID' }),
    );
    expect(() => acknowledge({ ...open, state: 'acknowledged' })).toThrow();
    expect(() => snooze(open, '2026-03-02', '2026-03-02')).toThrow(
      expect.objectContaining({ code: 'ALERT_SNOOZE_DATE' }),
    );
    const s = snooze(open, '2026-03-10', '2026-03-02').next!;
    expect(s).toMatchObject({ state: 'snoozed', snoozedUntil: '2026-03-10' });
    expect(applyVerdict(s, fires, '2026-03-09').transition).toBeNull();
    expect(applyVerdict(s, fires, '2026-03-10')).toMatchObject({
      next: { state: 'open', snoozedUntil: null },
      transition: 'reopened',
    });
  });

  it('escalates an open alert after N days, one level at a time, up to the top', () => {
    expect(escalate(open, 3, '2026-03-04', 2).transition).toBeNull();
    const e = escalate(open, 3, '2026-03-05', 2);
    expect(e).toMatchObject({
      next: { escalationLevel: 1, escalationClockFrom: '2026-03-05' },
      transition: 'escalated',
    });
    expect(escalate(e.next!, 3, '2026-03-07', 2).transition).toBeNull();
    const e2 = escalate(e.next!, 3, '2026-03-08', 2);
    expect(e2.next?.escalationLevel).toBe(2);
    expect(escalate(e2.next!, 3, '2026-03-30', 2).transition).toBeNull();
    expect(escalate({ ...open, state: 'acknowledged' }, 3, '2026-03-30', 2).transition).toBeNull();
    expect(escalate(open, null, '2026-03-30', 2).transition).toBeNull();
  });

  it('never announces twice for the same open alert, whatever the verdicts (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ fires: fc.boolean(), suppressed: fc.boolean(), closed: fc.boolean() }),
          {
            maxLength: 40,
          },
        ),
        (days) => {
          let status: AlertStatus | null = null;
          let day = 1;
          for (const d of days) {
            const today = `2026-03-${String(day++).padStart(2, '0')}`.slice(0, 10);
            const before: AlertStatus | null = status;
            const step = applyVerdict(
              status,
              { fires: d.fires, suppressed: d.suppressed, periodClosed: d.closed },
              today > '2026-03-31' ? '2026-03-31' : today,
            );
            const wasActive = before !== null && isActive(before.state);
            const nowActive = step.next !== null && isActive(step.next.state);
            // An announcement is exactly a change between active and not active.
            expect(step.transition !== null).toBe(wasActive !== nowActive);
            status = step.next;
          }
        },
      ),
    );
  });
});

describe('recipients and the escalation ladder', () => {
  const chain = { subjectMemberId: 10, managers: [20, 30, 40] };
  it('tells the subject and the manager, then one more manager up per level', () => {
    expect(recipientsFor(['subject', 'manager'], chain, 0)).toEqual([10, 20]);
    expect(recipientsFor(['subject', 'manager'], chain, 1)).toEqual([10, 20, 30]);
    expect(recipientsFor(['subject', 'manager', 'manager_manager'], chain, 0)).toEqual([
      10, 20, 30,
    ]);
    expect(recipientsFor(['subject', 'manager', 'manager_manager'], chain, 1)).toEqual([
      10, 20, 30, 40,
    ]);
    expect(recipientsFor(['manager_manager'], chain, 0)).toEqual([30]);
    expect(recipientsFor(['subject', 'manager'], chain, 9)).toEqual([10, 20, 30, 40]);
    expect(maxEscalation(['subject', 'manager'], chain)).toBe(2);
    expect(maxEscalation(['subject', 'manager', 'manager_manager'], chain)).toBe(1);
    expect(maxEscalation(['subject', 'manager'], { subjectMemberId: 1, managers: [] })).toBe(0);
  });
});

describe('the words of an alert', () => {
  it('renders the numbers in 万 for zh-CN and ¥…K for en, with the link', () => {
    const v = evaluateRule(stopLoss, {
      closed: [fig('2025-12', 100_000_000, 55_000_000), fig('2026-01', 80_000_000, 40_000_000)],
    })!;
    const input = {
      kind: 'stop_loss' as const,
      metric: 'revenue',
      period: '2026-01',
      subjectName: { 'zh-CN': '西部大区', en: 'West' },
      evidence: v.evidence,
      transition: 'escalated' as const,
      link: '/?alert=7',
    };
    const zh = renderAlert(input, 'zh-CN');
    expect(zh.title).toBe('【升级】西部大区 2026-01：连续2期达成率低于60.0%，触发止损');
    expect(zh.summary).toBe('达成率 50.0%（目标 80.00万，实际 40.00万）');
    expect(zh.lines).toContain('- 2025-12：达成率 55.0%，目标 100.00万，实际 55.00万');
    expect(zh.lines.at(-1)).toBe('[查看预警](/?alert=7)');
    const en = renderAlert(input, 'en');
    expect(en.title).toBe(
      '[Escalated] West 2026-01: below 60.0% for 2 periods running — stop-loss',
    );
    expect(en.summary).toBe('Attainment 50.0% (target ¥800.00K, actual ¥400.00K)');
  });
});
