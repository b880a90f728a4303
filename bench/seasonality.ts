/**
 * `npm run bench:seasonality [-- --today 2026-12-07,2027-12-07,2028-12-07]`
 *
 * Backtest of the per-unit seasonal shape (issue 12, docs/seasonality.md). For each `today` it
 * seeds the demo company (`seedDemo`: the fiscal year two years back through today) into a
 * temporary SQLite file and reads every unit's monthly revenue from the rollups. For every
 * finished fiscal year with at least one finished year before it, each region and team projects
 * its year-end at month 9 — actual of the first nine months ÷ the share of the year a shape puts
 * on them — with the shape of the years before only:
 *
 * - pooled: the company's shape (what every unit inherits today);
 * - raw: the unit's own history;
 * - blended: `blendedShape` (src/domain/planning/blended-seasonality.ts), the unit's own history
 *   weighed n/(n+k) toward its parent's blended shape (regions toward the company), n its years of
 *   history or (as the product does) its orders of history, for a grid of k.
 *
 * MAPE = mean |projection − actual| ÷ actual over the units' years. The k in orders with the
 * lowest MAPE over all units is the product's DEFAULT_CREDIBILITY_ORDERS.
 */
import { parseArgs } from 'node:util';
import { seedDemo } from '../src/app/seed-demo/seed-demo.ts';
import { salesTotals } from '../src/db/rollups.ts';
import { getSetting } from '../src/db/settings.ts';
import { addDays } from '../src/domain/dates.ts';
import { monthsOfFiscalYear, periodRange } from '../src/domain/periods.ts';
import {
  DEFAULT_CREDIBILITY_ORDERS,
  blendedShape,
  shapeOf,
  shareOfFirst,
} from '../src/domain/planning/blended-seasonality.ts';
import { sqliteBenchDb } from './support/databases.ts';

const { values: args } = parseArgs({
  options: { today: { type: 'string', default: '2026-12-07,2027-12-07,2028-12-07' } },
});
const TODAYS = args.today.split(',');
/** Credibility constants: in years, then in orders of history. */
const KS: { by: 'years' | 'orders'; k: number }[] = [
  ...[0.5, 1, 2, 4, 8].map((k) => ({ by: 'years' as const, k })),
  ...[1000, 2000, DEFAULT_CREDIBILITY_ORDERS, 8000, 16000, 32000].map((k) => ({
    by: 'orders' as const,
    k,
  })),
];
const AT_MONTH = 9;

interface Unit {
  id: number;
  parentId: number | null;
  path: string;
  level: 'company' | 'region' | 'team';
}
type Errors = Record<string, { region: number[]; team: number[] }>;

async function backtest(today: string, errors: Errors): Promise<number> {
  const bench = await sqliteBenchDb('seasonality');
  try {
    const db = bench.conn.db;
    const seeded = await seedDemo(db, { today, now: new Date(`${today}T02:00:00.000Z`) });
    if (!seeded.seeded) throw new Error('the demo company was not written');
    const fsm = await getSetting(db, 'fiscalYearStartMonth');
    const rows = await db
      .selectFrom('org_units')
      .select(['id', 'parent_id', 'path'])
      .orderBy('path')
      .execute();
    const depth = (p: string) => p.split('/').filter(Boolean).length;
    const units: Unit[] = rows.map((r) => ({
      id: r.id,
      parentId: r.parent_id,
      path: r.path,
      level: depth(r.path) === 1 ? 'company' : depth(r.path) === 2 ? 'region' : 'team',
    }));
    const lastDay = addDays(today, -1);
    const fy = Number(today.slice(0, 4));
    const firstFy = fy - 2;
    const monthly = new Map<number, Map<string, number>>();
    const orders = new Map<number, Map<string, number>>();
    for (const u of units) {
      const { rows: m } = await salesTotals(db, {
        unitPath: u.path,
        start: periodRange(`FY${firstFy}`, fsm).start,
        end: lastDay,
        groupBy: 'month',
      });
      monthly.set(u.id, new Map(m.map((r) => [String(r.key), r.amount])));
      orders.set(u.id, new Map(m.map((r) => [String(r.key), r.orders])));
    }
    const yearOf = (u: Unit, y: number) =>
      monthsOfFiscalYear(y, fsm).map((m) => monthly.get(u.id)?.get(m) ?? 0);
    const company = units.find((u) => u.level === 'company')!;
    let scored = 0;
    for (let y = firstFy + 1; y <= fy; y++) {
      if (periodRange(`FY${y}`, fsm).end > lastDay) continue;
      const history = Array.from({ length: y - firstFy }, (_, i) => firstFy + i);
      const pooled = shapeOf(history.map((h) => yearOf(company, h)).reduce(addYears))!;
      const ordersOf = (u: Unit) =>
        history
          .flatMap((h) => monthsOfFiscalYear(h, fsm))
          .reduce((a, m) => a + (orders.get(u.id)?.get(m) ?? 0), 0);
      for (const { by, k } of KS) {
        // Top-down: a region blends toward the company's shape, a team toward its region's blend.
        const blended = new Map<number, number[]>([[company.id, pooled]]);
        for (const u of units) {
          if (u.level === 'company') continue;
          const parent = blended.get(u.parentId!)!;
          const own = history.map((h) => yearOf(u, h));
          const exposure = by === 'orders' ? { exposure: ordersOf(u) } : {};
          blended.set(u.id, blendedShape({ ownYears: own, parent, k, ...exposure }).weights);
        }
        for (const u of units) {
          if (u.level === 'company') continue;
          const year = yearOf(u, y);
          const final = year.reduce((a, b) => a + b, 0);
          const toDate = year.slice(0, AT_MONTH).reduce((a, b) => a + b, 0);
          if (final <= 0 || toDate <= 0) continue;
          const ape = (shape: readonly number[]) =>
            Math.abs(toDate / shareOfFirst(shape, AT_MONTH) - final) / final;
          const raw = shapeOf(history.map((h) => yearOf(u, h)).reduce(addYears)) ?? pooled;
          const put = (name: string, e: number) =>
            (errors[name] ??= { region: [], team: [] })[u.level as 'region' | 'team'].push(e);
          if (k === KS[0]!.k) {
            put('pooled (company shape)', ape(pooled));
            put('raw (own history)', ape(raw));
            scored++;
          }
          put(`blended, k = ${k} ${by}`, ape(blended.get(u.id)!));
        }
      }
    }
    return scored;
  } finally {
    await bench.drop();
  }
}

function addYears(a: number[], b: number[]): number[] {
  return a.map((x, i) => x + (b[i] ?? 0));
}

async function main() {
  const errors: Errors = {};
  const t0 = Date.now();
  let scored = 0;
  for (const today of TODAYS) scored += await backtest(today, errors);
  console.log(
    `${scored} unit-years (regions and teams of the demo seeded at ${TODAYS.join(', ')}), ` +
      `year-end projected at month ${AT_MONTH}, in ${((Date.now() - t0) / 1000).toFixed(1)} s\n`,
  );
  const mape = (xs: number[]) => (100 * xs.reduce((a, b) => a + b, 0)) / xs.length;
  console.log('| shape | MAPE regions | MAPE teams | MAPE all |');
  console.log('| --- | ---: | ---: | ---: |');
  let best = { name: '', all: Infinity };
  for (const [name, e] of Object.entries(errors)) {
    const all = mape([...e.region, ...e.team]);
    const mark =
      name === `blended, k = ${DEFAULT_CREDIBILITY_ORDERS} orders` ? ' **(product)**' : '';
    console.log(
      `| ${name}${mark} | ${mape(e.region).toFixed(2)}% | ${mape(e.team).toFixed(2)}% | ${all.toFixed(2)}% |`,
    );
    if (name.startsWith('blended') && all < best.all) best = { name, all };
  }
  console.log(`\nlowest blended MAPE: ${best.name} (${best.all.toFixed(2)}%)`);
}

await main();
