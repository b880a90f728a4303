/**
 * Order and collection measures (METHOD §4): average order value 客单价, average sales cycle
 * 平均成交周期, collection rate 回款率 and collection timeliness 回款及时率. All derived, never
 * stored as targets (METHOD §3: derived metrics are computed from their parts).
 */
import { AppError } from '../errors.ts';
import { type DateString, assertDate, daysBetween } from '../dates.ts';
import { divRoundHalfUp } from '../exact.ts';
import { type Fraction, assertFen, assertNonNegative, ratioBp, sumExact } from './ratio.ts';

/** Average order value = revenue ÷ orders in fen, half away from zero; no orders → null. */
export function averageOrderValue(revenue: number, orders: number): number | null {
  assertFen(revenue, 'revenue');
  assertNonNegative(orders, 'orders');
  if (orders === 0) return null;
  return Number(divRoundHalfUp(BigInt(revenue), BigInt(orders)));
}

export interface ClosedDeal {
  createdDate: DateString;
  closedDate: DateString;
}

export interface SalesCycle {
  deals: number;
  /** Σ (closedDate − createdDate) in days; a deal won the day it was created counts 0. */
  totalDays: number;
  /** Exact mean: totalDays ÷ deals. */
  exact: Fraction;
  /** The mean rounded half-up to 0.1 day (e.g. 12.3); computed from tenths exactly. */
  days: number;
}

/** Average sales cycle over won deals; no deals → null. closedDate before createdDate is refused. */
export function averageSalesCycle(deals: readonly ClosedDeal[]): SalesCycle | null {
  if (deals.length === 0) return null;
  const spans = deals.map((d) => {
    assertDate(d.createdDate);
    assertDate(d.closedDate);
    if (d.closedDate < d.createdDate) {
      throw new AppError('DATE_ORDER', { start: d.createdDate, end: d.closedDate });
    }
    return daysBetween(d.createdDate, d.closedDate);
  });
  const totalDays = sumExact(spans);
  const tenths = divRoundHalfUp(BigInt(totalDays) * 10n, BigInt(deals.length));
  return {
    deals: deals.length,
    totalDays,
    exact: { num: totalDays, den: deals.length },
    days: Number(tenths) / 10,
  };
}

/** Collection rate 回款率 = collected ÷ due in bp; nothing due → null. */
export function collectionRate(collected: number, due: number): number | null {
  assertFen(collected, 'collected');
  assertNonNegative(due, 'due');
  return due === 0 ? null : ratioBp(collected, due);
}

export interface CollectionRow {
  collected: number;
  due: number;
}

/**
 * A team's (or any group's) collection rate = Σ collected ÷ Σ due — never the average of the
 * members' rates, which would give a rep with 1万 due the same say as one with 100万 due
 * (METHOD §11: ratio targets are not additive).
 */
export function teamCollectionRate(rows: readonly CollectionRow[]): number | null {
  for (const r of rows) {
    assertFen(r.collected, 'collected');
    assertNonNegative(r.due, 'due');
  }
  return collectionRate(sumExact(rows.map((r) => r.collected)), sumExact(rows.map((r) => r.due)));
}

export interface Payment {
  date: DateString;
  amount: number;
}

export interface Receivable {
  /** Amount due in fen. */
  amount: number;
  dueDate: DateString;
  payments: readonly Payment[];
}

export interface Timeliness {
  /** Σ amounts of receivables due on or before asOf. */
  due: number;
  /** Collected on or before each due date (capped at the amount due). */
  onTime: number;
  /** Collected after the due date, up to asOf (capped at what was still open). */
  late: number;
  /** due − onTime − late. */
  outstanding: number;
  /** onTime ÷ due in bp; null when nothing is due yet. */
  onTimeBp: number | null;
  /** (onTime + late) ÷ due in bp; null when nothing is due yet. */
  collectedBp: number | null;
}

/**
 * Collection timeliness 回款及时率: the share of the money that fell due by `asOf` which was
 * collected by its due date. Receivables not yet due are left out (they cannot be late yet);
 * payments after `asOf` are ignored so that a report as of a past date stays reproducible;
 * overpayments do not count beyond the amount due.
 */
export function collectionTimeliness(
  receivables: readonly Receivable[],
  asOf: DateString,
): Timeliness {
  assertDate(asOf);
  let due = 0n;
  let onTime = 0n;
  let late = 0n;
  for (const r of receivables) {
    assertNonNegative(r.amount, 'amount');
    assertDate(r.dueDate);
    if (r.dueDate > asOf) continue;
    let byDue = 0n;
    let after = 0n;
    for (const p of r.payments) {
      assertDate(p.date);
      assertFen(p.amount, 'payment');
      if (p.date > asOf) continue;
      if (p.date <= r.dueDate) byDue += BigInt(p.amount);
      else after += BigInt(p.amount);
    }
    const amount = BigInt(r.amount);
    const inTime = clamp(byDue, amount);
    due += amount;
    onTime += inTime;
    late += clamp(after, amount - inTime);
  }
  const d = Number(due);
  const o = Number(onTime);
  const l = Number(late);
  assertNonNegative(d, 'due');
  return {
    due: d,
    onTime: o,
    late: l,
    outstanding: d - o - l,
    onTimeBp: d === 0 ? null : ratioBp(o, d),
    collectedBp: d === 0 ? null : ratioBp(o + l, d),
  };
}

function clamp(x: bigint, max: bigint): bigint {
  return x < 0n ? 0n : x > max ? max : x;
}
