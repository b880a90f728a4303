import { describe, expect, it } from 'vitest';
import { AppError } from '../../../src/domain/errors.ts';
import {
  averageOrderValue,
  averageSalesCycle,
  collectionRate,
  collectionTimeliness,
  teamCollectionRate,
} from '../../../src/domain/tracking/index.ts';

const WAN = 1_000_000;

function codeOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e.code;
    throw e;
  }
  throw new Error('expected an AppError');
}

describe('averageOrderValue', () => {
  it('is revenue ÷ orders in fen, half away from zero', () => {
    expect(averageOrderValue(120 * WAN, 40)).toBe(3 * WAN); // 3万 per order
    expect(averageOrderValue(1000, 3)).toBe(333);
    expect(averageOrderValue(1000, 6)).toBe(167);
    expect(averageOrderValue(5, 2)).toBe(3);
    expect(averageOrderValue(-5, 2)).toBe(-3);
    expect(averageOrderValue(100, 0)).toBeNull();
  });
});

describe('averageSalesCycle', () => {
  it('averages created→closed days exactly and rounds to a tenth of a day', () => {
    // Given deals of 10, 3 and 0 days (one won the day it was created)
    const cycle = averageSalesCycle([
      { createdDate: '2026-03-01', closedDate: '2026-03-11' },
      { createdDate: '2026-02-27', closedDate: '2026-03-02' },
      { createdDate: '2026-03-05', closedDate: '2026-03-05' },
    ]);
    // Then 13 ÷ 3 = 4.333… days → 4.3
    expect(cycle).toEqual({ deals: 3, totalDays: 13, exact: { num: 13, den: 3 }, days: 4.3 });
  });

  it('rounds the tenth half-up', () => {
    const deal = (days: number) => ({
      createdDate: '2026-01-01',
      closedDate: `2026-01-${String(1 + days).padStart(2, '0')}`,
    });
    // 1 ÷ 4 = 0.25 → 0.3; 2 ÷ 3 = 0.666… → 0.7
    expect(averageSalesCycle([deal(1), deal(0), deal(0), deal(0)])?.days).toBe(0.3);
    expect(averageSalesCycle([deal(1), deal(1), deal(0)])?.days).toBe(0.7);
  });

  it('is null without deals and refuses a deal closed before it was created', () => {
    expect(averageSalesCycle([])).toBeNull();
    expect(
      codeOf(() => averageSalesCycle([{ createdDate: '2026-03-02', closedDate: '2026-03-01' }])),
    ).toBe('DATE_ORDER');
  });
});

describe('collection rate', () => {
  it('is collected ÷ due, null when nothing is due', () => {
    expect(collectionRate(90 * WAN, 100 * WAN)).toBe(9000);
    expect(collectionRate(0, 0)).toBeNull();
  });

  it('rolls a team up as Σ collected ÷ Σ due, not as the average of the reps’ rates', () => {
    // Given rep A collected 90万 of 100万 (90%) and rep B 5万 of 10万 (50%)
    const reps = [
      { collected: 90 * WAN, due: 100 * WAN },
      { collected: 5 * WAN, due: 10 * WAN },
    ];
    // When the team rate is computed
    const team = teamCollectionRate(reps);
    // Then it is 95万 ÷ 110万 = 86.36%, while the average of the two rates would claim 70%
    expect(team).toBe(8636);
    const averageOfRates = ((collectionRate(90, 100) ?? 0) + (collectionRate(5, 10) ?? 0)) / 2;
    expect(averageOfRates).toBe(7000);
    expect(team).not.toBe(averageOfRates);
    expect(teamCollectionRate([])).toBeNull();
  });
});

describe('collectionTimeliness', () => {
  it('is the share of money due by asOf that was collected by its due date', () => {
    // Given, as of 31 March:
    const receivables = [
      // 100 due 10 March: 60 paid before, 50 after (only 40 of it was still open)
      {
        amount: 100,
        dueDate: '2026-03-10',
        payments: [
          { date: '2026-03-05', amount: 60 },
          { date: '2026-03-20', amount: 50 },
        ],
      },
      // 200 due 31 March, paid on the day
      { amount: 200, dueDate: '2026-03-31', payments: [{ date: '2026-03-31', amount: 200 }] },
      // 300 not due until April: left out
      { amount: 300, dueDate: '2026-04-15', payments: [] },
      // 100 due 15 March, paid only on 2 April (after asOf): still outstanding on 31 March
      { amount: 100, dueDate: '2026-03-15', payments: [{ date: '2026-04-02', amount: 100 }] },
    ];
    // Then 260 of 400 was on time (65%), 40 late, 100 outstanding
    expect(collectionTimeliness(receivables, '2026-03-31')).toEqual({
      due: 400,
      onTime: 260,
      late: 40,
      outstanding: 100,
      onTimeBp: 6500,
      collectedBp: 7500,
    });
  });

  it('has no rate before anything falls due', () => {
    expect(collectionTimeliness([], '2026-03-31').onTimeBp).toBeNull();
  });
});
