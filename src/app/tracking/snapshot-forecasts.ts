import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { getSetting } from '../../db/settings.ts';
import { addDays, assertDate, daysInMonth } from '../../domain/dates.ts';
import { AppError } from '../../domain/errors.ts';
import { fiscalQuarterOf, fiscalYearOf, periodRange } from '../../domain/periods.ts';
import { auditUserId, systemActor, type Actor } from '../actor.ts';
import { chinaToday } from '../clock.ts';
import { readOverview } from './read-overview.ts';

export type ForecastMethod = 'linear' | 'seasonal' | 'pipeline';
const METHODS: readonly ForecastMethod[] = ['linear', 'seasonal', 'pipeline'];

export interface SnapshotResult {
  asOf: string;
  /** Nodes (units and members) × open periods read. */
  forecasts: number;
  /** Rows written now; a snapshot taken again writes none. */
  written: number;
  /** The pipeline forecast is kept only when taken in the month after `asOf` (see below). */
  pipelineKept: boolean;
}

/** The last day of `date`'s month. */
export function monthEndOf(date: string): string {
  const [y, m] = [Number(date.slice(0, 4)), Number(date.slice(5, 7))];
  return `${date.slice(0, 7)}-${String(daysInMonth(y, m)).padStart(2, '0')}`;
}

/** The month-end before `today` (the last day of the previous month). */
export function previousMonthEnd(today: string): string {
  return addDays(`${today.slice(0, 7)}-01`, -1);
}

/**
 * Saves the forecasts (linear, seasonal, pipeline) of every org unit and every member on staff at
 * the month-end `asOf`, for the fiscal year and the fiscal quarter still open then, with the
 * target of that moment (issue 12: once the period closes, `readForecastAccuracy` shows how
 * accurate each method was). The forecasts are the tracking overview's own, read as of `asOf`
 * (actuals up to that day). Idempotent: a snapshot already taken is left as it was.
 *
 * The pipeline forecast reads the opportunities as they are now (they have no history), so it
 * is kept only when the snapshot is taken in the month after `asOf` — the daily job's case; a
 * backfill of an older month-end keeps linear and seasonal only.
 *
 * The daily job and `targetflow forecasts snapshot` run it as the system; an admin may too.
 */
export async function snapshotForecasts(
  db: Db,
  actor: Actor,
  input: { asOf: string },
  now: Date,
): Promise<SnapshotResult> {
  if (actor.role !== 'admin') throw new AppError('FORBIDDEN');
  const { asOf } = input;
  assertDate(asOf);
  const today = chinaToday(now);
  if (asOf !== monthEndOf(asOf) || asOf >= today)
    throw new AppError('VALIDATION', {
      field: 'asOf',
      reason: `${asOf}: a month-end before today`,
    });
  const pipelineKept = monthEndOf(addDays(asOf, 1)) >= today;
  // Before the first sale there is nothing to forecast from (a fresh install's daily job).
  const anySale = await db
    .selectFrom('order_lines')
    .select('id')
    .where('order_date', '<=', asOf)
    .limit(1)
    .executeTakeFirst();
  if (!anySale) return { asOf, forecasts: 0, written: 0, pipelineKept };
  const fsm = await getSetting(db, 'fiscalYearStartMonth');
  const periods = [fiscalYearOf(asOf, fsm), fiscalQuarterOf(asOf, fsm)]
    .map((id) => ({ id, end: periodRange(id, fsm).end }))
    .filter((p) => p.end > asOf);
  const units = await db.selectFrom('org_units').select('id').orderBy('id').execute();
  const members = await db
    .selectFrom('member_units')
    .select('member_id')
    .distinct()
    .where('start_date', '<=', asOf)
    .where((eb) => eb.or([eb('end_date', 'is', null), eb('end_date', '>', asOf)]))
    .orderBy('member_id')
    .execute();
  const nodes = [
    ...units.map((u) => ({ type: 'unit' as const, id: u.id })),
    ...members.map((m) => ({ type: 'member' as const, id: m.member_id })),
  ];
  const system = systemActor();
  const at = now.toISOString();
  const rows: {
    node_type: 'unit' | 'member';
    node_id: number;
    period: string;
    period_end: string;
    method: ForecastMethod;
    as_of: string;
    value: number;
    target: number | null;
    created_at: string;
  }[] = [];
  for (const node of nodes) {
    for (const p of periods) {
      const o = await readOverview(
        db,
        system,
        {
          ...(node.type === 'unit' ? { unitId: node.id } : { memberId: node.id }),
          period: p.id,
          asOf,
          metric: 'revenue',
        },
        today,
      );
      for (const method of METHODS) {
        const value = o.forecast[method];
        if (value === null || (method === 'pipeline' && !pipelineKept)) continue;
        rows.push({
          node_type: node.type,
          node_id: node.id,
          period: p.id,
          period_end: p.end,
          method,
          as_of: asOf,
          value,
          target: o.hasTarget ? o.target : null,
          created_at: at,
        });
      }
    }
  }
  return db.transaction().execute(async (trx) => {
    let written = 0;
    for (let i = 0; i < rows.length; i += 500) {
      const r = await trx
        .insertInto('forecast_snapshots')
        .values(rows.slice(i, i + 500))
        .onConflict((oc) =>
          oc.columns(['node_type', 'node_id', 'period', 'method', 'as_of']).doNothing(),
        )
        .executeTakeFirst();
      written += Number(r.numInsertedOrUpdatedRows ?? 0);
    }
    // Taken again: nothing changed, nothing to audit.
    if (written > 0)
      await audit(trx, now, {
        userId: auditUserId(actor),
        action: 'snapshot',
        entity: 'forecast_snapshots',
        entityId: asOf,
        after: { asOf, forecasts: nodes.length * periods.length, written, pipelineKept },
      });
    return { asOf, forecasts: nodes.length * periods.length, written, pipelineKept };
  });
}
