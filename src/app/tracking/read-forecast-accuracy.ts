import type { Db } from '../../db/connect.ts';
import type { Actor } from '../actor.ts';
import { trackingSnapshot } from './answer-cache.ts';
import { trackingContext } from './context.ts';
import { overviewOf } from './read-overview.ts';
import type { ForecastMethod } from './snapshot-forecasts.ts';

export interface MethodAccuracy {
  method: ForecastMethod;
  /** Month-end forecasts of closed periods scored. */
  forecasts: number;
  /** Closed periods they were about. */
  periods: number;
  /** Mean of 1 − |F − A| ÷ A, basis points (may be negative for a forecast off by more than A). */
  accuracyBp: number | null;
  /** Mean of (F − A) ÷ A, basis points: positive = forecasts ran high. */
  biasBp: number | null;
}

export interface ForecastAccuracy {
  node: { type: 'unit' | 'member'; id: number };
  methods: MethodAccuracy[];
}

/**
 * How accurate each forecast method has been for a node (issue 12): every month-end forecast
 * kept by `snapshotForecasts` of a period that has closed (ended before today) against the
 * period's actual. Scoped like tracking: the node is checked against the actor's scope.
 */
export async function readForecastAccuracy(
  db: Db,
  actor: Actor,
  input: { unitId?: number | undefined; memberId?: number | undefined },
  today: string,
): Promise<ForecastAccuracy> {
  const snap = await trackingSnapshot(db);
  const base = { ...input, metric: 'revenue' as const };
  const { node } = await trackingContext(db, actor, base, today, snap);
  const rows = await db
    .selectFrom('forecast_snapshots')
    .select(['period', 'method', 'value'])
    .where('node_type', '=', node.type)
    .where('node_id', '=', node.id)
    .where('period_end', '<', today)
    .orderBy('period')
    .orderBy('as_of')
    .execute();
  const actuals = new Map<string, number>();
  for (const period of new Set(rows.map((r) => r.period))) {
    const ctx = await trackingContext(db, actor, { ...base, period }, today, snap);
    actuals.set(period, (await overviewOf(db, ctx, snap)).actual);
  }
  const methods = (['linear', 'seasonal', 'pipeline'] as const).map((method): MethodAccuracy => {
    const scored = rows.filter((r) => r.method === method && (actuals.get(r.period) ?? 0) > 0);
    if (scored.length === 0)
      return { method, forecasts: 0, periods: 0, accuracyBp: null, biasBp: null };
    let accuracy = 0;
    let bias = 0;
    for (const r of scored) {
      const a = actuals.get(r.period)!;
      accuracy += 1 - Math.abs(r.value - a) / a;
      bias += (r.value - a) / a;
    }
    return {
      method,
      forecasts: scored.length,
      periods: new Set(scored.map((r) => r.period)).size,
      accuracyBp: Math.round((accuracy / scored.length) * 10_000),
      biasBp: Math.round((bias / scored.length) * 10_000),
    };
  });
  return { node: { type: node.type, id: node.id }, methods };
}
