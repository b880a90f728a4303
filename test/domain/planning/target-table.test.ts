import { describe, expect, it } from 'vitest';
import { monthlyTargetTable } from '../../../src/domain/planning/target-table.ts';
import { errorOf, WAN } from './helpers.ts';

describe('monthly target table (METHOD §3)', () => {
  it('gives weekly averages to additive targets and passes the collection rate through', () => {
    // Given the source's table
    const table = monthlyTargetTable([
      {
        owner: 'team1',
        metric: 'revenue',
        monthlyValue: 150 * WAN,
        strategy: 'key industry accounts',
      },
      { owner: 'team2', metric: 'new_customers', monthlyValue: 20 },
      { owner: '*', metric: 'collection_rate', monthlyValue: 9000 },
    ]);
    // Then team 1's 150万 is 37.5万 a week over four weeks
    expect(table[0]).toMatchObject({
      kind: 'additive',
      unit: 'fen',
      weekly: [375, 375, 375, 375].map((x) => (x * WAN) / 10),
      weeklyAverage: 37_500_000,
      strategy: 'key industry accounts',
    });
    // And team 2's 20 new customers are 5 a week
    expect(table[1]).toMatchObject({ unit: 'count', weekly: [5, 5, 5, 5], weeklyAverage: 5 });
    // And everyone's 90% collection rate is inherited as is, never divided by weeks
    expect(table[2]).toMatchObject({
      kind: 'ratio',
      unit: 'bp',
      weekly: null,
      weeklyAverage: 9000,
    });
  });

  it('splits odd counts exactly and refuses derived metrics as targets', () => {
    expect(
      monthlyTargetTable([{ owner: 'x', metric: 'deals', monthlyValue: 22 }])[0],
    ).toMatchObject({
      weekly: [6, 6, 5, 5],
      weeklyAverage: 6,
    });
    expect(
      errorOf(() => monthlyTargetTable([{ owner: 'x', metric: 'aov', monthlyValue: 1 }])).code,
    ).toBe('METRIC_NOT_SPLITTABLE');
  });
});
