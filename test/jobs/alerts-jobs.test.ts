import { beforeAll, describe, expect, it } from 'vitest';
import { importFactRows } from '../../src/app/facts/import-facts.ts';
import { ensureBuiltinMetrics, metricByCode } from '../../src/db/plans/metrics.ts';
import type { AlertChangedEvent } from '../../src/domain/alerts/alert-event.ts';
import { ALERTS_DAILY_JOB, alertsDailyJob } from '../../src/jobs/kinds/alerts.ts';
import { eventSubscribers, jobHandlers, recurringJobs } from '../../src/jobs/registry.ts';
import type { JobContext } from '../../src/jobs/worker.ts';
import { describeEachDialect } from '../support/databases.ts';
import { now, opts, seedFacts, type FactsFixture } from './facts-fixture.ts';

describe('alert jobs in the registry', () => {
  it('runs the evaluation once a day at 06:00 China time and after every fact import', () => {
    expect(recurringJobs).toContainEqual({ kind: ALERTS_DAILY_JOB, every: 'day', atMinute: 360 });
    expect(jobHandlers[ALERTS_DAILY_JOB]).toBe(alertsDailyJob);
    expect(eventSubscribers['facts.imported']).toHaveLength(1);
  });
});

describeEachDialect('alert jobs', (t) => {
  let fx: FactsFixture;
  beforeAll(async () => {
    fx = await seedFacts(t.db);
    await ensureBuiltinMetrics(t.db, now);
    const revenue = (await metricByCode(t.db, 'revenue')).id;
    const plan = await t.db
      .insertInto('plans')
      .values({
        fiscal_year: 2026,
        name_zh: 'p',
        name_en: 'p',
        created_by: null,
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const v = await t.db
      .insertInto('plan_versions')
      .values({
        plan_id: plan.id,
        number: 1,
        status: 'active',
        created_by: null,
        created_at: now.toISOString(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const period of ['2026-01', '2026-02'])
      await t.db
        .insertInto('target_cells')
        .values({
          version_id: v.id,
          metric_id: revenue,
          owner_type: 'member',
          owner_id: fx.members.rep4,
          period,
          value: 100_000_00,
          split_id: null,
          note: null,
        })
        .execute();
  });

  const alertEvents = async () =>
    (
      await t.db
        .selectFrom('outbox')
        .select('payload')
        .where('topic', '=', 'alert.changed')
        .orderBy('id')
        .execute()
    ).map((r) => JSON.parse(r.payload) as AlertChangedEvent);

  it('evaluates the nodes an import touched when its facts.imported event is delivered', async () => {
    // rep4 sells 50,000元 of a 100,000元 target in January and in February: 50% twice → stop-loss.
    await importFactRows(
      t.db,
      'orders',
      [
        {
          extId: 'AJ-1',
          date: '2026-01-10',
          ownerCode: 'R4',
          customer: 'C1',
          product: 'P1',
          amount: '50000',
        },
        {
          extId: 'AJ-2',
          date: '2026-02-10',
          ownerCode: 'R4',
          customer: 'C1',
          product: 'P1',
          amount: '50000',
        },
      ],
      opts,
    );
    const event = await t.db
      .selectFrom('outbox')
      .selectAll()
      .where('topic', '=', 'facts.imported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    for (const handler of eventSubscribers['facts.imported'] ?? []) await handler(event, t.db, now);
    const events = await alertEvents();
    expect(events.map((e) => [e.ruleKind, e.transition, e.subject.id, e.period])).toEqual([
      ['stop_loss', 'opened', fx.members.rep4, '2026-02'],
    ]);
    // Delivered again (at least once): nothing new to say.
    for (const handler of eventSubscribers['facts.imported'] ?? []) await handler(event, t.db, now);
    expect(await alertEvents()).toHaveLength(1);
  });

  it('the daily job finds nothing new on the same numbers, and escalates once the alert waits', async () => {
    const ctx = (at: Date) => ({ db: t.db, now: () => at }) as unknown as JobContext;
    expect(await alertsDailyJob(ctx(now))).toMatchObject({ transitions: {} });
    // The stop-loss escalates after 2 days without acknowledgement: rep4 → mgrWest → (nobody above
    // the rule's manager's manager in this org), so there is no one further to tell.
    const later = new Date(now.getTime() + 2 * 86_400_000);
    expect(await alertsDailyJob(ctx(later))).toMatchObject({ transitions: {} });
    const row = await t.db
      .selectFrom('alerts')
      .select(['state', 'escalation_level'])
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ state: 'open', escalation_level: 0 });
  });
});
