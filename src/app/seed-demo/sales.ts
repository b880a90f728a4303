import type { DemoCollection, DemoOrderLine, DemoRep } from './actuals.ts';
import { demoBooks, demoRampBp, demoTierProductivity } from './actuals.ts';
import { demoProductLineCodes } from './catalog.ts';
import type { PlanCustomer } from './customers.ts';
import { addDays, daysBetween, monthsBetween, weekday, yearOf } from './dates.ts';
import type { DemoPlan } from './demo-plan.ts';
import { monthlySeasonality, splitExactly } from './history.ts';
import type { Prng } from './prng.ts';

/** Revenue of the fiscal year before today's, in fen: about the sum of the customers' annual purchases. */
const LAST_YEAR_REVENUE = 300_000_000_00;
/** Growth the company had in the past years, and the slightly slower pace it runs at this year (bp). */
const PAST_GROWTH_BP = 2000;
const THIS_YEAR_GROWTH_BP = 1700;
const AVERAGE_ORDER = 80_000_00;

/** Share of revenue by top-level product line, percent (the same mix as `history.ts`). */
const lineShare: Record<string, number> = { APPL: 30, DIGI: 22, HOME: 20, BEAU: 18, SERV: 10 };
const channelShare: Record<string, number> = { PLATFORM: 45, LIVE: 25, OWN: 20, DIST: 10 };
/** The channel a customer usually buys through, by customer type. */
const homeChannel: Record<string, string> = {
  DISTRIB: 'DIST',
  MERCHANT: 'PLATFORM',
  VIP: 'LIVE',
  RETAIL: 'PLATFORM',
  CORP: 'OWN',
};
/** Payment terms in days by segment: key accounts 30, SMB 15, consumers pay when they order. */
const termsDays: Record<string, number> = { KA: 30, SMB: 15, CONSUMER: 0 };

/** Pick from `items` by integer-ish weights. */
export function pickWeighted<T>(prng: Prng, items: readonly T[], weightOf: (t: T) => number): T {
  const total = items.reduce((a, t) => a + weightOf(t), 0);
  let x = prng.next() * total;
  for (const t of items) {
    x -= weightOf(t);
    if (x < 0) return t;
  }
  return items[items.length - 1]!;
}

/**
 * A day of `month` for a business event: weekdays count fully, weekends a third, and the
 * shopping festivals (618, Double 11, Double 12) several times over.
 */
export function pickDay(prng: Prng, month: string): string {
  let days = dayWeights.get(month);
  if (!days) {
    days = [];
    for (let d = `${month}-01`; d.startsWith(month); d = addDays(d, 1)) {
      const md = d.slice(5);
      const festival = md === '11-11' ? 4 : md === '06-18' ? 3 : md === '12-12' ? 2 : 1;
      const w = weekday(d);
      days.push({ d, w: (w === 0 || w === 6 ? 1 : 3) * festival });
    }
    dayWeights.set(month, days);
  }
  return pickWeighted(prng, days, (x) => x.w).d;
}

/** Day weights by month: pure, so shared by every call. */
const dayWeights = new Map<string, { d: string; w: number }[]>();

/** The company's revenue for a month of the window, before it is shared out among the reps. */
function companyMonth(
  month: string,
  lastFiscalYearIndex: number,
  monthIndex: number,
  prng: Prng,
): number {
  const yearsAhead = Math.floor(monthIndex / 12) - lastFiscalYearIndex;
  const growth =
    (1 + PAST_GROWTH_BP / 10_000) ** Math.min(yearsAhead, 0) *
    (yearsAhead > 0 ? 1 + THIS_YEAR_GROWTH_BP / 10_000 : 1);
  const share = monthlySeasonality(yearOf(`${month}-01`))[Number(month.slice(5, 7)) - 1]!;
  return Math.round((LAST_YEAR_REVENUE * growth * share * (0.97 + 0.06 * prng.next())) / 10_000);
}

interface CustomerState {
  c: PlanCustomer;
  /** Index of the month of the first purchase; -1: a customer from before the window. */
  since: number;
  referral: boolean;
}

/**
 * Orders, refunds and collections. Each month the company total (seasonality × growth, from
 * `history.ts`) is shared among the reps on staff by tier productivity × ramp since hire ×
 * personal performance × a drift for the year — so the ranking has a spread and some reps run
 * ahead of time progress, some behind. Each rep sells to the customers they own, the bigger ones
 * more often; a customer's first three months are 'new' (or 'referral'), later 'existing'.
 */
export function buildDemoSales(
  plan: DemoPlan,
  reps: readonly DemoRep[],
  months: readonly string[],
  today: string,
  prng: Prng,
): { orders: DemoOrderLine[]; collections: DemoCollection[] } {
  const productsByLine = new Map<string, DemoPlan['products']>();
  for (const p of plan.products) {
    const top = p.lineCode.split('-')[0]!;
    productsByLine.set(top, [...(productsByLine.get(top) ?? []), p]);
  }
  // A customer older than the window with a likelihood by size; the others arrive within it.
  const state = new Map<string, CustomerState>();
  for (const c of plan.customers) {
    const established =
      prng.next() <
      (c.tier === 'A' ? 1 : c.tier === 'B' ? 0.8 : c.segmentCode === 'CONSUMER' ? 0.4 : 0.55);
    state.set(c.code, {
      c,
      since: established ? -1 : prng.int(0, months.length - 1),
      referral: prng.next() < 0.25,
    });
  }
  const books = new Map(
    [...demoBooks(plan, reps)].map(([rep, list]) => [rep, list.map((c) => state.get(c.code)!)]),
  );
  const perf = new Map(reps.map((r) => [r.code, 0.8 + 0.45 * prng.next()]));
  const drift = new Map<string, number>();

  const orders: DemoOrderLine[] = [];
  const collections: DemoCollection[] = [];
  const lastFiscalYearIndex = Math.floor((months.length - 1) / 12) - 1;
  months.forEach((month, mi) => {
    const yearIndex = Math.floor(mi / 12);
    const total = companyMonth(month, lastFiscalYearIndex, mi, prng);
    const weights = reps.map((r) => {
      const key = `${r.code}:${yearIndex}`;
      // The current year spreads people wider: that is what the ranking and the alerts are for.
      if (!drift.has(key))
        drift.set(
          key,
          yearIndex > lastFiscalYearIndex ? 0.75 + 0.5 * prng.next() : 0.9 + 0.2 * prng.next(),
        );
      const since = monthsBetween(r.hireDate, `${month}-01`);
      const ramp =
        since < 0 ? 0 : (demoRampBp[Math.min(since, demoRampBp.length - 1)] ?? 10_000) / 10_000;
      const p = demoTierProductivity[r.tier];
      return Math.round(
        p.dealsPerMonth *
          p.aov *
          ramp *
          perf.get(r.code)! *
          drift.get(key)! *
          slump(r, mi, months.length) *
          (0.9 + 0.2 * prng.next()),
      );
    });
    const shares = splitExactly(Math.floor(total / 100), weights);
    reps.forEach((r, ri) => {
      const yuan = shares[ri]!;
      if (yuan <= 0) return;
      const book = books.get(r.code)!;
      let active = book.filter((s) => s.since <= mi);
      if (active.length === 0) {
        // A rep with nobody buying yet wins their first customer this month.
        const first = [...book].sort((a, b) => a.since - b.since)[0]!;
        first.since = mi;
        active = [first];
      }
      const n = Math.max(1, Math.round((yuan * 100) / AVERAGE_ORDER));
      const amounts = splitExactly(
        yuan,
        Array.from({ length: n }, () => prng.int(50, 150)),
      );
      amounts.forEach((orderYuan, k) => {
        const s = pickWeighted(prng, active, (x) => Math.sqrt(x.c.annualPurchase));
        const date = pickDay(prng, month);
        const orderNo = `SO${month.replace('-', '')}${r.code.slice(1)}${String(k + 1).padStart(2, '0')}`;
        if (date > today || orderYuan <= 0) return;
        addOrder(orders, collections, prng, productsByLine, {
          orderNo,
          date,
          rep: r.code,
          s,
          mi,
          orderYuan,
          today,
        });
      });
    });
  });
  return { orders, collections };
}

/**
 * The region that slumps (the demo's alerts story): its reps sell at 55% of their usual share in
 * the last two closed months, so the region and several of its reps open the month under 70%
 * attainment two months running (the others take up the slack: the company total is unchanged).
 */
export const DEMO_SLUMP_REGION = 'WEST';
function slump(r: DemoRep, mi: number, monthCount: number): number {
  return r.region === DEMO_SLUMP_REGION && mi >= monthCount - 3 && mi < monthCount - 1 ? 0.55 : 1;
}

function addOrder(
  orders: DemoOrderLine[],
  collections: DemoCollection[],
  prng: Prng,
  productsByLine: Map<string, DemoPlan['products']>,
  o: {
    orderNo: string;
    date: string;
    rep: string;
    s: CustomerState;
    mi: number;
    orderYuan: number;
    today: string;
  },
): void {
  const { c } = o.s;
  const lifecycle =
    o.s.since >= 0 && o.mi - o.s.since < 3 ? (o.s.referral ? 'referral' : 'new') : 'existing';
  const channelCode =
    prng.next() < 0.7
      ? (homeChannel[c.typeCode] ?? 'PLATFORM')
      : pickWeighted(prng, Object.keys(channelShare), (k) => channelShare[k]!);
  const dueDate = addDays(o.date, termsDays[c.segmentCode] ?? 30);
  const lineCount = pickWeighted(prng, [1, 2, 3], (n) => (n === 1 ? 6 : n === 2 ? 3 : 1));
  const parts = splitExactly(
    o.orderYuan,
    Array.from({ length: lineCount }, () => prng.int(40, 160)),
  );
  let net = 0;
  parts.forEach((yuan, i) => {
    if (yuan <= 0) return;
    const line = pickWeighted(prng, demoProductLineCodes, (l) => lineShare[l]!);
    const product = prng.pick(productsByLine.get(line)!);
    const amount = yuan * 100;
    const quantity = Math.max(1, Math.round(amount / product.listPrice));
    const base = {
      orderNo: o.orderNo,
      memberCode: o.rep,
      customerCode: c.code,
      productCode: product.code,
      channelCode,
      lifecycle,
      dueDate,
    } as const;
    orders.push({ ...base, extId: `${o.orderNo}-${i + 1}`, date: o.date, amount, quantity });
    net += amount;
    // About one line in thirty comes back, partly or wholly, a week or three later.
    if (prng.next() < 1 / 30) {
      const back = addDays(o.date, prng.int(5, 25));
      const refund = Math.round(yuan * (0.3 + 0.7 * prng.next())) * 100;
      if (back <= o.today && refund > 0) {
        orders.push({
          ...base,
          extId: `${o.orderNo}-${i + 1}-R`,
          date: back,
          amount: -refund,
          quantity: -Math.max(1, Math.round((quantity * refund) / amount)),
        });
        net -= refund;
      }
    }
  });
  if (net > 0) collect(collections, prng, o, net, dueDate);
}

/**
 * Most orders are paid by their due date, some late, a few in two parts, a few not yet at all:
 * the collection rate of a closed period lands around 90%. Consumers pay when they order.
 */
function collect(
  out: DemoCollection[],
  prng: Prng,
  o: { orderNo: string; date: string; rep: string; s: CustomerState; today: string },
  net: number,
  dueDate: string,
): void {
  const terms = daysBetween(o.date, dueDate);
  const add = (n: number, date: string, amount: number) => {
    if (date <= o.today && amount > 0) {
      out.push({
        extId: `RC-${o.orderNo}-${n}`,
        date,
        orderNo: o.orderNo,
        customerCode: o.s.c.code,
        memberCode: o.rep,
        amount,
        dueDate,
      });
    }
  };
  if (dueDate === o.date) return add(1, o.date, net);
  const r = prng.next();
  const onTime = () => addDays(dueDate, -prng.int(0, Math.min(10, terms)));
  if (r < 0.74) add(1, onTime(), net);
  else if (r < 0.86) add(1, addDays(dueDate, prng.int(5, 60)), net);
  else if (r < 0.93) {
    const first = Math.round((net * 0.7) / 100) * 100;
    add(1, onTime(), first);
    add(2, addDays(dueDate, prng.int(30, 90)), net - first);
  }
  // else: overdue and still open — what the collection-rate alert is for.
}
