import type { DemoActivity, DemoRep } from './actuals.ts';
import { demoBooks } from './actuals.ts';
import { addDays, weekday } from './dates.ts';
import type { DemoPlan } from './demo-plan.ts';
import type { Prng } from './prng.ts';

/**
 * Calls, visits and the odd meeting, on working days: about two visits and three calls a rep a
 * week (METHOD §1's activity goals are of that order), visits and meetings with the rep's own
 * customers, a third of the calls with prospects not yet in the books.
 */
export function buildDemoActivities(
  plan: DemoPlan,
  reps: readonly DemoRep[],
  months: readonly string[],
  today: string,
  prng: Prng,
): DemoActivity[] {
  const books = demoBooks(plan, reps);
  const out: DemoActivity[] = [];
  const first = `${months[0]!}-01`;
  for (const r of reps) {
    const book = books.get(r.code)!;
    let n = 0;
    for (let d = first > r.hireDate ? first : r.hireDate; d <= today; d = addDays(d, 1)) {
      const w = weekday(d);
      if (w === 0 || w === 6) continue;
      const roll = prng.next();
      const kinds: DemoActivity['kind'][] =
        roll < 0.4
          ? ['visit']
          : roll < 0.55
            ? ['visit', 'call']
            : roll < 0.6
              ? ['meeting']
              : roll < 0.9
                ? ['call']
                : [];
      for (const kind of kinds) {
        const prospect = kind === 'call' && prng.next() < 1 / 3;
        out.push({
          extId: `A${d.replaceAll('-', '')}${r.code.slice(1)}${++n % 10}`,
          date: d,
          memberCode: r.code,
          customerCode: prospect ? null : prng.pick(book).code,
          kind,
        });
      }
    }
  }
  return out;
}
