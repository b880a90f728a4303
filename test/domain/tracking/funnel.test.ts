import { describe, expect, it } from 'vitest';
import {
  conversionDrop,
  funnelConversions,
  funnelDrops,
} from '../../../src/domain/tracking/index.ts';

describe('funnelConversions', () => {
  it('reproduces the METHOD §2 funnel: 20,000 leads → 4,000 opportunities → 1,000 deals', () => {
    // Given the counts of the funnel back-calculation example, with 900 deals collected
    const f = funnelConversions({
      leads: 20_000,
      opportunities: 4_000,
      deals: 1_000,
      collections: 900,
    });
    // Then lead→opportunity 20%, opportunity→deal 25%, deal→collection 90%, overall 4.5%
    expect(f.steps.map((s) => [s.from, s.to, s.rateBp])).toEqual([
      ['leads', 'opportunities', 2000],
      ['opportunities', 'deals', 2500],
      ['deals', 'collections', 9000],
    ]);
    expect(f.overall).toMatchObject({ from: 'leads', to: 'collections', rateBp: 450 });
    expect(f.overall.rate).toEqual({ num: 900, den: 20_000 });
  });

  it('ends at deals without collections and has no rate after an empty stage', () => {
    const f = funnelConversions({ leads: 0, opportunities: 3, deals: 1 });
    expect(f.steps.map((s) => s.rateBp)).toEqual([null, 3333]);
    expect(f.overall).toMatchObject({ to: 'deals', rate: null, rateBp: null });
  });
});

describe('conversionDrop', () => {
  it('flags a drop of exactly 20% relative and not one just short of it', () => {
    // 25% → 20% is −20% relative: investigate (METHOD §5)
    expect(conversionDrop(2000, 2500)).toEqual({ relativeChangeBp: -2000, dropped: true });
    // 25% → 20.01% is −19.96%
    expect(conversionDrop(2001, 2500)).toEqual({ relativeChangeBp: -1996, dropped: false });
    expect(conversionDrop(3000, 2500)).toEqual({ relativeChangeBp: 2000, dropped: false });
  });

  it('decides on exact rates, not on rounded basis points', () => {
    // Given 1 in 3 last period and 4 in 15 now: exactly 4/5 of the previous rate, a 20% drop
    expect(conversionDrop({ num: 4, den: 15 }, { num: 1, den: 3 }).dropped).toBe(true);
    // whereas the rounded rates 26.67% vs 33.33% would only show −19.98%
    expect(conversionDrop(2667, 3333).dropped).toBe(false);
  });

  it('takes a configurable threshold and cannot drop from nothing', () => {
    expect(conversionDrop(2000, 2500, { thresholdBp: 3000 }).dropped).toBe(false);
    expect(conversionDrop(1000, 0)).toEqual({ relativeChangeBp: null, dropped: false });
    expect(conversionDrop(1000, null).dropped).toBe(false);
  });

  it('compares two funnels step by step', () => {
    const previous = funnelConversions({ leads: 1000, opportunities: 200, deals: 50 });
    const current = funnelConversions({ leads: 1000, opportunities: 190, deals: 38 });
    const drops = funnelDrops(current, previous);
    // leads→opps 20% → 19% (−5%); opps→deals 25% → 20% (−20%); overall 5% → 3.8% (−24%)
    expect(drops.steps.map((s) => [s.to, s.relativeChangeBp, s.dropped])).toEqual([
      ['opportunities', -500, false],
      ['deals', -2000, true],
    ]);
    expect(drops.overall).toMatchObject({ relativeChangeBp: -2400, dropped: true });
  });
});
