import { systemActor } from '../../app/actor.ts';
import { evaluateAlerts } from '../../app/alerts/evaluate-alerts.ts';
import type { Db } from '../../db/connect.ts';
import type { OutboxRow } from '../../db/outbox.ts';
import type { JobContext } from '../worker.ts';

export const ALERTS_DAILY_JOB = 'alerts.daily';

/** Once a day across all instances: every rule for the whole company, and escalation. */
export async function alertsDailyJob(ctx: JobContext) {
  return evaluateAlerts(ctx.db, systemActor(), { escalate: true }, ctx.now());
}

const FACT_TABLES = {
  orders: 'order_lines',
  collections: 'collections',
  leads: 'leads',
  opportunities: 'opportunities',
  activities: 'activities',
} as const;

/**
 * After an import (`facts.imported`): evaluate the nodes the batch touched — the members and
 * units its rows are credited to (and, by the evaluation, the units above them). Read from the
 * batch's rows, so a retried delivery evaluates the same nodes (and finds nothing new to say).
 */
export async function evaluateImportedNodes(event: OutboxRow, db: Db, now: Date): Promise<void> {
  const payload = JSON.parse(event.payload) as { batchId: number; kind: keyof typeof FACT_TABLES };
  const table = FACT_TABLES[payload.kind];
  if (!table) return;
  const rows = await db
    .selectFrom(table)
    .select(['member_id', 'org_unit_id'])
    .distinct()
    .where('batch_id', '=', payload.batchId)
    .execute();
  if (rows.length === 0) return;
  const memberIds = [...new Set(rows.map((r) => Number(r.member_id)).filter((id) => id !== 0))];
  const unitIds = [...new Set(rows.map((r) => Number(r.org_unit_id)))];
  await evaluateAlerts(db, systemActor(), { touched: { unitIds, memberIds } }, now);
}
