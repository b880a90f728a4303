/**
 * `npm run bench:forecast [-- --today 2026-12-07] [--growth 2000]`
 *
 * Backtest of the tier probabilities (issue 12, docs/forecast-probabilities.md). Seeds the demo
 * company (`seedDemo`, about three fiscal years of daily sales up to `today`) into a temporary
 * SQLite file, reads the daily revenue of the company and of each region once, then for every
 * finished period (fiscal years, quarters, months) and every point inside it — each month-end
 * before the period's end for years and quarters, the 15th for months (a month is closed at its
 * own month-end) — it forecasts with only the data up to that point:
 *
 * - the point forecast: the seasonal projection toDate ÷ s, s = the share of the same period
 *   sold by the same point last year (the shape a plan split "by history" gives; past plans are
 *   not in the demo). A point without last year's data has no projection and is skipped;
 * - the tiers: target = last year's same period × (1 + growth) (default 20%, the demo's past
 *   growth), base/sprint/challenge from `targetTiers` (80%, 115%, 120%);
 * - the model: `projectionOdds` with σ from `projectionSpread(pastProjectionErrors(...))` — the
 *   product's functions, the same past-year reads as the overview (`samePeriodLastYear`,
 *   `comparableWindow`);
 * - the rule: 1 if the projection reaches the tier, else 0.
 *
 * Each (node, period, point, tier) not yet reached at the point is scored against what happened
 * (Brier score = mean squared difference between the probability and 1/0). Also reported: the
 * prior alone (no history) and a calibration table.
 */
import { parseArgs } from 'node:util';
import { salesTotals } from '../src/db/rollups.ts';
import { getSetting } from '../src/db/settings.ts';
import { seedDemo } from '../src/app/seed-demo/seed-demo.ts';
import { addDays, daysInMonth } from '../src/domain/dates.ts';
import { periodRange, type DateRange } from '../src/domain/periods.ts';
import { targetTiers } from '../src/domain/tiers.ts';
import {
  comparableWindow,
  pastProjectionErrors,
  projectionOdds,
  projectionSpread,
  samePeriodLastYear,
  type PastPoint,
} from '../src/domain/tracking/index.ts';
import { sqliteBenchDb } from './support/databases.ts';

const { values: args } = parseArgs({
  options: {
    today: { type: 'string', default: '2026-12-07' },
    growth: { type: 'string', default: '2000' },
    normal: { type: 'boolean', default: false },
  },
});
const TODAY = args.today;
const GROWTH_BP = Number(args.growth);
const HISTORY_YEARS = 4;
/** `--normal`: the normal fit instead of the Student t, for comparison. */
const NORMAL = args.normal;

interface Score {
  n: number;
  model: number;
  rule: number;
  prior: number;
}
const score = (): Score => ({ n: 0, model: 0, rule: 0, prior: 0 });

async function main() {
  const bench = await sqliteBenchDb('forecast');
  try {
    const db = bench.conn.db;
    let t0 = Date.now();
    const seeded = await seedDemo(db, { today: TODAY, now: new Date(`${TODAY}T02:00:00.000Z`) });
    if (!seeded.seeded) throw new Error('the demo company was not written');
    console.log(`demo company seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
    t0 = Date.now();
    const fsm = await getSetting(db, 'fiscalYearStartMonth');
    const root = await db
      .selectFrom('org_units')
      .select(['id', 'path', 'name_en'])
      .where('parent_id', 'is', null)
      .executeTakeFirstOrThrow();
    const regions = await db
      .selectFrom('org_units')
      .select(['id', 'path', 'name_en'])
      .where('parent_id', '=', root.id)
      .orderBy('sort_order')
      .execute();
    const teams = await db
      .selectFrom('org_units')
      .select(['id', 'path', 'name_en'])
      .where(
        'parent_id',
        'in',
        regions.map((r) => r.id),
      )
      .orderBy('path')
      .execute();
    const nodes = [root, ...regions, ...teams];
    const levelOf = (path: string) =>
      path === root.path ? 'company' : regions.some((r) => r.path === path) ? 'region' : 'team';

    // The last finished day: the backtest scores only periods over by then.
    const lastDay = addDays(TODAY, -1);
    const firstYear = Number(TODAY.slice(0, 4)) - 3;
    const byKind: Record<string, Score> = { year: score(), quarter: score(), month: score() };
    const byTier: Record<string, Score> = {};
    const byLevel: Record<string, Score> = {};
    const total = score();
    const bins = Array.from({ length: 10 }, () => ({ n: 0, p: 0, hit: 0 }));
    let points = 0;

    for (const node of nodes) {
      const daily = await salesTotals(db, {
        unitPath: node.path,
        start: `${firstYear}-01-01`,
        end: lastDay,
        groupBy: 'day',
      });
      // Prefix sums by day number: any range is two lookups.
      const amount = new Map(daily.rows.map((r) => [String(r.key), r.amount]));
      const sum = (r: DateRange | null): number => {
        if (!r) return 0;
        let s = 0;
        for (let d = r.start; d <= r.end; d = addDays(d, 1)) s += amount.get(d) ?? 0;
        return s;
      };
      const memo = new Map<string, number>();
      const sumOf = (r: DateRange) => {
        const key = `${r.start}|${r.end}`;
        let v = memo.get(key);
        if (v === undefined) memo.set(key, (v = sum(r)));
        return v;
      };

      for (const { id, kind } of periodsOf(firstYear, Number(TODAY.slice(0, 4)), fsm)) {
        const period = { id, ...periodRange(id, fsm) };
        if (period.end > lastDay) continue;
        const final = sumOf(period);
        for (const asOf of pointsIn(period, kind)) {
          const elapsed = { start: period.start, end: asOf };
          const toDate = sumOf(elapsed);
          // Same period of past years, to the same point and whole (as the overview reads them).
          const past: PastPoint[] = [];
          let pid = id;
          for (let k = 0; k < HISTORY_YEARS; k++) {
            pid = samePeriodLastYear(pid);
            const range = periodRange(pid, fsm);
            const early = range.start < `${firstYear}-01-01`;
            past.push({
              toDate: early ? 0 : sumOf(comparableWindow(period, range, elapsed)),
              final: early ? 0 : sumOf(range),
            });
          }
          const last = past[0]!;
          if (last.toDate <= 0 || last.final <= 0 || toDate <= 0) continue;
          const share = last.toDate / last.final;
          if (share >= 1) continue;
          const projection = Math.round(toDate / share);
          const tiers = targetTiers(Math.round((last.final * (10_000 + GROWTH_BP)) / 10_000));
          const spread = projectionSpread({
            errors: pastProjectionErrors(past),
            shareElapsed: share,
          });
          const prior = projectionSpread({ errors: [], shareElapsed: share });
          const odds = (s: { sigma: number; dof: number }) =>
            projectionOdds({
              actualToDate: toDate,
              projection,
              sigma: s.sigma,
              ...(NORMAL ? {} : { dof: s.dof }),
              tiers,
              open: true,
            });
          const [model, priorOnly] = [odds(spread), odds(prior)];
          points++;
          model.forEach((m, i) => {
            if (toDate >= m.amount) return; // reached already: certain, not a forecast
            const outcome = final >= m.amount ? 1 : 0;
            const p = m.probabilityBp / 10_000;
            const rule = projection >= m.amount ? 1 : 0;
            const pPrior = priorOnly[i]!.probabilityBp / 10_000;
            for (const s of [
              total,
              byKind[kind]!,
              (byTier[m.tier] ??= score()),
              (byLevel[levelOf(node.path)] ??= score()),
            ]) {
              s.n++;
              s.model += (p - outcome) ** 2;
              s.rule += (rule - outcome) ** 2;
              s.prior += (pPrior - outcome) ** 2;
            }
            const bin = bins[Math.min(9, Math.floor(p * 10))]!;
            bin.n++;
            bin.p += p;
            bin.hit += outcome;
          });
        }
      }
    }
    console.log(
      `${nodes.length} nodes (company, ${regions.length} regions, ${teams.length} teams), ${points} forecasts scored in ${((Date.now() - t0) / 1000).toFixed(1)} s; ` +
        `target = last year × ${(1 + GROWTH_BP / 10_000).toFixed(2)}\n`,
    );
    console.log('| scope | forecasts × tiers | Brier, model | Brier, rule | Brier, prior only |');
    console.log('| --- | ---: | ---: | ---: | ---: |');
    const row = (name: string, s: Score) =>
      console.log(
        `| ${name} | ${s.n} | ${(s.model / s.n).toFixed(4)} | ${(s.rule / s.n).toFixed(4)} | ${(s.prior / s.n).toFixed(4)} |`,
      );
    row('all', total);
    for (const [k, s] of Object.entries(byKind)) if (s.n) row(k, s);
    for (const [k, s] of Object.entries(byLevel)) row(k, s);
    for (const [k, s] of Object.entries(byTier)) row(`tier ${k}`, s);
    console.log('\n| model probability | cases | mean probability | observed frequency |');
    console.log('| --- | ---: | ---: | ---: |');
    bins.forEach((b, i) => {
      if (b.n)
        console.log(
          `| ${i * 10}–${i * 10 + 10}% | ${b.n} | ${((100 * b.p) / b.n).toFixed(1)}% | ${((100 * b.hit) / b.n).toFixed(1)}% |`,
        );
    });
    if (!(total.model < total.rule)) {
      console.error('\nthe model does not beat the rule');
      process.exitCode = 1;
    }
  } finally {
    await bench.drop();
  }
}

type Kind = 'year' | 'quarter' | 'month';

/** Fiscal years, their quarters and months from `from` to `to` (ids `periodRange` reads). */
function periodsOf(from: number, to: number, fsm: number): { id: string; kind: Kind }[] {
  const out: { id: string; kind: Kind }[] = [];
  for (let fy = from; fy <= to; fy++) {
    out.push({ id: `FY${fy}`, kind: 'year' });
    for (let q = 1; q <= 4; q++) out.push({ id: `FY${fy}-Q${q}`, kind: 'quarter' });
    const start = periodRange(`FY${fy}`, fsm).start;
    for (let i = 0; i < 12; i++) {
      const index = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + i;
      const month = `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
      out.push({ id: month, kind: 'month' });
    }
  }
  return out;
}

/** Month-ends before the period's end (years, quarters); the 15th for a month. */
function pointsIn(period: DateRange, kind: Kind): string[] {
  if (kind === 'month') return [`${period.start.slice(0, 7)}-15`];
  const out: string[] = [];
  for (let d = period.start; d < period.end;) {
    const [y, m] = [Number(d.slice(0, 4)), Number(d.slice(5, 7))];
    const end = `${d.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
    if (end < period.end) out.push(end);
    d = addDays(end, 1);
  }
  return out;
}

await main();
