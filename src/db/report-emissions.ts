import type { Kysely, Transaction } from 'kysely';
import type { Database, ReportEmissionsTable } from './schema.ts';

type Q = Kysely<Database> | Transaction<Database>;

export async function reportEmitted(q: Q, dedupeKey: string): Promise<boolean> {
  const row = await q
    .selectFrom('report_emissions')
    .select('dedupe_key')
    .where('dedupe_key', '=', dedupeKey)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * Records a report as sent, in the transaction that emits it; false when it was sent already
 * (another instance, or an earlier run of the job, got there first) and nothing may be emitted.
 */
export async function claimReportEmission(
  trx: Q,
  row: Omit<ReportEmissionsTable, 'emitted_at'>,
  now: Date,
): Promise<boolean> {
  const inserted = await trx
    .insertInto('report_emissions')
    .values({ ...row, emitted_at: now.toISOString() })
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('dedupe_key')
    .executeTakeFirst();
  return inserted !== undefined;
}

/**
 * Forgets reports sent before `before`. Safe once a slot is over: only today's reports are ever
 * due (src/domain/reports/report-schedule.ts), so an old key is never tried again.
 */
export async function pruneReportEmissions(q: Q, before: Date): Promise<number> {
  const res = await q
    .deleteFrom('report_emissions')
    .where('emitted_at', '<', before.toISOString())
    .executeTakeFirst();
  return Number(res.numDeletedRows);
}
