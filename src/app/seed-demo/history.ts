import { demoProductLineCodes } from './catalog.ts';
import { firstOfMonth, yearOf } from './dates.ts';
import { demoRegions } from './org.ts';
import { createPrng, seedOf } from './prng.ts';

/**
 * Two years of monthly sales history for the demo company, as pure data. Order-fact tables do
 * not exist yet; a later migration will persist these rows. Kept pure so its shape is testable:
 * Q4 is the strongest quarter (618 in June, then Double 11 and the year-end push) and the month
 * of the Spring Festival is the weakest (logistics stop, buyers are on holiday).
 */

/** 正月初一. The festival moves between late January and mid February, and the dip moves with it. */
const springFestival: Readonly<Record<number, string>> = {
  2020: '2020-01-25',
  2021: '2021-02-12',
  2022: '2022-02-01',
  2023: '2023-01-22',
  2024: '2024-02-10',
  2025: '2025-01-29',
  2026: '2026-02-17',
  2027: '2027-02-06',
  2028: '2028-01-26',
  2029: '2029-02-13',
  2030: '2030-02-03',
  2031: '2031-01-23',
  2032: '2032-02-11',
  2033: '2033-01-31',
  2034: '2034-02-19',
  2035: '2035-02-08',
};

/** 1 or 2: the month of the Spring Festival; February when the year is not in the table. */
export function springFestivalMonth(year: number): number {
  return Number(springFestival[year]?.slice(5, 7) ?? 2);
}

/** Weights for a year whose Spring Festival falls in February, in basis points (sum 10000). */
const februaryFestivalWeights = [
  700, 550, 750, 750, 800, 1000, 700, 700, 800, 900, 1400, 950,
] as const;

/**
 * Each month's share of the year in basis points; the twelve always sum to exactly 10000.
 * When the festival falls in January, January and February trade places.
 */
export function monthlySeasonality(year: number): number[] {
  const w: number[] = [...februaryFestivalWeights];
  if (springFestivalMonth(year) === 1) [w[0], w[1]] = [w[1]!, w[0]!];
  return w;
}

/**
 * How each region's year leans away from the company's (a multiplier on its monthly share, about
 * 1 on average): 华东's e-commerce customers make Double 11 heavier, 华南's exporters buy in the
 * first half, 华北 spends the year-end budgets, 西部's projects run spring to autumn. The company's
 * months stay as `monthlySeasonality` says; only who sells them moves — so each unit has a shape
 * of its own for the planner's per-unit seasonality (issue 12) to find.
 */
const regionTilts: Readonly<Record<string, readonly number[]>> = {
  EAST: [1, 1, 0.95, 0.95, 0.95, 1.05, 0.95, 0.95, 0.95, 1, 1.25, 1],
  SOUTH: [1.15, 1.1, 1.1, 1.05, 1.05, 1, 0.95, 0.95, 0.95, 0.95, 0.85, 0.9],
  NORTH: [0.85, 0.85, 0.9, 0.95, 1, 1, 1, 1, 1.05, 1.1, 1.1, 1.2],
  WEST: [1, 1, 1.05, 1.1, 1.1, 1.05, 1.05, 1.05, 1.05, 0.95, 0.85, 0.8],
};

/** The tilt of a region in a calendar month (1–12); 1 for a region not in the table. */
export function regionTilt(regionCode: string, month: number): number {
  return regionTilts[regionCode]?.[month - 1] ?? 1;
}

export interface HistoryRow {
  /** 'YYYY-MM' */
  month: string;
  regionCode: string;
  productLineCode: string;
  channelCode: string;
  /** Fen. */
  revenue: number;
  /** Fen. */
  grossProfit: number;
  orders: number;
}

export interface HistoryOptions {
  /** Revenue of the calendar year before `today`'s year, in fen. Default 3 亿元. */
  lastYearRevenue?: number;
  /** Year-on-year growth in basis points. Default 20%. */
  growthBp?: number;
  months?: number;
}

const regionShare: Record<string, number> = { EAST: 35, SOUTH: 28, NORTH: 22, WEST: 15 };
const channelShare: Record<string, number> = { PLATFORM: 45, LIVE: 25, OWN: 20, DIST: 10 };
/** Per top-level product line: share of revenue, gross margin (bp), average order value (fen). */
const lineProfile: Record<string, { share: number; marginBp: number; aov: number }> = {
  APPL: { share: 30, marginBp: 2200, aov: 900_00 },
  DIGI: { share: 22, marginBp: 3600, aov: 250_00 },
  HOME: { share: 20, marginBp: 4200, aov: 300_00 },
  BEAU: { share: 18, marginBp: 5800, aov: 350_00 },
  SERV: { share: 10, marginBp: 6500, aov: 20_000_00 },
};

/** The `months` full calendar months before `today`'s month, oldest first, as 'YYYY-MM'. */
export function historyMonths(today: string, months = 24): string[] {
  return Array.from({ length: months }, (_, i) => firstOfMonth(today, i - months).slice(0, 7));
}

export function generateHistory(today: string, opts: HistoryOptions = {}): HistoryRow[] {
  const lastYearRevenue = opts.lastYearRevenue ?? 300_000_000_00;
  const growthBp = opts.growthBp ?? 2000;
  const prng = createPrng(seedOf('galaxy-history'));
  const baseYear = yearOf(today) - 1;
  const cells = demoRegions.flatMap((r) =>
    demoProductLineCodes.flatMap((l) =>
      Object.keys(channelShare).map((c) => ({ r: r.code, l, c })),
    ),
  );
  const rows: HistoryRow[] = [];
  for (const month of historyMonths(today, opts.months)) {
    const year = Number(month.slice(0, 4));
    const annual = lastYearRevenue * (1 + growthBp / 10_000) ** (year - baseYear);
    const share = monthlySeasonality(year)[Number(month.slice(5, 7)) - 1]!;
    // ±3% month noise: visible on a chart, far too small to move Q4 or the festival dip.
    const total = Math.round((annual * share * (0.97 + 0.06 * prng.next())) / 10_000);
    // Integer weights with ±10% cell noise, split by largest remainder so cells sum to the month.
    const weights = cells.map(({ r, l, c }) =>
      Math.round(
        regionShare[r]! * lineProfile[l]!.share * channelShare[c]! * (90 + prng.int(0, 20)),
      ),
    );
    splitExactly(total, weights).forEach((revenue, i) => {
      const { r, l, c } = cells[i]!;
      const p = lineProfile[l]!;
      rows.push({
        month,
        regionCode: r,
        productLineCode: l,
        channelCode: c,
        revenue,
        grossProfit: Math.round((revenue * p.marginBp) / 10_000),
        orders: revenue > 0 ? Math.max(1, Math.round(revenue / p.aov)) : 0,
      });
    });
  }
  return rows;
}

/** Largest-remainder split of an integer total; parts sum exactly to it, ties go to the first. */
export function splitExactly(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (sum <= 0) throw new Error('splitExactly needs a positive weight');
  const t = BigInt(total);
  const s = BigInt(sum);
  const parts = weights.map((w) => (t * BigInt(w)) / s);
  const rest = weights.map((w, i) => ({ i, rem: (t * BigInt(w)) % s }));
  let left = total - parts.reduce((a, b) => a + Number(b), 0);
  rest.sort((a, b) => (a.rem === b.rem ? a.i - b.i : a.rem > b.rem ? -1 : 1));
  const out = parts.map(Number);
  for (const { i } of rest) {
    if (left-- <= 0) break;
    out[i]!++;
  }
  return out;
}
