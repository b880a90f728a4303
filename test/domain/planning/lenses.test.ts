import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { monthsOfFiscalYear } from '../../../src/domain/periods.ts';
import {
  allocateLeadsToChannels,
  bottomUpCapacity,
  commit,
  evaluateLenses,
  funnelBackCalc,
  funnelForwardCapacity,
  reconcile,
  topDown,
  topDownFromMarket,
} from '../../../src/domain/planning/lenses.ts';
import { errorOf, sum, WAN } from './helpers.ts';

const MONTHS_2026 = monthsOfFiscalYear(2026);

describe('top-down lens', () => {
  it('sets revenue +30% on last year and 25% of the market', () => {
    // Given last year's 1,000万 and the company goal "revenue +30%"
    expect(topDown({ lastYearActual: 1000 * WAN, growthBp: 3000 })).toEqual({
      total: 1300 * WAN,
      breakdown: { lastYearActual: 1000 * WAN, growthBp: 3000, increment: 300 * WAN },
    });
    // Given a 4,000万 market and "market share to 25%"
    expect(topDownFromMarket({ marketSize: 4000 * WAN, shareBp: 2500 }).total).toBe(1000 * WAN);
  });

  it('rounds a single product half-up to the fen and refuses a growth below −100%', () => {
    expect(topDown({ lastYearActual: 5, growthBp: 1000 }).total).toBe(6); // 5.5 → 6
    expect(errorOf(() => topDown({ lastYearActual: 5, growthBp: -10_001 })).code).toBe(
      'PLANNING_INVALID',
    );
  });
});

describe('funnel lens', () => {
  it('works 1,000 customers back to 4,000 opportunities and 20,000 leads (METHOD §2)', () => {
    // Given opportunity→deal 25% and lead→opportunity 20%
    const plan = funnelBackCalc({
      target: 1000,
      stages: [
        { code: 'leads', conversionBp: 2000 },
        { code: 'opportunities', conversionBp: 2500 },
      ],
      months: 12,
      monthlySupply: 2000,
    });
    // Then
    expect(plan.deals).toBe(1000);
    expect(plan.stages).toEqual([
      { code: 'leads', conversionBp: 2000, required: 20_000, perMonth: 1667 },
      { code: 'opportunities', conversionBp: 2500, required: 4000, perMonth: 334 },
    ]);
    // And marketing's 2,000 qualified leads a month cover the 1,667 needed
    expect(plan.supply).toEqual({
      perMonthRequired: 1667,
      perMonthSupply: 2000,
      feasible: true,
      shortfall: 0,
    });
    expect(plan.feasible).toBe(true);
  });

  it('rounds every required count up, stage by stage', () => {
    const plan = funnelBackCalc({
      target: 1001,
      stages: [
        { code: 'leads', conversionBp: 3000 },
        { code: 'opportunities', conversionBp: 3000 },
      ],
      months: 12,
    });
    // 1,001 ÷ 30% = 3,336.67 → 3,337 opportunities; 3,337 ÷ 30% = 11,123.33 → 11,124 leads
    expect(plan.stages.map((s) => s.required)).toEqual([11_124, 3337]);
  });

  it('turns a revenue target into deals with the AOV, rounding up', () => {
    const plan = funnelBackCalc({
      target: 1000 * WAN,
      aov: 3 * WAN,
      stages: [{ code: 'opportunities', conversionBp: 2500 }],
      months: 12,
    });
    expect(plan.deals).toBe(334);
    expect(plan.stages[0]?.required).toBe(1336);
  });

  it('sends the deals to the better-converting channel first, within its supply', () => {
    // Given own traffic converts 10% lead→deal with 2,000 leads a month, third party 2%, unlimited
    const channels = [
      { code: 'third_party', leadToDealBp: 200 },
      { code: 'own', leadToDealBp: 1000, monthlySupply: 2000 },
    ];
    // When 1,000 deals are needed in a year
    const plan = allocateLeadsToChannels({ deals: 1000, months: 12, channels });
    // Then own traffic brings them all: 10,000 leads, 834 a month
    expect(plan).toEqual({
      mode: 'best-first',
      feasible: true,
      shortfallDeals: 0,
      channels: [
        {
          code: 'third_party',
          leadToDealBp: 200,
          deals: 0,
          leads: 0,
          perMonth: 0,
          feasible: true,
          shortfallLeads: 0,
        },
        {
          code: 'own',
          leadToDealBp: 1000,
          deals: 1000,
          leads: 10_000,
          perMonth: 834,
          monthlySupply: 2000,
          feasible: true,
          shortfallLeads: 0,
        },
      ],
    });
  });

  it('fills the rest from the next channel and reports infeasibility when supply runs out', () => {
    // Given third party is capped at 2,000 leads a month too
    const channels = [
      { code: 'own', leadToDealBp: 1000, monthlySupply: 2000 },
      { code: 'third_party', leadToDealBp: 200, monthlySupply: 2000 },
    ];
    // When 3,000 deals are needed: own yields 2,400 from 24,000 leads, third party 480 from 24,000
    const plan = allocateLeadsToChannels({ deals: 3000, months: 12, channels });
    // Then 120 deals cannot be reached
    expect(plan.channels.map((c) => [c.code, c.deals, c.leads, c.perMonth])).toEqual([
      ['own', 2400, 24_000, 2000],
      ['third_party', 480, 24_000, 2000],
    ]);
    expect(plan.feasible).toBe(false);
    expect(plan.shortfallDeals).toBe(120);
  });

  it('splits deals by given channel shares and compares each with its supply', () => {
    const plan = funnelBackCalc({
      target: 1000,
      stages: [{ code: 'leads', conversionBp: 500 }],
      months: 12,
      channels: [
        { code: 'own', leadToDealBp: 1000, shareBp: 6000, monthlySupply: 2000 },
        { code: 'third_party', leadToDealBp: 200, shareBp: 4000, monthlySupply: 1000 },
      ],
    });
    expect(plan.channels?.mode).toBe('shares');
    expect(
      plan.channels?.channels.map((c) => [c.code, c.deals, c.leads, c.perMonth, c.shortfallLeads]),
    ).toEqual([
      ['own', 600, 6000, 500, 0],
      ['third_party', 400, 20_000, 1667, 8000],
    ]);
    // 12,000 third-party leads bring 240 deals: 160 short
    expect(plan.channels?.shortfallDeals).toBe(160);
    expect(plan.feasible).toBe(false);
  });

  it('refuses a zero conversion rate and partial channel shares', () => {
    const stages = [{ code: 'leads', conversionBp: 0 }];
    expect(errorOf(() => funnelBackCalc({ target: 1, stages, months: 12 })).code).toBe(
      'FUNNEL_RATE_INVALID',
    );
    expect(
      errorOf(() =>
        funnelBackCalc({
          target: 1,
          stages: [],
          months: 12,
          channels: [
            { code: 'a', leadToDealBp: 100, shareBp: 10_000 },
            { code: 'b', leadToDealBp: 100 },
          ],
        }),
      ).code,
    ).toBe('PLANNING_INVALID');
  });

  it('yields what a supply can produce going forward, rounding down', () => {
    // 2,000 leads a month for a year at 20% and 25% → 4,800 opportunities → 1,200 deals
    expect(
      funnelForwardCapacity({
        monthlySupply: 2000,
        months: 12,
        stages: [
          { code: 'leads', conversionBp: 2000 },
          { code: 'opportunities', conversionBp: 2500 },
        ],
        aov: 1 * WAN,
      }),
    ).toEqual({
      leads: 24_000,
      stages: [
        { code: 'opportunities', count: 4800 },
        { code: 'result', count: 1200 },
      ],
      deals: 1200,
      revenue: 1200 * WAN,
    });
  });

  it('refuses a funnel whose leads no number holds exactly: 1 deal at 0.01% over four stages', () => {
    const stages = [1, 1, 1, 1].map((r, i) => ({ code: `s${i}`, conversionBp: r }));
    expect(() => funnelBackCalc({ target: 1, stages, months: 1 })).toThrow(
      expect.objectContaining({
        code: 'FUNNEL_OUT_OF_RANGE',
        params: { stage: 's0', value: '10000000000000000' },
      }),
    );
  });

  it('property: the back-calculated leads always yield at least the target going forward', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 100_000 }),
        fc.array(fc.integer({ min: 1, max: 10_000 }), { minLength: 1, maxLength: 4 }),
        (target, rates) => {
          const stages = rates.map((r, i) => ({ code: `s${i}`, conversionBp: r }));
          // Tiny rates on long funnels can ask for more leads than a number holds exactly
          // (1 deal at 0.01% over four stages is 10^16 leads): that is refused, never rounded.
          const naive = rates.reduce((n, r) => (n * 10_000n) / BigInt(r) + 1n, BigInt(target));
          if (naive > BigInt(Number.MAX_SAFE_INTEGER)) {
            let refused: unknown;
            try {
              funnelBackCalc({ target, stages, months: 1 });
            } catch (e) {
              refused = e;
            }
            if (refused) expect(refused).toMatchObject({ code: 'FUNNEL_OUT_OF_RANGE' });
            return;
          }
          const plan = funnelBackCalc({ target, stages, months: 1 });
          const top = plan.stages[0]?.required ?? 0;
          const forward = funnelForwardCapacity({ monthlySupply: top, months: 1, stages });
          expect(forward.deals).toBeGreaterThanOrEqual(target);
        },
      ),
    );
  });
});

describe('bottom-up capacity lens', () => {
  // METHOD §2: seniors close 5 deals a month, new hires 2; ten planned hires ramp 0/33/67/100%.
  const productivity = {
    senior: { dealsPerMonth: 5, aov: 2 * WAN },
    new: { dealsPerMonth: 2, aov: 2 * WAN },
  };
  const seniors = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, tier: 'senior' }));

  it('sums productivity × ramp per month: 10 seniors + 10 ramping hires → 1,600万', () => {
    // Given ten seniors all year and ten hires from January with the default ramp
    const plan = bottomUpCapacity({
      months: MONTHS_2026,
      reps: seniors,
      plannedHires: [{ tier: 'new', count: 10, startMonth: '2026-01' }],
      productivity,
    });
    // Then seniors bring 100万 a month; the hires 0, 13.332万, 26.668万, then 40万 a month
    expect(plan.monthly.map((m) => m.byTier.new)).toEqual([
      0,
      13_332_000,
      26_668_000,
      ...Array<number>(9).fill(40 * WAN),
    ]);
    expect(plan.monthly.every((m) => m.byTier.senior === 100 * WAN)).toBe(true);
    expect(plan.byTier).toEqual({ senior: 1200 * WAN, new: 400 * WAN });
    expect(plan.total).toBe(1600 * WAN);
    // And the month row shows people, ramped FTEs and deals (×10,000)
    expect(plan.monthly[1]).toMatchObject({
      month: '2026-02',
      headcountBp: 200_000,
      fteBp: 133_330,
      dealsBp: 566_660,
      capacityFen: 100 * WAN + 13_332_000,
    });
  });

  it('handles fractional productivity exactly and rounds each month half-up; total = Σ months', () => {
    // 0.5 deals a month at 3 fen = 1.5 fen a month → 2 fen each month, 24 fen a year
    const plan = bottomUpCapacity({
      months: MONTHS_2026,
      reps: [{ id: 'a', tier: 't' }],
      productivity: { t: { dealsPerMonth: 0.5, aov: 3 } },
    });
    expect(plan.monthly.map((m) => m.capacityFen)).toEqual(Array<number>(12).fill(2));
    expect(plan.total).toBe(24);
    // 2.5 deals at 1万 in the second month of a ramp: 2.5 × 33.33% × 1万 = 8,332.5 元
    const ramping = bottomUpCapacity({
      months: ['2026-01', '2026-02'],
      reps: [{ id: 'b', tier: 't', startMonth: '2026-01' }],
      productivity: { t: { dealsPerMonth: 2.5, aov: 1 * WAN } },
    });
    expect(ramping.monthly.map((m) => m.capacityFen)).toEqual([0, 833_250]);
  });

  it('applies monthly attrition to headcount and honours start and end months', () => {
    const plan = bottomUpCapacity({
      months: MONTHS_2026.slice(0, 6),
      reps: [{ id: 'a', tier: 't' }],
      productivity: { t: { dealsPerMonth: 1, aov: 10_000 } },
      attritionBp: 1000,
    });
    // 10,000 × 0.9^k: 5,904.9 → 5,905
    expect(plan.monthly.map((m) => m.capacityFen)).toEqual([10_000, 9000, 8100, 7290, 6561, 5905]);
    expect(plan.monthly[2]?.headcountBp).toBe(8100);

    const leaver = bottomUpCapacity({
      months: MONTHS_2026,
      reps: [{ id: 'a', tier: 't', endMonth: '2026-06' }],
      productivity: { t: { dealsPerMonth: 1, aov: 100 } },
    });
    expect(leaver.total).toBe(600);
  });

  it('refuses a tier without productivity', () => {
    expect(
      errorOf(() =>
        bottomUpCapacity({
          months: MONTHS_2026,
          reps: [{ id: 'x', tier: 'ghost' }],
          productivity: {},
        }),
      ).params,
    ).toEqual({ tier: 'ghost' });
  });

  it('property: total = Σ months = Σ tiers, exactly', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ tier: fc.constantFrom('a', 'b'), start: fc.integer({ min: 0, max: 14 }) }),
          {
            maxLength: 8,
          },
        ),
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 40 }),
        (people, attritionBp, tenths) => {
          const plan = bottomUpCapacity({
            months: MONTHS_2026,
            reps: people.map((p, i) => ({
              id: String(i),
              tier: p.tier,
              startMonth: p.start < 12 ? MONTHS_2026[p.start] : undefined,
            })),
            productivity: {
              a: { dealsPerMonth: tenths / 10, aov: 12_345 },
              b: { dealsPerMonth: 3, aov: 777 },
            },
            attritionBp,
          });
          expect(sum(plan.monthly.map((m) => m.capacityFen))).toBe(plan.total);
          expect(sum(Object.values(plan.byTier))).toBe(plan.total);
          for (const m of plan.monthly) expect(sum(Object.values(m.byTier))).toBe(m.capacityFen);
        },
      ),
    );
  });
});

describe('reconcile and commit', () => {
  it('shows the gaps between the three lenses and a verdict', () => {
    // Given top-down 1,300万, bottom-up capacity 1,200万, funnel 1,250万
    const r = reconcile({ topDown: 1300 * WAN, bottomUp: 1200 * WAN, funnel: 1250 * WAN });
    // Then
    expect(r.gaps).toEqual([
      { from: 'topDown', to: 'bottomUp', gapFen: 100 * WAN, gapBp: 833 },
      { from: 'topDown', to: 'funnel', gapFen: 50 * WAN, gapBp: 400 },
      { from: 'bottomUp', to: 'funnel', gapFen: -50 * WAN, gapBp: -400 },
    ]);
    expect(r.achievable).toBe(1200 * WAN);
    expect(r.excessFen).toBe(100 * WAN);
    expect(r.excessBp).toBe(833);
    expect(r.verdict).toBe('stretch');
  });

  it('is feasible within capacity, infeasible beyond the stretch threshold (configurable)', () => {
    expect(reconcile({ topDown: 1100 * WAN, bottomUp: 1200 * WAN }).verdict).toBe('feasible');
    expect(reconcile({ topDown: 1500 * WAN, bottomUp: 1200 * WAN }).verdict).toBe('infeasible');
    expect(
      reconcile({ topDown: 1500 * WAN, bottomUp: 1200 * WAN }, { stretchMaxBp: 2500 }).verdict,
    ).toBe('stretch');
    expect(reconcile({ topDown: 1, bottomUp: 0 }).verdict).toBe('infeasible');
  });

  it('commits 1,000万 with a 15% buffer: sprint 1,150万', () => {
    expect(commit(1000 * WAN, { basePct: 8000, challengePct: 12_000, bufferPct: 1500 })).toEqual({
      base: 800 * WAN,
      target: 1000 * WAN,
      challenge: 1200 * WAN,
      sprint: 1150 * WAN,
    });
  });
});

describe('the three lenses side by side', () => {
  it('evaluates top-down, capacity and the funnel together and reconciles them', () => {
    // Given last year 1,000万 + 30%, ten seniors at 5 deals × 2万 a month, and 2,000 leads a month
    // converting 20% → opportunities and 25% → deals at 2万
    const stages = [
      { code: 'leads', conversionBp: 2000 },
      { code: 'opportunities', conversionBp: 2500 },
    ];
    const seniors = Array.from({ length: 10 }, (_, i) => ({ id: `s${i}`, tier: 'senior' }));
    const productivity = { senior: { dealsPerMonth: 5, aov: 2 * WAN } };
    const e = evaluateLenses({
      topDown: { lastYearActual: 1000 * WAN, growthBp: 3000 },
      bottomUp: { months: MONTHS_2026, reps: seniors, productivity },
      funnel: { monthlySupply: 2000, stages, aov: 2 * WAN },
    });
    // Then each lens is what its own function says
    expect(e.details.topDown.total).toBe(1300 * WAN);
    expect(e.details.bottomUp.total).toBe(1200 * WAN);
    expect(e.details.funnelForward).toEqual(
      funnelForwardCapacity({ monthlySupply: 2000, months: 12, stages, aov: 2 * WAN }),
    );
    expect(e.details.funnelBackCalc).toEqual(
      funnelBackCalc({ target: 1300 * WAN, months: 12, monthlySupply: 2000, stages, aov: 2 * WAN }),
    );
    // And the verdict weighs top-down against the smaller of capacity and the funnel's yield
    expect(e.result).toEqual(
      reconcile({
        topDown: 1300 * WAN,
        bottomUp: 1200 * WAN,
        funnel: e.details.funnelForward?.revenue ?? null,
      }),
    );
    expect(e.result.lenses.funnel).toBe(2000 * 12 * 0.2 * 0.25 * 2 * WAN);
  });

  it('works from market size × share and without a funnel', () => {
    const e = evaluateLenses({
      topDown: { marketSize: 10_000 * WAN, shareBp: 1200 },
      bottomUp: { months: MONTHS_2026, reps: [], productivity: {} },
    });
    expect(e.details.topDown.total).toBe(1200 * WAN);
    expect(e.details.funnelForward).toBeNull();
    expect(e.details.funnelBackCalc).toBeNull();
    // Nobody to sell and no funnel: nothing to judge against, which is not "infeasible"
    expect(e.result.verdict).toBe('not_applicable');
    expect(e.result.notApplicable).toEqual(['bottomUp']);
    expect(e.result.gaps).toEqual([]);
  });

  it('leaves the capacity lens out when there are no reps, and judges by the funnel alone', () => {
    const stages = [{ code: 'leads', conversionBp: 1000 }];
    const e = evaluateLenses({
      topDown: { lastYearActual: 100 * WAN, growthBp: 0 },
      bottomUp: { months: MONTHS_2026, reps: [], productivity: {} },
      funnel: { monthlySupply: 100, stages, aov: 1 * WAN },
    });
    // 100 leads × 10% × 1万 × 12 months = 120万 ≥ 100万
    expect(e.result.achievable).toBe(120 * WAN);
    expect(e.result.verdict).toBe('feasible');
    expect(e.result.notApplicable).toEqual(['bottomUp']);
    expect(e.result.gaps.map((g) => `${g.from}-${g.to}`)).toEqual(['topDown-funnel']);
  });

  it('counts planned hires as a sales force: the capacity lens applies again', () => {
    const e = evaluateLenses({
      topDown: { lastYearActual: 100 * WAN, growthBp: 0 },
      bottomUp: {
        months: MONTHS_2026,
        reps: [],
        plannedHires: [{ tier: 'senior', count: 1, startMonth: '2026-01' }],
        productivity: { senior: { dealsPerMonth: 0, aov: 1 * WAN } },
      },
    });
    expect(e.result.notApplicable).toEqual([]);
    expect(e.result.verdict).toBe('infeasible');
  });
});

describe('reconcile without a capacity lens', () => {
  it('is not applicable with neither capacity nor funnel, whatever the target', () => {
    for (const topDown of [0, 1, 1000 * WAN])
      expect(reconcile({ topDown, bottomUp: null }).verdict).toBe('not_applicable');
  });
});
