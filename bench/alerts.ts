/**
 * `npm run bench:alerts [-- --members 10000] [--dialect sqlite|postgres|both]`
 *
 * The alert engine at the bench company's size: 10,000 members, each in their own team, under
 * 1,099 regions and the company (11,100 units). Given targets for September–November 2026 in
 * an active plan, the month and day sales rollups (attainment spread 40–120%), leads and
 * opportunities for September and October, and one activity per member in November, times on
 * each database:
 *
 * 1. `evaluateAlerts` for the whole company as of 2026-11-23 — every default rule, the daily
 *    job's work — the first run (opening the alerts) and a second one on the same numbers (the
 *    steady state: nothing to announce). Goal: ≤ 5 s on SQLite.
 * 2. a 5,000-line order import through `importFactRows` (50 members), then the `facts.imported`
 *    subscriber on its batch (`evaluateImportedNodes`): goal ≤ 10% of the import.
 *
 * PostgreSQL runs when BENCH_DATABASE_URL / DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test)
 * answers; every run creates and drops its own database.
 */
import { parseArgs } from 'node:util';
import type { Insertable } from 'kysely';
import { systemActor } from '../src/app/actor.ts';
import { evaluateAlerts } from '../src/app/alerts/evaluate-alerts.ts';
import { importFactRows } from '../src/app/facts/import-facts.ts';
import type { Db } from '../src/db/connect.ts';
import type { OutboxRow } from '../src/db/outbox.ts';
import type { Database } from '../src/db/schema.ts';
import { evaluateImportedNodes } from '../src/jobs/kinds/alerts.ts';
import { pgBenchDb, pgReachable, sqliteBenchDb, type BenchDb } from './support/databases.ts';
import { seedBenchOrg } from './support/seed-org.ts';

const { values: args } = parseArgs({
  options: {
    members: { type: 'string', default: '10000' },
    dialect: { type: 'string', default: 'both' },
  },
});
const MEMBERS = Number(args.members);
const NOW = new Date('2026-11-23T02:00:00.000Z');
const TODAY = '2026-11-23';
const MONTHS = ['2026-09', '2026-10', '2026-11'];
const WAN = 1_000_000;
const PG_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/test';

/** A small deterministic PRNG (mulberry32): the same company on every run and database. */
function prng(seed: number) {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

async function insertChunks<T extends keyof Database & string>(
  db: Db,
  table: T,
  rows: Insertable<Database[T]>[],
  chunk = 500,
) {
  for (let i = 0; i < rows.length; i += chunk)
    await db
      .insertInto(table)
      .values(rows.slice(i, i + chunk) as never)
      .execute();
}

async function seedNumbers(db: Db) {
  const org = await seedBenchOrg(db, {
    members: MEMBERS,
    teamSize: 1,
    regions: Math.round((MEMBERS * 1099) / 10_000),
    productLines: 1,
    fiscalYear: 2026,
    now: NOW,
  });
  await db
    .updateTable('plan_versions')
    .set({ status: 'active' })
    .where('id', '=', org.versionId)
    .execute();
  const units = await db.selectFrom('org_units').select(['id', 'path']).execute();
  const pathOf = new Map(units.map((u) => [u.id, u.path]));
  const members = await db
    .selectFrom('member_units')
    .select(['member_id', 'org_unit_id'])
    .execute();
  const rnd = prng(13);
  const cells: Insertable<Database['target_cells']>[] = [];
  const sales: Insertable<Database['rollup_sales_month']>[] = [];
  const days: Insertable<Database['rollup_sales_day']>[] = [];
  const unitMonth = new Map<string, number>();
  const unitTarget = new Map<string, number>();
  const unitDay = new Map<string, number>();
  const measures = { gross_profit: 0, quantity: 1, orders: 1, lines: 1 };
  for (const m of members) {
    const ancestors = (pathOf.get(m.org_unit_id) ?? '').split('/').filter(Boolean).map(Number);
    for (const month of MONTHS) {
      const target = 100 * WAN;
      const actual = Math.round(target * (0.4 + 0.8 * rnd()) * (month === '2026-11' ? 23 / 30 : 1));
      cells.push({
        version_id: org.versionId,
        metric_id: org.metricId,
        owner_type: 'member',
        owner_id: m.member_id,
        period: month,
        value: target,
        split_id: null,
        note: null,
      });
      const dims = {
        org_unit_id: m.org_unit_id,
        member_id: m.member_id,
        product_line_id: 0,
        channel_id: 0,
        lifecycle: '',
      };
      sales.push({ ...dims, region_id: 0, segment_id: 0, month, amount: actual, ...measures });
      if (month === '2026-11')
        days.push({ ...dims, day: '2026-11-10', amount: actual, ...measures });
      for (const a of ancestors) {
        const k = `${a}|${month}`;
        unitMonth.set(k, (unitMonth.get(k) ?? 0) + actual);
        unitTarget.set(k, (unitTarget.get(k) ?? 0) + target);
        if (month === '2026-11') unitDay.set(`${a}`, (unitDay.get(`${a}`) ?? 0) + actual);
      }
    }
  }
  for (const [k, value] of unitTarget) {
    const [id, period] = k.split('|');
    cells.push({
      version_id: org.versionId,
      metric_id: org.metricId,
      owner_type: 'unit',
      owner_id: Number(id),
      period: period!,
      value,
      split_id: null,
      note: null,
    });
  }
  await insertChunks(db, 'target_cells', cells);
  await insertChunks(db, 'rollup_sales_month', sales);
  await insertChunks(db, 'rollup_sales_day', days);
  await insertChunks(
    db,
    'rollup_unit_month',
    [...unitMonth].map(([k, amount]) => {
      const [id, month] = k.split('|');
      return { org_unit_id: Number(id), dim: '', key: '', month: month!, amount, ...measures };
    }),
  );
  await insertChunks(
    db,
    'rollup_unit_day',
    [...unitDay].map(([id, amount]) => ({
      org_unit_id: Number(id),
      dim: '',
      key: '',
      day: '2026-11-10',
      amount,
      ...measures,
    })),
  );
  // Funnel facts (no rollups: the evaluation groups these tables) and the last activity.
  const batch = async (kind: 'leads' | 'opportunities' | 'activities') =>
    (
      await db
        .insertInto('fact_batches')
        .values({
          kind,
          file_name: 'bench',
          file_sha256: '',
          user_id: null,
          created_at: NOW.toISOString(),
        })
        .returning('id')
        .executeTakeFirstOrThrow()
    ).id;
  const [bl, bo, ba] = [
    await batch('leads'),
    await batch('opportunities'),
    await batch('activities'),
  ];
  const leads: Insertable<Database['leads']>[] = [];
  const opps: Insertable<Database['opportunities']>[] = [];
  const acts: Insertable<Database['activities']>[] = [];
  for (const m of members) {
    for (const [mi, month] of ['2026-09', '2026-10'].entries()) {
      const n = 10 + Math.floor(rnd() * 6);
      const converted = Math.floor(n * (mi === 0 ? 0.3 : 0.15 + 0.2 * rnd()));
      for (let i = 0; i < n; i++)
        leads.push({
          ext_id: `L${m.member_id}-${month}-${i}`,
          batch_id: bl,
          created_date: `${month}-05`,
          member_id: m.member_id,
          org_unit_id: m.org_unit_id,
          status: 'open',
          converted_date: null,
        });
      for (let i = 0; i < converted; i++)
        opps.push({
          ext_id: `O${m.member_id}-${month}-${i}`,
          batch_id: bo,
          created_date: `${month}-08`,
          member_id: m.member_id,
          org_unit_id: m.org_unit_id,
          lead_ext_id: null,
          amount: 10 * WAN,
          stage: 'won',
          expected_close_date: `${month}-20`,
          closed_date: i % 2 === 0 ? `${month}-20` : null,
          status: i % 2 === 0 ? 'won' : 'open',
        });
    }
    acts.push({
      ext_id: `A${m.member_id}`,
      batch_id: ba,
      activity_date: `2026-11-${String(1 + Math.floor(rnd() * 23)).padStart(2, '0')}`,
      member_id: m.member_id,
      org_unit_id: m.org_unit_id,
      customer_id: 0,
      kind: 'visit',
    });
  }
  await insertChunks(db, 'leads', leads);
  await insertChunks(db, 'opportunities', opps);
  await insertChunks(db, 'activities', acts);
  return {
    units: units.length,
    members: members.length,
    leads: leads.length,
    opportunities: opps.length,
  };
}

async function run(name: string, bench: BenchDb) {
  const db = bench.conn.db;
  const t0 = performance.now();
  const size = await seedNumbers(db);
  console.log(
    `[${name}] seeded ${JSON.stringify(size)} in ${((performance.now() - t0) / 1000).toFixed(1)} s`,
  );
  const time = async <T>(f: () => Promise<T>): Promise<[T, number]> => {
    const s = performance.now();
    const r = await f();
    return [r, performance.now() - s];
  };
  const [first, firstMs] = await time(() =>
    evaluateAlerts(db, systemActor(), { escalate: true }, NOW),
  );
  console.log(
    `[${name}] whole company, first run: ${firstMs.toFixed(0)} ms — ${first.verdicts} verdicts, ${first.firing} firing, ${JSON.stringify(first.transitions)}`,
  );
  const stageMs = new Map<string, number>();
  const [second, secondMs] = await time(() =>
    evaluateAlerts(db, systemActor(), { escalate: true, stageMs }, NOW),
  );
  console.log(
    `[${name}] whole company, same numbers again: ${secondMs.toFixed(0)} ms — ${JSON.stringify(second.transitions)}`,
  );
  for (const [stage, ms] of stageMs) console.log(`[${name}]   ${stage}: ${ms.toFixed(0)} ms`);

  const rows = Array.from({ length: 5000 }, (_, i) => ({
    extId: `B-${i}`,
    orderNo: `SO-B-${Math.floor(i / 4)}`,
    date: '2026-11-20',
    ownerCode: `M${String((i % 50) * 37).padStart(5, '0')}`,
    customer: `BC${i % 200}`,
    product: `BP${i % 20}`,
    amount: String(1000 + (i % 97)),
  }));
  const actor = {
    userId: null,
    role: 'admin' as const,
    scope: { all: true, unitPaths: [], memberId: null },
  };
  const [imported, importMs] = await time(() =>
    importFactRows(db, 'orders', rows, {
      actor,
      now: NOW,
      today: TODAY,
      createMissing: { customers: true, products: true },
      worker: false,
    }),
  );
  const event = await db
    .selectFrom('outbox')
    .selectAll()
    .where('topic', '=', 'facts.imported')
    .orderBy('id', 'desc')
    .executeTakeFirstOrThrow();
  const [, evalMs] = await time(() => evaluateImportedNodes(event as OutboxRow, db, NOW));
  // The same evaluation again, by stage (nothing changes: the subscriber already ran).
  const touchedStages = new Map<string, number>();
  const members = [...new Set(rows.map((r) => r.ownerCode))];
  const ids = await db.selectFrom('members').select('id').where('code', 'in', members).execute();
  const units = await db
    .selectFrom('member_units')
    .select('org_unit_id')
    .where(
      'member_id',
      'in',
      ids.map((m) => m.id),
    )
    .execute();
  await evaluateAlerts(
    db,
    systemActor(),
    {
      touched: {
        memberIds: ids.map((m) => m.id),
        unitIds: units.map((u) => u.org_unit_id),
        kinds: ['attainment_review', 'stop_loss', 'behind_time'],
      },
      stageMs: touchedStages,
    },
    NOW,
  );
  for (const [stage, ms] of touchedStages)
    console.log(`[${name}]   after import, ${stage}: ${ms.toFixed(0)} ms`);
  console.log(
    `[${name}] 5,000-line import (batch ${imported.batchId}): ${importMs.toFixed(0)} ms; after-import evaluation of its nodes: ${evalMs.toFixed(0)} ms = ${((100 * evalMs) / importMs).toFixed(1)}%`,
  );
  return { firstMs, secondMs, importMs, evalMs };
}

const dialects = args.dialect === 'both' ? ['sqlite', 'postgres'] : [args.dialect];
for (const d of dialects) {
  if (d === 'sqlite') {
    const b = await sqliteBenchDb('alerts');
    try {
      await run('sqlite', b);
    } finally {
      await b.drop();
    }
  } else {
    const unreachable = await pgReachable(PG_URL);
    if (unreachable !== null) {
      console.log(`[postgres] skipped: ${unreachable}`);
      continue;
    }
    const b = await pgBenchDb(PG_URL, 'alerts');
    try {
      await run('postgres', b);
    } finally {
      await b.drop();
    }
  }
}
