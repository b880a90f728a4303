import type { DemoLead, DemoOpportunity, DemoRep, LeadStatus } from './actuals.ts';
import { demoBooks } from './actuals.ts';
import { addDays, daysBetween } from './dates.ts';
import type { DemoPlan } from './demo-plan.ts';
import type { Prng } from './prng.ts';
import { pickDay, pickWeighted } from './sales.ts';

/** Where a rep's leads come from, percent. */
const leadChannelShare: Record<string, number> = { PLATFORM: 40, LIVE: 25, OWN: 25, DIST: 10 };
/** Lead → opportunity conversion by channel: own traffic and distributors qualify far better. */
const convertRate: Record<string, number> = { OWN: 0.3, DIST: 0.35, LIVE: 0.15, PLATFORM: 0.12 };
/** Opportunity win rate by channel. */
const winRate: Record<string, number> = { OWN: 0.4, DIST: 0.45, LIVE: 0.3, PLATFORM: 0.28 };
/** Open stages with their win probability (bp), in order. */
export const demoStages: readonly (readonly [string, number])[] = [
  ['需求确认', 1000],
  ['方案报价', 3000],
  ['商务谈判', 6000],
  ['合同签订', 8000],
];
export const WON_STAGE = '赢单';
export const LOST_STAGE = '输单';

/**
 * Leads and opportunities. A rep gets 6–12 leads a month; old leads are converted or lost,
 * recent ones still open. A converted lead becomes an opportunity on its conversion day, and
 * reps open a few more with the customers they already serve. An opportunity runs 20–80 days:
 * the ones whose close date has passed are won or lost with their stage history; the rest are
 * open at the stage their age implies, expected to close in the coming weeks — the pipeline the
 * forecast weighs.
 */
export function buildDemoPipeline(
  plan: DemoPlan,
  reps: readonly DemoRep[],
  months: readonly string[],
  today: string,
  prng: Prng,
): { leads: DemoLead[]; opportunities: DemoOpportunity[] } {
  const books = demoBooks(plan, reps);
  const leads: DemoLead[] = [];
  const opportunities: DemoOpportunity[] = [];
  const channels = Object.keys(leadChannelShare);
  for (const month of months) {
    const ym = month.replace('-', '');
    for (const r of reps) {
      const book = books.get(r.code)!;
      const n = prng.int(6, 12);
      for (let k = 1; k <= n; k++) {
        const date = pickDay(prng, month);
        const channelCode = pickWeighted(prng, channels, (c) => leadChannelShare[c]!);
        const extId = `L${ym}${r.code.slice(1)}${String(k).padStart(2, '0')}`;
        const age = daysBetween(date, today);
        const conv = convertRate[channelCode]!;
        const roll = prng.next();
        const gap = prng.int(2, 20);
        if (date < r.hireDate || age < 0) continue;
        let status: LeadStatus;
        let convertedDate: string | null = null;
        if (age > 30)
          status =
            roll < conv ? 'converted' : roll < conv + (1 - conv) * 0.7 ? 'lost' : 'qualified';
        else
          status =
            roll < (conv * age) / 30 && gap <= age
              ? 'converted'
              : roll < 0.6
                ? 'open'
                : roll < 0.85
                  ? 'qualified'
                  : 'lost';
        if (status === 'converted') convertedDate = addDays(date, Math.min(gap, age));
        leads.push({ extId, date, memberCode: r.code, channelCode, status, convertedDate });
        if (convertedDate)
          opportunities.push(
            opportunity(
              prng,
              `OP-${extId}`,
              convertedDate,
              r,
              prng.pick(book).code,
              channelCode,
              extId,
              today,
            ),
          );
      }
      // Opportunities with existing customers: repeat business that did not start as a lead.
      const upsell = prng.int(0, 2);
      for (let k = 1; k <= upsell; k++) {
        const date = pickDay(prng, month);
        const customer = prng.pick(book);
        const channelCode = customer.typeCode === 'DISTRIB' ? 'DIST' : 'OWN';
        if (date < r.hireDate || date > today) continue;
        opportunities.push(
          opportunity(
            prng,
            `OP${ym}${r.code.slice(1)}U${k}`,
            date,
            r,
            customer.code,
            channelCode,
            null,
            today,
          ),
        );
      }
    }
  }
  return { leads, opportunities };
}

function opportunity(
  prng: Prng,
  extId: string,
  date: string,
  r: DemoRep,
  customerCode: string,
  channelCode: string,
  leadExtId: string | null,
  today: string,
): DemoOpportunity {
  const cycle = prng.int(20, 80);
  const close = addDays(date, cycle);
  const amount = prng.int(3, 40) * (r.tier === 'senior' ? 2 : 1) * 10_000_00;
  const won = prng.next() < winRate[channelCode]!;
  const reached = won ? demoStages.length : prng.int(1, demoStages.length);
  const at = (i: number) => addDays(date, Math.floor((cycle * i) / demoStages.length));
  const base = {
    extId,
    date,
    memberCode: r.code,
    customerCode,
    channelCode,
    leadExtId,
    amount,
    expectedCloseDate: close,
  };
  if (close <= today) {
    const history = demoStages.slice(0, reached).map(([stage], i) => ({ stage, date: at(i) }));
    history.push({ stage: won ? WON_STAGE : LOST_STAGE, date: close });
    return {
      ...base,
      stage: won ? WON_STAGE : LOST_STAGE,
      probabilityBp: won ? 10_000 : 0,
      closedDate: close,
      status: won ? 'won' : 'lost',
      stageHistory: history,
    };
  }
  const index = Math.min(
    demoStages.length - 1,
    Math.floor((daysBetween(date, today) * demoStages.length) / cycle),
  );
  const [stage, probabilityBp] = demoStages[index]!;
  const history = demoStages.slice(0, index + 1).map(([s], i) => ({ stage: s, date: at(i) }));
  return { ...base, stage, probabilityBp, closedDate: null, status: 'open', stageHistory: history };
}
