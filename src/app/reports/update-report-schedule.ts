import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import { getReportSchedule, putReportSchedule } from '../../db/report-schedule.ts';
import type { ReportSchedule } from '../../domain/reports/report-schedule.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';

/** Replaces the report schedule at the version the client read (admins only), audited. */
export async function updateReportSchedule(
  db: Db,
  actor: Actor,
  input: ReportSchedule & { version: number },
  now: Date,
): Promise<ReportSchedule & { version: number }> {
  assertRole(actor, ['admin']);
  const { version, ...next } = input;
  await db.transaction().execute(async (trx) => {
    const before = await getReportSchedule(trx);
    await putReportSchedule(trx, version, next);
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'update',
      entity: 'settings',
      entityId: 'report_schedule',
      before,
      after: next,
    });
  });
  return getReportSchedule(db);
}
