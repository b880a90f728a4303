import { audit } from '../../db/audit.ts';
import type { Db } from '../../db/connect.ts';
import {
  metricById,
  updateMetric as writeMetric,
  type MetricInput,
} from '../../db/plans/metrics.ts';
import { auditUserId, type Actor } from '../actor.ts';
import { assertRole } from '../authorize.ts';
import { toMetric, type Metric } from './queries.ts';

/**
 * Edits a custom metric at the version the client read (admins only). Built-ins are read-only; a
 * metric in use keeps its code and kind.
 */
export async function updateMetric(
  db: Db,
  actor: Actor,
  input: MetricInput & { id: number; version: number },
  now: Date,
): Promise<Metric> {
  assertRole(actor, ['admin']);
  const { id, version, ...metric } = input;
  await db.transaction().execute(async (trx) => {
    const before = await writeMetric(trx, id, version, metric, now);
    await audit(trx, now, {
      userId: auditUserId(actor),
      action: 'update',
      entity: 'metric',
      entityId: id,
      before,
      after: metric,
    });
  });
  return toMetric(await metricById(db, id));
}
