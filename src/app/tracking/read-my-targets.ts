import type { Db } from '../../db/connect.ts';
import { AppError } from '../../domain/errors.ts';
import { fiscalYearOf } from '../../domain/periods.ts';
import type { Actor } from '../actor.ts';
import { trackingSnapshot } from './answer-cache.ts';
import { myTargetChoices, resolvePeriod, trackingContext } from './context.ts';
import { overviewOf } from './read-overview.ts';
import { seriesOf } from './read-series.ts';
import type { MyTargets, TrackedMetric } from './types.ts';

export interface MyTargetsInput {
  asOf?: string | undefined;
  metric: TrackedMetric;
  /** 'me' (one's own member targets) or a unit one manages; default: the first unit one manages, else oneself. */
  node?: 'me' | number | undefined;
}

/**
 * "My targets" (我的目标): the month and the fiscal year of oneself or of a unit one manages, and
 * the month day by day. Any other unit is refused: the dashboard is the place to drill down.
 */
export async function readMyTargets(
  db: Db,
  actor: Actor,
  input: MyTargetsInput,
  today: string,
): Promise<MyTargets> {
  if (actor.memberId === null) throw new AppError('NOT_FOUND', { entity: 'member' });
  const asOf = input.asOf ?? today;
  const snap = await trackingSnapshot(db);
  const choices = await myTargetChoices(db, actor, actor.memberId, snap);
  const asked = input.node;
  const node =
    asked === undefined
      ? (choices.find((c) => c.type === 'unit') ?? choices[0]!)
      : asked === 'me'
        ? choices[0]!
        : choices.find((c) => c.type === 'unit' && c.id === asked);
  // Only oneself and the units one manages: a unit further down is the dashboard's business.
  if (!node) throw new AppError('FORBIDDEN');
  const base = await trackingContext(
    db,
    actor,
    {
      ...(node.type === 'unit' ? { unitId: node.id } : { memberId: node.id }),
      asOf,
      metric: input.metric,
    },
    today,
    snap,
  );
  const year = {
    ...base,
    period: resolvePeriod(
      { period: fiscalYearOf(asOf, base.fiscalStartMonth) },
      asOf,
      base.fiscalStartMonth,
    ),
  };
  const [month, fy, series] = await Promise.all([
    overviewOf(db, base, snap),
    overviewOf(db, year, snap),
    seriesOf(db, base, 'day', snap),
  ]);
  return { choices, month, year: fy, series };
}
